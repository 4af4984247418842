/**
 * `pnpm test`: every check and every test, the same on a laptop and in CI.
 *
 * 1. PostgreSQL: DATABASE_URL when set, else an embedded server (`.plumbline/pg-test`).
 * 2. Static checks: formatting, lint, typecheck (Turborepo).
 * 3. Unit and integration tests (Vitest, all packages, against the real database).
 * 4. End-to-end tests (Playwright, real browser, real web and ingest servers).
 * 5. The Python client's tests, when present.
 * It ends with one line, `N passed, N failed[, N skipped]`, computed from the runners' JSON
 * reports; a failing static check counts as one failure.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

import { connectOrStartDatabase } from "@plumbline/db/local";

import { onShutdown, runCommand, stopAllProcesses } from "./lib/processes";
import { bin, repoRoot } from "./lib/repo";

const reportDir = path.join(repoRoot, ".reports");
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

const only = process.argv.slice(2);
const wants = (step: string) => only.length === 0 || only.includes(step);

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems: string[] = [];

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.TURBO_TELEMETRY_DISABLED = "1";
process.env.DO_NOT_TRACK = "1";
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";

const database = await connectOrStartDatabase("test", repoRoot);
onShutdown(async () => {
  await stopAllProcesses();
  await database.stop();
});
const env = { ...process.env, DATABASE_URL: database.url };
const run = (command: string, args: string[], cwd = repoRoot) =>
  runCommand(command, args, { cwd, env });

async function check(name: string, command: string, args: string[]) {
  console.log(`\n▶ ${name}`);
  const code = await run(command, args);
  if (code !== 0) {
    totals.failed += 1;
    problems.push(name);
  }
}

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}

if (wants("static")) {
  await check("format", bin("prettier"), ["--check", "--log-level", "warn", "."]);
  await check("lint", bin("turbo"), ["run", "lint", "--output-logs=errors-only"]);
  await check("typecheck", bin("turbo"), ["run", "typecheck", "--output-logs=errors-only"]);
}

if (wants("unit")) {
  console.log("\n▶ unit and integration tests (vitest)");
  const file = path.join(reportDir, "vitest.json");
  const code = await run(bin("vitest"), [
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${file}`,
  ]);
  const report = readJson<{
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  }>(file);
  if (!report) {
    totals.failed += 1;
    problems.push("vitest (no report)");
  } else {
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    if (report.numFailedTests > 0) problems.push("vitest");
    else if (code !== 0) {
      totals.failed += 1;
      problems.push("vitest (exit code)");
    }
  }
}

if (wants("e2e")) {
  console.log("\n▶ end-to-end tests (playwright)");
  const file = path.join(reportDir, "playwright.json");
  const code = await run(bin("turbo"), [
    "run",
    "build",
    "--filter=@plumbline/web",
    "--output-logs=errors-only",
  ]);
  if (code !== 0) {
    totals.failed += 1;
    problems.push("web build");
  } else {
    const e2eDir = path.join(repoRoot, "e2e");
    const e2eCode = await runCommand(bin("playwright", e2eDir), ["test"], {
      cwd: e2eDir,
      env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: file },
    });
    const report = readJson<{
      stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    }>(file);
    if (!report) {
      totals.failed += 1;
      problems.push("playwright (no report)");
    } else {
      totals.passed += report.stats.expected + report.stats.flaky;
      totals.failed += report.stats.unexpected;
      totals.skipped += report.stats.skipped;
      if (report.stats.unexpected > 0) problems.push("playwright");
      else if (e2eCode !== 0) {
        totals.failed += 1;
        problems.push("playwright (exit code)");
      }
    }
  }
}

const pythonTests = path.join(repoRoot, "clients", "python");
if (wants("python") && existsSync(pythonTests)) {
  console.log("\n▶ python client tests");
  const file = path.join(reportDir, "python.json");
  const code = await run("python3", [path.join(pythonTests, "run_tests.py"), file], pythonTests);
  const report = readJson<{ passed: number; failed: number; skipped: number }>(file);
  if (!report) {
    totals.failed += 1;
    problems.push("python (no report)");
  } else {
    totals.passed += report.passed;
    totals.failed += report.failed;
    totals.skipped += report.skipped;
    if (report.failed > 0 || code !== 0) problems.push("python");
  }
}

await stopAllProcesses();
await database.stop();

if (problems.length > 0) console.log(`\nFailed: ${problems.join(", ")}`);
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : "";
console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
