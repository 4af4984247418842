import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { appendAudit, verifyAuditChain } from "../src/audit";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe("audit log", () => {
  it("chains every row to the one before it", async () => {
    const { db, sql } = database;
    for (let index = 0; index < 5; index += 1) {
      await appendAudit(
        db,
        { type: "system" },
        {
          action: "test.event",
          resourceType: "test",
          resourceId: String(index),
          after: { index, nested: { b: 2, a: 1 } },
        },
      );
    }
    const rows = await sql<{ seq: string; prev_hash: string; hash: string }[]>`
      select seq, prev_hash, hash from audit_log order by seq`;
    expect(rows.map((row) => Number(row.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prev_hash).toBe("");
    for (let index = 1; index < rows.length; index += 1) {
      expect(rows[index]!.prev_hash).toBe(rows[index - 1]!.hash);
      expect(rows[index]!.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(await verifyAuditChain(sql)).toEqual({ ok: true, checked: 5 });
  });

  it("keeps one chain under concurrent writers", async () => {
    const { db, sql } = database;
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        db.transaction((tx) =>
          appendAudit(
            tx,
            { type: "user", id: `u${index}` },
            {
              action: "test.concurrent",
              resourceType: "test",
            },
          ),
        ),
      ),
    );
    const result = await verifyAuditChain(sql);
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(25);
  });

  it("refuses UPDATE, DELETE and TRUNCATE", async () => {
    const { sql } = database;
    await expect(sql`update audit_log set action = 'forged' where seq = 1`).rejects.toThrow(
      /append-only: UPDATE/,
    );
    await expect(sql`delete from audit_log where seq = 1`).rejects.toThrow(/append-only: DELETE/);
    await expect(sql`truncate audit_log`).rejects.toThrow(/append-only: TRUNCATE/);
  });

  it("reports the first tampered row when the trigger is bypassed", async () => {
    const { sql } = database;
    // A superuser can disable triggers; the hash chain still exposes the change.
    await sql`alter table audit_log disable trigger audit_log_append_only`;
    await sql`update audit_log set after = '{"index": 99}' where seq = 3`;
    await sql`alter table audit_log enable trigger audit_log_append_only`;
    const result = await verifyAuditChain(sql);
    expect(result).toMatchObject({
      ok: false,
      checked: 2,
      brokenAt: { seq: 3, problem: "hash_mismatch" },
    });
  });

  it("reports a deleted row as a broken link", async () => {
    const { sql } = database;
    await sql`alter table audit_log disable trigger audit_log_append_only`;
    await sql`update audit_log set after = '{"index": 2, "nested": {"a": 1, "b": 2}}' where seq = 3`;
    await sql`delete from audit_log where seq = 4`;
    await sql`alter table audit_log enable trigger audit_log_append_only`;
    const result = await verifyAuditChain(sql);
    expect(result).toMatchObject({ ok: false, brokenAt: { seq: 5, problem: "gap" } });
  });
});
