import { afterAll, beforeAll, expect, it } from "vitest";

import { createDatabase } from "../src/client";
import { createTestDatabase, type TestDatabase } from "../src/testing";

// postgres.js 3.4.9 is patched (patches/postgres@3.4.9.patch): when a backend died under an
// open transaction, the transaction's ROLLBACK was written to a closed connection and either
// threw from a timer (an uncaught TypeError that ends the process) or waited forever. Here a
// backend is killed inside each of many transactions: each must fail with an error its caller
// can catch, and the pool must go on serving queries.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const CONNECTION_LOST = new Set(["57P01", "CONNECTION_CLOSED", "CONNECTION_DESTROYED"]);

it("fails a transaction whose backend is killed with a catchable error, and the pool recovers", async () => {
  const pool = createDatabase(database.url, { max: 2, applicationName: "plumbline-test-loss" });
  try {
    const codes: string[] = [];
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const outcome = pool.sql
        .begin(async (tx) => {
          const [backend] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
          const running = tx`select pg_sleep(2)`;
          running.catch(() => undefined);
          await database.sql`select pg_terminate_backend(${backend!.pid})`;
          await running;
        })
        .then(
          () => "committed",
          (error: { code?: string }) => error.code ?? "no code",
        );
      // A hang is a failure too: nothing may wait longer than the killed sleep would have.
      codes.push(
        await Promise.race([
          outcome,
          new Promise<string>((resolve) => setTimeout(() => resolve("hung"), 5_000)),
        ]),
      );
    }
    expect(codes.filter((code) => !CONNECTION_LOST.has(code))).toEqual([]);

    // The pool replaces its dead connections: a query may meet one last closing connection.
    let answer: number | undefined;
    for (let attempt = 0; attempt < 5 && answer === undefined; attempt += 1) {
      answer = await pool.sql<{ one: number }[]>`select 1 as one`.then(
        ([row]) => row?.one,
        () => undefined,
      );
    }
    expect(answer).toBe(1);
  } finally {
    await pool.sql.end({ timeout: 1 });
  }
}, 90_000);
