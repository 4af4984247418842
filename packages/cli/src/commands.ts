import { readFile } from "node:fs/promises";
import path from "node:path";

import {
  classLabelsOf,
  ModelSchema,
  type EvaluationPosted,
  type ModelSummary,
  type PromotionStatus,
  type RegisterModelRequest,
  type RegisterVersionRequest,
  type VersionDataset,
  type VersionSummary,
} from "@plumbline/contracts";

import type { ApiClient } from "./api-client";
import type { Command, DatasetSpec } from "./arguments";
import { CliError } from "./cli-error";
import { isLocalFile, sha256OfFile } from "./digest";
import { EXIT, exitCodeOfState, type ExitCode } from "./exit-codes";
import { readGitLineage } from "./git";

export interface CommandIo {
  client: ApiClient;
  cwd: string;
  print: (line: string) => void;
  /** Waits between polls; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const versionPath = (model: string, version: string) =>
  `/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}`;

async function readJsonFile(file: string, cwd: string): Promise<unknown> {
  const text = await readFile(path.resolve(cwd, file), "utf8").catch(() => {
    throw new CliError(`Cannot read ${file}: no such file.`);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * A dataset by content: a local file is hashed here (and checked against a digest given with
 * it); anything else is a URI that must come with its digest.
 */
export async function resolveDataset(spec: DatasetSpec, cwd: string): Promise<VersionDataset> {
  const localPath = path.resolve(cwd, spec.location);
  if (await isLocalFile(localPath)) {
    const digest = await sha256OfFile(localPath);
    if (spec.digest !== null && spec.digest !== digest) {
      throw new CliError(
        `${spec.location} has digest ${digest}, not the ${spec.digest} given with --dataset.`,
      );
    }
    return { role: spec.role, name: spec.name, digest, uri: spec.location };
  }
  if (spec.digest === null) {
    throw new CliError(
      `--dataset ${spec.role}=${spec.location}: no such local file; give a remote dataset's ` +
        "digest as <uri>@sha256:<hex>.",
    );
  }
  return { role: spec.role, name: spec.name, digest: spec.digest, uri: spec.location };
}

async function readMetrics(file: string, cwd: string): Promise<Record<string, number>> {
  const metrics = await readJsonFile(file, cwd);
  if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) {
    throw new CliError(`${file} must hold a JSON object of metric names to numbers.`);
  }
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new CliError(`${file}: metric "${name}" must be a finite number.`);
    }
  }
  return metrics as Record<string, number>;
}

/** A schema file (features, class labels), checked before anything is sent. */
export async function readSchemaFile(file: string, cwd: string): Promise<ModelSchema> {
  const parsed = ModelSchema.safeParse(await readJsonFile(file, cwd));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
    );
    throw new CliError(`${file} is not a valid model schema: ${problems.join("; ")}`);
  }
  return parsed.data;
}

function printSchema(schema: ModelSchema, io: CommandIo) {
  for (const feature of schema.features) {
    const position = feature.position === undefined ? "" : ` at column ${feature.position}`;
    io.print(`  feature   ${feature.name} (${feature.type})${position}`);
  }
  if (schema.classLabels) {
    const positive = schema.positiveClass ? `; positive: ${schema.positiveClass}` : "";
    io.print(`  classes   ${schema.classLabels.join(", ")}${positive}`);
  }
}

async function registerModel(command: Extract<Command, { name: "model-register" }>, io: CommandIo) {
  const body: RegisterModelRequest = {
    slug: command.model,
    name: command.modelName,
    ...(command.task ? { task: command.task } : {}),
    ...(command.description ? { description: command.description } : {}),
    ...(command.owner ? { owner: command.owner } : {}),
    ...(command.schemaFile ? { schema: await readSchemaFile(command.schemaFile, io.cwd) } : {}),
  };
  const model = await io.client.post<ModelSummary>("/models", body);
  if (command.json) return io.print(JSON.stringify(model, null, 2));
  io.print(`Registered model ${model.slug} (${model.task ?? "no task"}).`);
  printSchema(model.schema, io);
}

async function setModelSchema(command: Extract<Command, { name: "model-schema" }>, io: CommandIo) {
  const schema = await readSchemaFile(command.schemaFile, io.cwd);
  const model = await io.client.put<ModelSummary>(
    `/models/${encodeURIComponent(command.model)}/schema`,
    schema,
  );
  if (command.json) return io.print(JSON.stringify(model, null, 2));
  io.print(`Replaced the schema of model ${model.slug}.`);
  printSchema(model.schema, io);
}

async function register(command: Extract<Command, { name: "register" }>, io: CommandIo) {
  let artifactDigest = command.artifactDigest?.toLowerCase() ?? null;
  if (command.artifactFile) {
    const computed = await sha256OfFile(path.resolve(io.cwd, command.artifactFile));
    if (artifactDigest !== null && artifactDigest !== computed) {
      throw new CliError(
        `${command.artifactFile} has digest ${computed}, not the --artifact-digest ${artifactDigest}.`,
      );
    }
    artifactDigest = computed;
  }
  const datasets: VersionDataset[] = [];
  for (const spec of command.datasets) datasets.push(await resolveDataset(spec, io.cwd));
  const body: RegisterVersionRequest = {
    version: command.version,
    artifactUri: command.artifactUri,
    artifactDigest,
    code: command.noGit ? null : readGitLineage(io.cwd),
    datasets,
    ...(command.metricsFile ? { metrics: await readMetrics(command.metricsFile, io.cwd) } : {}),
    ...(command.framework ? { framework: command.framework } : {}),
    ...(command.description ? { description: command.description } : {}),
    ...(command.schemaFile
      ? { classLabels: classLabelsOf(await readSchemaFile(command.schemaFile, io.cwd)) }
      : {}),
  };
  const version = await io.client.post<VersionSummary>(
    `/models/${encodeURIComponent(command.model)}/versions`,
    body,
  );
  if (command.json) return io.print(JSON.stringify(version, null, 2));
  io.print(`Registered ${version.model} version ${version.version} (${version.status}).`);
  io.print(`  artifact  ${version.artifactUri} ${version.artifactDigest ?? "(no digest)"}`);
  if (version.code) {
    const dirty = version.code.dirty ? " (uncommitted changes)" : "";
    io.print(`  code      ${version.code.repo} @ ${version.code.commit}${dirty}`);
  }
  for (const dataset of version.datasets) {
    io.print(
      `  dataset   ${dataset.role ?? "-"} ${dataset.name}@${dataset.version} ${dataset.digest}`,
    );
  }
  if (version.classLabels) {
    const positive = version.classLabels.positive
      ? `; positive: ${version.classLabels.positive}`
      : "";
    io.print(`  classes   ${version.classLabels.labels.join(", ")}${positive}`);
  }
}

