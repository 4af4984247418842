import { describe, expect, it } from "vitest";

import { parseCommand, parseDatasetSpec, parseDuration } from "../src/arguments";
import { CliError } from "../src/cli-error";

const digest = `sha256:${"ab".repeat(32)}`;

describe("parseDuration", () => {
  it.each([
    ["30m", 1_800_000],
    ["5s", 5000],
    ["1h30m", 5_400_000],
    ["250ms", 250],
    ["90", 90_000],
  ])("reads %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "5 minutes", "m", "0s", "5x"])("refuses %j", (text) => {
    expect(() => parseDuration(text)).toThrow(CliError);
  });
});

describe("parseDatasetSpec", () => {
  it("names a local file's dataset after the file", () => {
    expect(parseDatasetSpec("train=data/train.csv")).toEqual({
      role: "train",
      name: "train",
      location: "data/train.csv",
      digest: null,
    });
  });

  it("reads an explicit name and a remote URI's digest", () => {
    expect(parseDatasetSpec(`holdout:credit-holdout=s3://bucket/h@1.parquet@${digest}`)).toEqual({
      role: "holdout",
      name: "credit-holdout",
      location: "s3://bucket/h@1.parquet",
      digest,
    });
  });

  it("refuses unknown roles, missing locations and malformed digests", () => {
    expect(() => parseDatasetSpec("test=x.csv")).toThrow(/role "test"/);
    expect(() => parseDatasetSpec("train=")).toThrow(CliError);
    expect(() => parseDatasetSpec("data.csv")).toThrow(CliError);
    expect(() => parseDatasetSpec("train=x.csv@sha256:xyz")).toThrow(/sha256:<64 hex/);
  });
});

describe("parseCommand", () => {
  it("parses register with repeated datasets", () => {
    const command = parseCommand([
      "register",
      "--model",
      "credit",
      "--version",
      "7",
      "--artifact",
      "s3://models/7.pkl",
      "--artifact-file",
      "model.pkl",
      "--dataset",
      "train=train.csv",
      "--dataset",
      `validation=s3://v.csv@${digest}`,
      "--framework",
      "sklearn",
    ]);
    expect(command).toMatchObject({
      name: "register",
      model: "credit",
      version: "7",
      artifactUri: "s3://models/7.pkl",
      artifactFile: "model.pkl",
      artifactDigest: null,
      framework: "sklearn",
      metricsFile: null,
      noGit: false,
      json: false,
    });
    expect(command.name === "register" && command.datasets.map((d) => d.role)).toEqual([
      "train",
      "validation",
    ]);
  });

  it("parses promote with waiting defaults", () => {
    expect(
      parseCommand(["promote", "--model", "m", "--version", "1", "--environment", "production"]),
    ).toMatchObject({ wait: false, timeoutMs: 1_800_000, intervalMs: 5000, justification: "" });
    expect(
      parseCommand([
        "promote",
        "--model=m",
        "--version=1",
        "--environment=production",
        "--wait",
        "--timeout",
        "10m",
      ]),
    ).toMatchObject({ wait: true, timeoutMs: 600_000 });
  });

  it("takes status and wait's promotion id as a positional", () => {
    expect(parseCommand(["status", "abc", "--json"])).toEqual({
      name: "status",
      id: "abc",
      json: true,
    });
    expect(parseCommand(["wait", "abc", "--timeout", "5s"])).toMatchObject({
      name: "wait",
      id: "abc",
      timeoutMs: 5000,
    });
    expect(() => parseCommand(["wait"])).toThrow(/one promotion id/);
  });

  it("names a missing required option, an unknown option and an unknown command", () => {
    expect(() => parseCommand(["evaluate", "--model", "m", "--version", "1"])).toThrow(
      "plumbline evaluate: --file is required.",
    );
    expect(() => parseCommand(["status", "x", "--bogus"])).toThrow(/--bogus/);
    expect(() => parseCommand(["deploy"])).toThrow(/Unknown command "deploy"/);
  });

  it("parses baseline upload, its optional name, and refuses other baseline subcommands", () => {
    expect(
      parseCommand([
        "baseline",
        "upload",
        "--model",
        "credit-risk",
        "--version",
        "2",
        "--file",
        "train.csv",
        "--name",
        "training 2026-Q3",
      ]),
    ).toEqual({
      name: "baseline-upload",
      model: "credit-risk",
      version: "2",
      file: "train.csv",
      baselineName: "training 2026-Q3",
      json: false,
    });
    expect(
      parseCommand(["baseline", "upload", "--model=m", "--version=1", "--file=d.json", "--json"]),
    ).toMatchObject({ baselineName: null, json: true });
    expect(() => parseCommand(["baseline", "upload", "--model", "m", "--version", "1"])).toThrow(
      "plumbline baseline upload: --file is required.",
    );
    expect(() => parseCommand(["baseline", "delete"])).toThrow(/expected "upload", got "delete"/);
    expect(() => parseCommand(["baseline"])).toThrow(/expected "upload", got nothing/);
  });

  it("answers help without a command", () => {
    expect(parseCommand([])).toEqual({ name: "help" });
    expect(parseCommand(["register", "--help"])).toEqual({ name: "help" });
  });
});

describe("model commands", () => {
  it("reads model register with its schema file, the name defaulting to the slug", () => {
    expect(parseCommand(["model", "register", "--model", "iris", "--schema", "s.json"])).toEqual({
      name: "model-register",
      json: false,
      model: "iris",
      modelName: "iris",
      task: null,
      description: null,
      owner: null,
      schemaFile: "s.json",
    });
  });

  it("refuses an unknown task and a model schema without its file", () => {
    expect(() => parseCommand(["model", "register", "--model", "iris", "--task", "vibes"])).toThrow(
      /--task must be one of/,
    );
    expect(() => parseCommand(["model", "schema", "--model", "iris"])).toThrow(
      /--schema is required/,
    );
    expect(() => parseCommand(["model", "delete"])).toThrow(/expected "register" or "schema"/);
  });
});
