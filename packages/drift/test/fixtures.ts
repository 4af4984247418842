import { readFileSync } from "node:fs";
import { expect } from "vitest";

/** Reads a JSON fixture written by fixtures/generate.py. */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

/** Statistics: |ours - scipy| <= 1e-9 * max(1, |scipy|) (the spec's tolerance). */
export function expectStatistic(actual: number, expected: number, label = ""): void {
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}

/** p-values: relative 1e-6, absolute 1e-12 near zero. */
export function expectPValue(actual: number, expected: number, label = ""): void {
  const tolerance = Math.max(1e-6 * Math.abs(expected), 1e-12);
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}