async function evaluate(command: Extract<Command, { name: "evaluate" }>, io: CommandIo) {
  const evaluation = await readJsonFile(command.file, io.cwd);
  const posted = await io.client.post<EvaluationPosted>(
    `${versionPath(command.model, command.version)}/evaluations`,
    evaluation,
  );
  if (command.json) return io.print(JSON.stringify(posted, null, 2));
  io.print(`Recorded ${posted.kind} evaluation (${posted.outcome}) as ${posted.id}.`);
  if (posted.staleRequestIds.length > 0) {
    io.print(
      `  made stale: ${posted.staleRequestIds.join(", ")} (new evidence voids open requests)`,
    );
  }
}

export function describePromotion(status: PromotionStatus): string[] {
  const lines = [
    `Promotion ${status.id}: ${status.state}`,
    `  ${status.model} version ${status.version} -> ${status.environment}`,
    `  approvals ${status.approvals}/${status.requiredApprovals}` +
      (status.gateDecision ? `, gates ${status.gateDecision}` : "") +
      ` (${status.gates.passed} passed, ${status.gates.failed} failed, ${status.gates.other} other)`,
  ];
  for (const gate of status.gates.results) {
    if (gate.outcome !== "pass")
      lines.push(`  gate ${gate.ruleId}: ${gate.outcome}: ${gate.message}`);
  }
  for (const decision of status.decisions) {
    const voided = decision.voided ? " (voided)" : "";
    lines.push(`  ${decision.decision} by ${decision.approver}${voided}`);
  }
  if (status.expiresAt) lines.push(`  expires ${status.expiresAt}`);
  return lines;
}

function report(status: PromotionStatus, json: boolean, io: CommandIo) {
  if (json) io.print(JSON.stringify(status, null, 2));
  else for (const line of describePromotion(status)) io.print(line);
}

/** Polls until the promotion settles; exits {@link EXIT.timeout} when `timeoutMs` passes. */
async function waitFor(
  id: string,
  options: { timeoutMs: number; intervalMs: number; json: boolean },
  io: CommandIo,
): Promise<ExitCode> {
  const now = io.now ?? Date.now;
  const sleep = io.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.timeoutMs;
  let lastState = "";
  for (;;) {
    const status = await io.client.get<PromotionStatus>(`/promotions/${encodeURIComponent(id)}`);
    const code = exitCodeOfState(status.state);
    if (code !== null) {
      report(status, options.json, io);
      return code;
    }
    if (status.state !== lastState && !options.json) io.print(`${id}: ${status.state}...`);
    lastState = status.state;
    const remaining = deadline - now();
    if (remaining <= 0) {
      if (options.json) report(status, true, io);
      throw new CliError(
        `Timed out after ${options.timeoutMs / 1000}s; promotion ${id} is still ${status.state}.`,
        EXIT.timeout,
      );
    }
    await sleep(Math.min(options.intervalMs, remaining));
  }
}

async function promote(command: Extract<Command, { name: "promote" }>, io: CommandIo) {
  const status = await io.client.post<PromotionStatus>(
    `${versionPath(command.model, command.version)}/promotions`,
    { environment: command.environment, justification: command.justification },
  );
  const settled = exitCodeOfState(status.state);
  if (!command.wait || settled !== null) {
    report(status, command.json, io);
    return settled ?? EXIT.ok;
  }
  if (!command.json) io.print(`Requested promotion ${status.id}; waiting for approval.`);
  return waitFor(status.id, command, io);
}

async function showStatus(command: Extract<Command, { name: "status" }>, io: CommandIo) {
  const status = await io.client.get<PromotionStatus>(
    `/promotions/${encodeURIComponent(command.id)}`,
  );
  report(status, command.json, io);
  return exitCodeOfState(status.state) ?? EXIT.ok;
}

/** A command of the registry REST API (`/api/v1` on the web app). */
export type RegistryCommand = Exclude<Command, { name: "help" } | { name: "baseline-upload" }>;

/** Runs a parsed registry command; resolves to the exit code. */
export async function runCommand(command: RegistryCommand, io: CommandIo): Promise<ExitCode> {
  switch (command.name) {
    case "register":
      await register(command, io);
      return EXIT.ok;
    case "model-register":
      await registerModel(command, io);
      return EXIT.ok;
    case "model-schema":
      await setModelSchema(command, io);
      return EXIT.ok;
    case "evaluate":
      await evaluate(command, io);
      return EXIT.ok;
    case "promote":
      return promote(command, io);
    case "status":
      return showStatus(command, io);
    case "wait":
      return waitFor(command.id, command, io);
  }
}
