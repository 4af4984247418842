import { randomUUID } from "node:crypto";

import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  appendAudit,
  auditRowHash,
  CHECKPOINT_EVERY,
  sealLegacyAuditRows,
  verifyAuditChain,
} from "../src/audit";
import { auditLog } from "../src/schema";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/** A project id of its own for each test, so the chains of the tests never meet. */
async function project(): Promise<string> {
  const id = randomUUID();
  await database.sql`
    insert into projects (id, slug, name) values (${id}, ${`p-${id.slice(0, 8)}`}, 'Audit test')`;
  return id;
}

async function writeRows(projectId: string | null, count: number) {
  for (let index = 0; index < count; index += 1) {
    await appendAudit(
      database.db,
      { type: "system", id: "test" },
      {
        projectId,
        action: "test.event",
        resourceType: "test",
        resourceId: String(index),
        after: { index, nested: { b: 2, a: 1 }, at: new Date("2026-01-02T03:04:05.678Z") },
      },
    );
  }
}

/** Runs statements with the append-only trigger off, as a superuser could. */
async function asSuperuser(statements: (sql: TestDatabase["sql"]) => Promise<unknown>) {
  const { sql } = database;
  await sql`alter table audit_log disable trigger audit_log_append_only`;
  try {
    await statements(sql);
  } finally {
    await sql`alter table audit_log enable trigger audit_log_append_only`;
  }
}

