import { parseArgs } from "node:util";

import {
  DATASET_ROLES,
  MODEL_TASKS,
  SHA256_DIGEST_PATTERN,
  type DatasetRole,
} from "@plumbline/contracts";

import { CliError } from "./cli-error";

/** A `--dataset role[:name]=<path-or-uri>[@sha256:<hex>]` option. */
export interface DatasetSpec {
  role: DatasetRole;
  /** The dataset's name; defaults to the file name without its extension. */
  name: string;
  location: string;
  digest: string | null;
}

interface Output {
  json: boolean;
}

export type Command =
  | { name: "help" }
  | (Output & {
      name: "register";
      model: string;
      version: string;
      artifactUri: string;
      artifactFile: string | null;
      artifactDigest: string | null;
      datasets: DatasetSpec[];
      metricsFile: string | null;
      framework: string | null;
      description: string | null;
      noGit: boolean;
      /** A schema file whose class labels the version registers with. */
      schemaFile: string | null;
    })
  | (Output & {
      name: "model-register";
      model: string;
      modelName: string;
      task: (typeof MODEL_TASKS)[number] | null;
      description: string | null;
      owner: string | null;
      schemaFile: string | null;
    })
  | (Output & { name: "model-schema"; model: string; schemaFile: string })
  | (Output & { name: "evaluate"; model: string; version: string; file: string })
  | (Output & {
      name: "promote";
      model: string;
      version: string;
      environment: string;
      justification: string;
      wait: boolean;
      timeoutMs: number;
      intervalMs: number;
    })
  | (Output & {
      name: "baseline-upload";
      model: string;
      version: string;
      file: string;
      /** A label for the reference (`--name`), sent to the ingest service as `?name=`. */
      baselineName: string | null;
    })
  | (Output & { name: "status"; id: string })
  | (Output & { name: "wait"; id: string; timeoutMs: number; intervalMs: number });

