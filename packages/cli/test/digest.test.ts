import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { parseDatasetSpec } from "../src/arguments";
import { resolveDataset } from "../src/commands";
import { sha256OfFile } from "../src/digest";

const directory = mkdtempSync(path.join(tmpdir(), "plumbline-cli-"));
writeFileSync(path.join(directory, "train.csv"), "a,b\n1,2\n");
// `printf 'a,b\n1,2\n' | sha256sum`
const trainDigest = "sha256:492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470";

describe("sha256OfFile", () => {
  it("hashes the empty file to the well-known digest", async () => {
    writeFileSync(path.join(directory, "empty"), "");
    expect(await sha256OfFile(path.join(directory, "empty"))).toBe(
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });

  it("names a missing file", async () => {
    await expect(sha256OfFile(path.join(directory, "nope"))).rejects.toThrow(/no such file/);
  });
});

describe("resolveDataset", () => {
  it("hashes a local file relative to the working directory", async () => {
    const dataset = await resolveDataset(parseDatasetSpec("train=train.csv"), directory);
    expect(dataset).toEqual({
      role: "train",
      name: "train",
      digest: trainDigest,
      uri: "train.csv",
    });
  });

  it("refuses a local file whose digest differs from the one given", async () => {
    const spec = parseDatasetSpec(`train=train.csv@sha256:${"0".repeat(64)}`);
    await expect(resolveDataset(spec, directory)).rejects.toThrow(/has digest sha256:/);
  });

  it("takes a remote dataset's digest as given, and needs one", async () => {
    const remote = parseDatasetSpec(`validation=s3://bucket/v.csv@${trainDigest}`);
    expect(await resolveDataset(remote, directory)).toMatchObject({ digest: trainDigest });
    await expect(
      resolveDataset(parseDatasetSpec("validation=s3://bucket/v.csv"), directory),
    ).rejects.toThrow(/give a remote dataset's digest/);
  });
});
