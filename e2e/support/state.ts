import { readFileSync } from "node:fs";

import { stateFile, type E2EState } from "./environment";

let cached: E2EState | undefined;

export function e2eState(): E2EState {
  cached ??= JSON.parse(readFileSync(stateFile, "utf8")) as E2EState;
  return cached;
}