export const USAGE = `Usage: plumbline <command> [options]

Commands:
  register  --model <slug> --version <v> --artifact <uri> [--artifact-file <path>]
            [--artifact-digest sha256:<hex>] [--dataset <role>[:<name>]=<path-or-uri>[@sha256:<hex>]]...
            [--metrics metrics.json] [--framework <name>] [--description <text>] [--no-git]
            [--schema schema.json]   (the version's class labels: classLabels, positiveClass)
  model register --model <slug> [--name <text>] [--task <task>] [--description <text>]
            [--owner <text>] [--schema schema.json]
  model schema   --model <slug> --schema schema.json   (replaces the model's schema)
  evaluate  --model <slug> --version <v> --file evaluation.json
  promote   --model <slug> --version <v> --environment <name> [--justification <text>]
            [--wait] [--timeout 30m] [--interval 5s]
  status    <promotion-id>
  wait      <promotion-id> [--timeout 30m] [--interval 5s]
  baseline upload --model <slug> --version <v> --file data.csv|data.json [--name <text>]

Every command takes --json to print the server's answer as JSON.
Environment: PLUMBLINE_URL (the web app), PLUMBLINE_API_KEY (an API key),
             PLUMBLINE_INGEST_URL (the ingest service, for baseline upload).
Exit codes: 0 ok/approved/promoted, 1 error, 2 rejected/checks_failed,
            3 expired/cancelled/stale/rolled_back, 4 timed out waiting.`;

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30m`, `5s`, `1h30m`, `250ms` or plain seconds (`90`) in milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  let total = 0;
  let consumed = "";
  for (const match of trimmed.matchAll(DURATION_PART)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed += match[0];
  }
  if (consumed.length === 0 || consumed !== trimmed || total <= 0) {
    throw new CliError(`Invalid duration "${text}": use for example 30s, 5m, 1h30m.`);
  }
  return total;
}

/** Parses one `--dataset` value (see {@link DatasetSpec}). */
export function parseDatasetSpec(text: string): DatasetSpec {
  const equals = text.indexOf("=");
  const usage = `Invalid --dataset "${text}": expected <role>[:<name>]=<path-or-uri>[@sha256:<hex>].`;
  if (equals <= 0) throw new CliError(usage);
  const [role, explicitName] = text.slice(0, equals).split(":", 2) as [string, string?];
  if (!(DATASET_ROLES as readonly string[]).includes(role)) {
    throw new CliError(`Invalid --dataset role "${role}": use ${DATASET_ROLES.join(", ")}.`);
  }
  let location = text.slice(equals + 1);
  let digest: string | null = null;
  const at = location.lastIndexOf("@sha256:");
  if (at >= 0) {
    digest = location.slice(at + 1).toLowerCase();
    location = location.slice(0, at);
    if (!SHA256_DIGEST_PATTERN.test(digest)) {
      throw new CliError(`Invalid digest in --dataset "${text}": use sha256:<64 hex digits>.`);
    }
  }
  if (location.length === 0) throw new CliError(usage);
  const name = explicitName || defaultDatasetName(location);
  return { role: role as DatasetRole, name, location, digest };
}

function defaultDatasetName(location: string): string {
  const base =
    location
      .replace(/[?#].*$/, "")
      .replace(/\/+$/, "")
      .split("/")
      .at(-1) ?? "";
  return base.replace(/\.[^.]*$/, "") || base || location;
}

function required(values: Record<string, unknown>, option: string, command: string): string {
  const value = values[option];
  if (typeof value !== "string" || value.trim() === "") {
    throw new CliError(`plumbline ${command}: --${option} is required.`);
  }
  return value;
}

function optional(value: string | undefined): string | null {
  return value === undefined || value === "" ? null : value;
}

function onePositional(positionals: string[], command: string): string {
  if (positionals.length !== 1) {
    throw new CliError(
      `plumbline ${command}: expected one promotion id, got ${positionals.length}.`,
    );
  }
  return positionals[0]!;
}

const COMMON = { json: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;
const WAITING = { timeout: { type: "string" }, interval: { type: "string" } } as const;

function parse<Options extends NonNullable<Parameters<typeof parseArgs>[0]>["options"]>(
  command: string,
  args: string[],
  options: Options,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals, strict: true });
  } catch (error) {
    throw new CliError(`plumbline ${command}: ${(error as Error).message}`);
  }
}

function parseModelCommand(args: string[]): Command {
  const [subcommand, ...rest] = args;
  if (subcommand === "--help" || subcommand === "-h") return { name: "help" };
  if (subcommand === "register") {
    const command = "model register";
    const { values } = parse(command, rest, {
      model: { type: "string" },
      name: { type: "string" },
      task: { type: "string" },
      description: { type: "string" },
      owner: { type: "string" },
      schema: { type: "string" },
    });
    if (values.help) return { name: "help" };
    const task = optional(values.task);
    if (task !== null && !(MODEL_TASKS as readonly string[]).includes(task)) {
      throw new CliError(`plumbline ${command}: --task must be one of ${MODEL_TASKS.join(", ")}.`);
    }
    const model = required(values, "model", command);
    return {
      name: "model-register",
      json: values.json ?? false,
      model,
      modelName: optional(values.name) ?? model,
      task: task as (typeof MODEL_TASKS)[number] | null,
      description: optional(values.description),
      owner: optional(values.owner),
      schemaFile: optional(values.schema),
    };
  }
  if (subcommand === "schema") {
    const command = "model schema";
    const { values } = parse(command, rest, {
      model: { type: "string" },
      schema: { type: "string" },
    });
    if (values.help) return { name: "help" };
    return {
      name: "model-schema",
      json: values.json ?? false,
      model: required(values, "model", command),
      schemaFile: required(values, "schema", command),
    };
  }
  throw new CliError(
    `plumbline model: expected "register" or "schema", got ${subcommand === undefined ? "nothing" : `"${subcommand}"`}.`,
  );
}

/** Turns argv (without `node` and the script) into a command, or throws a usage error. */
export function parseCommand(argv: readonly string[]): Command {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    return { name: "help" };
  }
  switch (name) {
    case "register": {
      const { values } = parse(name, args, {
        model: { type: "string" },
        version: { type: "string" },
        artifact: { type: "string" },
        "artifact-file": { type: "string" },
        "artifact-digest": { type: "string" },
        dataset: { type: "string", multiple: true },
        metrics: { type: "string" },
        framework: { type: "string" },
        description: { type: "string" },
        "no-git": { type: "boolean" },
        schema: { type: "string" },
      });
      if (values.help) return { name: "help" };
      return {
        name,
        json: values.json ?? false,
        model: required(values, "model", name),
        version: required(values, "version", name),
        artifactUri: required(values, "artifact", name),
        artifactFile: optional(values["artifact-file"]),
        artifactDigest: optional(values["artifact-digest"]),
        datasets: (values.dataset ?? []).map(parseDatasetSpec),
        metricsFile: optional(values.metrics),
        framework: optional(values.framework),
        description: optional(values.description),
        noGit: values["no-git"] ?? false,
        schemaFile: optional(values.schema),
      };
    }
    case "model":
      return parseModelCommand(args);
    case "evaluate": {
      const { values } = parse(name, args, {
        model: { type: "string" },
        version: { type: "string" },
        file: { type: "string" },
      });
      if (values.help) return { name: "help" };
      return {
        name,
        json: values.json ?? false,
        model: required(values, "model", name),
        version: required(values, "version", name),
        file: required(values, "file", name),
      };
    }
    case "promote": {
      const { values } = parse(name, args, {
        model: { type: "string" },
        version: { type: "string" },
        environment: { type: "string" },
        justification: { type: "string" },
        wait: { type: "boolean" },
        ...WAITING,
      });
      if (values.help) return { name: "help" };
      return {
        name,
        json: values.json ?? false,
        model: required(values, "model", name),
        version: required(values, "version", name),
        environment: required(values, "environment", name),
        justification: values.justification ?? "",
        wait: values.wait ?? false,
        timeoutMs: parseDuration(values.timeout ?? "30m"),
        intervalMs: parseDuration(values.interval ?? "5s"),
      };
    }
    case "status": {
      const { values, positionals } = parse(name, args, {}, true);
      if (values.help) return { name: "help" };
      return { name, json: values.json ?? false, id: onePositional(positionals, name) };
    }
    case "wait": {
      const { values, positionals } = parse(name, args, WAITING, true);
      if (values.help) return { name: "help" };
      return {
        name,
        json: values.json ?? false,
        id: onePositional(positionals, name),
        timeoutMs: parseDuration(values.timeout ?? "30m"),
        intervalMs: parseDuration(values.interval ?? "5s"),
      };
    }
    case "baseline": {
      const [subcommand, ...rest] = args;
      if (subcommand === "--help" || subcommand === "-h") return { name: "help" };
      if (subcommand !== "upload") {
        throw new CliError(
          `plumbline baseline: expected "upload", got ${subcommand === undefined ? "nothing" : `"${subcommand}"`}.`,
        );
      }
      const { values } = parse("baseline upload", rest, {
        model: { type: "string" },
        version: { type: "string" },
        file: { type: "string" },
        name: { type: "string" },
      });
      if (values.help) return { name: "help" };
      return {
        name: "baseline-upload",
        json: values.json ?? false,
        model: required(values, "model", "baseline upload"),
        version: required(values, "version", "baseline upload"),
        file: required(values, "file", "baseline upload"),
        baselineName: optional(values.name),
      };
    }
    default:
      throw new CliError(`Unknown command "${name}".\n\n${USAGE}`);
  }
}
