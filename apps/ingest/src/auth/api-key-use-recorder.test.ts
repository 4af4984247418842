import type { ApiKey } from "@plumbline/db/schema";
import { describe, expect, it } from "vitest";

import { ApiKeyUseRecorder } from "./api-key-use-recorder";

function recorder(options: { fail?: boolean; maxKeys?: number } = {}) {
  let now = 1_000_000;
  const writes: { id: string; usedAt: Date }[][] = [];
  const errors: unknown[] = [];
  const uses = new ApiKeyUseRecorder({
    write: (batch) => {
      if (options.fail) return Promise.reject(new Error("database down"));
      writes.push(batch);
      return Promise.resolve();
    },
    flushIntervalMs: 5_000,
    minimumGapMs: 60_000,
    maxKeys: options.maxKeys ?? 100,
    now: () => now,
    onError: (error) => errors.push(error),
  });
  return { uses, writes, errors, advance: (ms: number) => (now += ms) };
}

const key = (id: string, lastUsedAt: Date | null = null) => ({ id, lastUsedAt }) as ApiKey;

describe("ApiKeyUseRecorder", () => {
  it("writes many uses of many keys as one batch, each key once", async () => {
    const { uses, writes } = recorder();
    for (let i = 0; i < 100; i += 1) uses.note(key(i % 2 ? "a" : "b"));
    await uses.flush();
    expect(writes).toHaveLength(1);
    expect(writes[0]!.map((use) => use.id).sort()).toEqual(["a", "b"]);
  });

  it("writes a key at most once per minute", async () => {
    const { uses, writes, advance } = recorder();
    uses.note(key("a"));
    await uses.flush();
    advance(59_000);
    uses.note(key("a"));
    uses.note(key("b", new Date(1_000_000)));
    await uses.flush();
    expect(writes).toHaveLength(1);
    advance(1_000);
    uses.note(key("a"));
    await uses.flush();
    expect(writes.map((batch) => batch.map((use) => use.id))).toEqual([["a"], ["a"]]);
  });

  it("keeps the uses of a failed write for the next one, within its bound", async () => {
    const failing = recorder({ fail: true, maxKeys: 2 });
    failing.uses.note(key("a"));
    failing.uses.note(key("b"));
    failing.uses.note(key("c"));
    await failing.uses.flush();
    expect(failing.errors).toHaveLength(1);
    await failing.uses.flush();
    expect(failing.errors).toHaveLength(2);
  });
});
