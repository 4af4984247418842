import { BlockList } from "node:net";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createMember, createProject, createUser, grantRole } from "@plumbline/db/factories";
import { users } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { canInProject, loadUserAccess, projectsWithPermission, roleInProject } from "../src/access";
import { ensureFirstAdmin } from "../src/bootstrap";
import { verifyCredentials } from "../src/credentials";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const noEnv = {
  AUTH_SECRET: undefined,
  oidc: null,
  PLUMBLINE_ADMIN_EMAIL: undefined,
  PLUMBLINE_ADMIN_PASSWORD: undefined,
  PLUMBLINE_TRUSTED_PROXIES: new BlockList(),
};

describe("first administrator", () => {
  it("creates one admin with a one-time password on an empty database, then never again", async () => {
    const first = await ensureFirstAdmin(database.db, noEnv);
    expect(first).toMatchObject({ created: true, email: "admin@localhost" });
    if (!first.created) throw new Error("unreachable");
    expect(first.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const signedIn = await verifyCredentials(
      database.db,
      "admin@localhost",
      first.oneTimePassword!,
    );
    expect(signedIn?.email).toBe("admin@localhost");
    const admin = await database.db.query.users.findFirst({
      where: eq(users.email, "admin@localhost"),
    });
    expect(admin?.mustChangePassword).toBe(true);
    const access = await loadUserAccess(database.db, admin!.id);
    expect(access?.orgRole).toBe("admin");

    await expect(ensureFirstAdmin(database.db, noEnv)).resolves.toEqual({ created: false });
  });
});

describe("credentials", () => {
  it("accepts the right password, case-insensitive email", async () => {
    const user = await createUser(database.db, {
      email: "Ada@Example.test",
      password: "correct horse",
    });
    await expect(
      verifyCredentials(database.db, "ada@example.test", "correct horse"),
    ).resolves.toEqual({
      id: user.id,
      email: user.email,
      name: user.name,
    });
  });

  it("answers a wrong password and an unknown email the same way", async () => {
    await createUser(database.db, { email: "bob@example.test", password: "right" });
    await expect(verifyCredentials(database.db, "bob@example.test", "wrong")).resolves.toBeNull();
    await expect(
      verifyCredentials(database.db, "nobody@example.test", "right"),
    ).resolves.toBeNull();
  });

  it("refuses a disabled account", async () => {
    const user = await createUser(database.db, { email: "gone@example.test", password: "pw" });
    await database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    await expect(verifyCredentials(database.db, "gone@example.test", "pw")).resolves.toBeNull();
    await expect(loadUserAccess(database.db, user.id)).resolves.toBeNull();
  });
});

describe("user access", () => {
  it("combines org-wide and project bindings, and sees a role change at once", async () => {
    const alpha = await createProject(database.db, { slug: "alpha" });
    const beta = await createProject(database.db, { slug: "beta" });
    const user = await createMember(database.db, { projectId: alpha.id, role: "viewer" });

    let access = (await loadUserAccess(database.db, user.id))!;
    expect(roleInProject(access, alpha.id)).toBe("viewer");
    expect(roleInProject(access, beta.id)).toBeNull();
    expect(canInProject(access, alpha.id, "member.manage")).toBe(false);
    expect(
      (await projectsWithPermission(database.db, access, "dashboard.read")).map((p) => p.slug),
    ).toEqual(["alpha"]);

    await grantRole(database.db, { userId: user.id, projectId: null, role: "ml_engineer" });
    await grantRole(database.db, { userId: user.id, projectId: alpha.id, role: "admin" });
    access = (await loadUserAccess(database.db, user.id))!;
    expect(roleInProject(access, alpha.id)).toBe("admin");
    expect(roleInProject(access, beta.id)).toBe("ml_engineer");
    expect(canInProject(access, beta.id, "model.register")).toBe(true);
    expect(canInProject(access, beta.id, "member.manage")).toBe(false);
  });
});