describe("audit log", () => {
  it("chains every row of a project to the one before it, keyed", async () => {
    const projectId = await project();
    await writeRows(projectId, 5);
    const rows = await database.sql<{ chain_seq: string; prev_hash: string; hash: string }[]>`
      select chain_seq, prev_hash, hash from audit_log where project_id = ${projectId}
      order by chain_seq`;
    expect(rows.map((row) => Number(row.chain_seq))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prev_hash).toBe("");
    for (let index = 1; index < rows.length; index += 1) {
      expect(rows[index]!.prev_hash).toBe(rows[index - 1]!.hash);
      expect(rows[index]!.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(await verifyAuditChain(database.db, projectId, { full: true })).toMatchObject({
      ok: true,
      checked: 5,
    });
  });

  it("keeps one chain per project under concurrent writers of several projects", async () => {
    const projects = [await project(), await project()];
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        database.db.transaction((tx) =>
          appendAudit(
            tx,
            { type: "user", id: `u${index}` },
            { projectId: projects[index % 2]!, action: "test.concurrent", resourceType: "test" },
          ),
        ),
      ),
    );
    for (const projectId of projects) {
      expect(await verifyAuditChain(database.db, projectId)).toMatchObject({
        ok: true,
        checked: 10,
      });
    }
  });

  it("rolls the audit row back with the change it records", async () => {
    const projectId = await project();
    await expect(
      database.db.transaction(async (tx) => {
        await appendAudit(
          tx,
          { type: "system" },
          { projectId, action: "test.rolled_back", resourceType: "test" },
        );
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await writeRows(projectId, 1);
    expect(await verifyAuditChain(database.db, projectId)).toMatchObject({ ok: true, checked: 1 });
  });

  it("refuses UPDATE, DELETE, TRUNCATE and rows written around appendAudit", async () => {
    const projectId = await project();
    await writeRows(projectId, 1);
    const { sql } = database;
    await expect(
      sql`update audit_log set action = 'forged' where project_id = ${projectId}`,
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(sql`delete from audit_log where project_id = ${projectId}`).rejects.toThrow(
      /append-only: DELETE/,
    );
    await expect(sql`truncate audit_log`).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(sql`
      insert into audit_log (actor_type, project_id, action, resource_type)
      values ('system', ${projectId}, 'forged', 'test')`).rejects.toThrow(/only by appendAudit/);
    await expect(sql`
      insert into audit_log (actor_type, project_id, action, resource_type, chain_seq, hash)
      values ('system', ${projectId}, 'forged', 'test', 7, ${"a".repeat(64)})`).rejects.toThrow(
      /does not extend its chain head/,
    );
  });

  it("reports the first tampered row when the trigger is bypassed", async () => {
    const projectId = await project();
    await writeRows(projectId, 5);
    await asSuperuser(
      (sql) =>
        sql`update audit_log set after = '{"index": 99}' where project_id = ${projectId} and chain_seq = 3`,
    );
    expect(await verifyAuditChain(database.db, projectId, { full: true })).toMatchObject({
      ok: false,
      checked: 2,
      brokenAt: { chainSeq: 3, problem: "hash_mismatch" },
    });
  });

  it("is not fooled by a rewrite that recomputes the chain without the server key", async () => {
    const projectId = await project();
    await writeRows(projectId, 3);
    // A database writer changes row 2 and re-chains rows 2..3 and the head consistently, as
    // they could with the old unkeyed hash; without the server key, theirs is another key.
    const rows = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.projectId, projectId))
      .orderBy(asc(auditLog.chainSeq));
    let previous = rows[0]!.hash;
    await asSuperuser(async (sql) => {
      for (const row of rows.slice(1)) {
        const changed = { ...row, reason: row.chainSeq === 2 ? "forged" : row.reason };
        const hash = auditRowHash("a guessed key that is not the server key", previous, changed);
        await sql`update audit_log set reason = ${changed.reason}, prev_hash = ${previous},
          hash = ${hash} where id = ${row.id}`;
        previous = hash;
      }
      await sql`update audit_chain_heads set hash = ${previous} where project_id = ${projectId}`;
    });
    expect(await verifyAuditChain(database.db, projectId, { full: true })).toMatchObject({
      ok: false,
      checked: 1,
      brokenAt: { chainSeq: 2, problem: "hash_mismatch" },
    });
  });

  it("detects a wrong key", async () => {
    const projectId = await project();
    await writeRows(projectId, 2);
    expect(
      await verifyAuditChain(database.db, projectId, { key: "x".repeat(40), checkpoint: false }),
    ).toMatchObject({ ok: false, brokenAt: { chainSeq: 1, problem: "hash_mismatch" } });
    expect(await verifyAuditChain(database.db, projectId)).toMatchObject({ ok: true });
    // Now a checkpoint exists: a wrong key also fails its signature.
    expect(await verifyAuditChain(database.db, projectId, { key: "x".repeat(40) })).toMatchObject({
      ok: false,
      brokenAt: { problem: "checkpoint_signature" },
    });
  });

  it("reports a deleted row as a gap", async () => {
    const projectId = await project();
    await writeRows(projectId, 5);
    await asSuperuser(
      (sql) => sql`delete from audit_log where project_id = ${projectId} and chain_seq = 4`,
    );
    expect(await verifyAuditChain(database.db, projectId, { full: true })).toMatchObject({
      ok: false,
      brokenAt: { chainSeq: 4, problem: "gap" },
    });
  });

  it("detects a deleted tail, even with the head rewound, once a checkpoint covered it", async () => {
    const projectId = await project();
    await writeRows(projectId, 4);
    expect(await verifyAuditChain(database.db, projectId)).toMatchObject({ ok: true, checked: 4 });
    // Remove rows 3..4 and rewind the head so that the rest looks like a whole chain.
    await asSuperuser(async (sql) => {
      await sql`delete from audit_log where project_id = ${projectId} and chain_seq > 2`;
      await sql`
        update audit_chain_heads set chain_seq = 2,
          hash = (select hash from audit_log where project_id = ${projectId} and chain_seq = 2)
        where project_id = ${projectId}`;
    });
    expect(await verifyAuditChain(database.db, projectId)).toMatchObject({
      ok: false,
      brokenAt: { chainSeq: 4, problem: "truncated" },
    });
    expect(await verifyAuditChain(database.db, projectId, { full: true })).toMatchObject({
      ok: false,
      brokenAt: { problem: "truncated" },
    });
  });

  it("detects a deleted tail behind the head without any checkpoint", async () => {
    const projectId = await project();
    await writeRows(projectId, 3);
    await asSuperuser(
      (sql) => sql`delete from audit_log where project_id = ${projectId} and chain_seq = 3`,
    );
    expect(
      await verifyAuditChain(database.db, projectId, { full: true, checkpoint: false }),
    ).toMatchObject({ ok: false, brokenAt: { chainSeq: 3, problem: "truncated" } });
  });

  it("verifies incrementally from the latest checkpoint", async () => {
    const projectId = await project();
    await writeRows(projectId, CHECKPOINT_EVERY + 3);
    // The writer signed a checkpoint at row 100: only the three rows after it are re-hashed.
    expect(await verifyAuditChain(database.db, projectId)).toMatchObject({
      ok: true,
      checked: 3,
      fromChainSeq: CHECKPOINT_EVERY,
    });
    await writeRows(projectId, 2);
    expect(await verifyAuditChain(database.db, projectId)).toMatchObject({
      ok: true,
      checked: 2,
      fromChainSeq: CHECKPOINT_EVERY + 3,
    });
  });

  it("chains rows without a project on their own and seals rows older than the key", async () => {
    await writeRows(null, 2);
    expect(await verifyAuditChain(database.db, null)).toMatchObject({ ok: true, checked: 2 });
    const projectId = await project();
    // Rows written before the keyed chain existed: no chain position, no trigger on the way in.
    const { sql } = database;
    await sql`alter table audit_log disable trigger audit_log_link`;
    try {
      await sql`
        insert into audit_log (actor_type, project_id, action, resource_type, after)
        values ('system', ${projectId}, 'legacy.one', 'test', '{"b": 1, "a": [1, 2]}'),
               ('system', ${projectId}, 'legacy.two', 'test', null)`;
    } finally {
      await sql`alter table audit_log enable trigger audit_log_link`;
    }
    expect(await sealLegacyAuditRows(database.db)).toBe(2);
    await writeRows(projectId, 1);
    expect(await verifyAuditChain(database.db, projectId, { full: true })).toMatchObject({
      ok: true,
      checked: 3,
    });
    expect(await sealLegacyAuditRows(database.db)).toBe(0);
  });
});
