import { describe, expect, it } from "vitest";

import type { PromotionStatus } from "@plumbline/contracts";

import { ApiClient } from "../src/api-client";
import { runCommand } from "../src/commands";
import { EXIT, exitCodeOfState } from "../src/exit-codes";

function statusIn(state: string): PromotionStatus {
  return {
    id: "p1",
    state,
    model: "m",
    version: "1",
    environment: "production",
    artifactDigest: "sha256:x",
    requiredApprovals: 1,
    approvals: 0,
    gateDecision: null,
    justification: "",
    expiresAt: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    gates: { passed: 0, failed: 0, other: 0, results: [] },
    decisions: [],
  };
}

/** A server whose promotion goes through `states`, one per poll, then stays in the last. */
function fakeServer(states: string[]) {
  let polls = 0;
  const fetchImpl = (() => {
    const state = states[Math.min(polls, states.length - 1)]!;
    polls += 1;
    return Promise.resolve(Response.json(statusIn(state)));
  }) as typeof fetch;
  return { client: new ApiClient("http://plumbline.test", "key", fetchImpl), polls: () => polls };
}

function io(client: ApiClient) {
  let clock = 0;
  const lines: string[] = [];
  return {
    lines,
    client,
    cwd: ".",
    print: (line: string) => lines.push(line),
    now: () => clock,
    sleep: (ms: number) => {
      clock += ms;
      return Promise.resolve();
    },
  };
}

describe("exitCodeOfState", () => {
  it.each([
    ["approved", EXIT.ok],
    ["promoted", EXIT.ok],
    ["rejected", EXIT.refused],
    ["checks_failed", EXIT.refused],
    ["expired", EXIT.voided],
    ["stale", EXIT.voided],
    ["awaiting_approval", null],
    ["checks_running", null],
  ])("%s -> %s", (state, code) => {
    expect(exitCodeOfState(state)).toBe(code);
  });
});

describe("wait", () => {
  const wait = {
    name: "wait",
    id: "p1",
    timeoutMs: 60_000,
    intervalMs: 5000,
    json: false,
  } as const;

  it("polls until the promotion settles and exits with its code", async () => {
    const server = fakeServer(["awaiting_approval", "awaiting_approval", "rejected"]);
    const context = io(server.client);
    expect(await runCommand(wait, context)).toBe(EXIT.refused);
    expect(server.polls()).toBe(3);
    expect(context.lines[0]).toBe("p1: awaiting_approval...");
  });

  it("gives up with the timeout code when the deadline passes", async () => {
    const server = fakeServer(["awaiting_approval"]);
    await expect(
      runCommand({ ...wait, timeoutMs: 12_000 }, io(server.client)),
    ).rejects.toMatchObject({ exitCode: EXIT.timeout });
    // Polls at 0, 5 and 10 s, then once more at the 12 s deadline.
    expect(server.polls()).toBe(4);
  });
});
