import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { BaselineResponse } from "@plumbline/contracts";

import { uploadBaselineFile, type BaselineUploadCommand } from "../src/baseline-upload";
import { EXIT } from "../src/exit-codes";
import { IngestClient } from "../src/ingest-client";
import { main } from "../src/main";

const CSV = "age,region,prediction,score\n41,north,repay,0.8\n,south,default,0.6\n";
// About 1.2 MB: over the 1 MiB from which the file is gzipped.
const LARGE_CSV = `age\n${Array.from({ length: 400_000 }, (_, index) => 18 + (index % 70)).join("\n")}\n`;
const SUMMARY: BaselineResponse = {
  model_id: "credit-risk",
  version: "2",
  revision: 4,
  rows: 2,
  profiles: [
    { target: "feature", name: "age", kind: "numeric", n: 1, missing: 1, bins: 1 },
    { target: "feature", name: "region", kind: "categorical", n: 2, missing: 0, bins: 3 },
  ],
};

interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** An ingest service that answers each request from `answers` in order (the last one repeats). */
function fakeIngest(answers: Array<() => Response>) {
  const requests: SentRequest[] = [];
  const waits: number[] = [];
  const fetchImpl = ((url: string, init: RequestInit) => {
    requests.push({
      url,
      method: init.method ?? "GET",
      headers: init.headers as Record<string, string>,
      body: Buffer.from(init.body as Uint8Array),
    });
    return Promise.resolve(answers[Math.min(requests.length - 1, answers.length - 1)]!());
  }) as typeof fetch;
  const sleep = (ms: number) => {
    waits.push(ms);
    return Promise.resolve();
  };
  return {
    requests,
    waits,
    client: new IngestClient("http://ingest.test/", "pl_live_key", fetchImpl, sleep),
  };
}

const stored = () => Response.json(SUMMARY, { status: 201 });
const busy = () =>
  Response.json(
    { error: "overloaded", message: "At the in-flight limit" },
    { status: 503, headers: { "retry-after": "2" } },
  );

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), "plumbline-cli-"));
  await writeFile(path.join(folder, "train.csv"), CSV);
  await writeFile(path.join(folder, "train.json"), JSON.stringify([{ age: 41 }]));
  await writeFile(path.join(folder, "train.parquet"), "PAR1");
  await writeFile(path.join(folder, "large.csv"), LARGE_CSV);
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function command(overrides: Partial<BaselineUploadCommand> = {}): BaselineUploadCommand {
  return {
    name: "baseline-upload",
    model: "credit-risk",
    version: "2",
    file: "train.csv",
    baselineName: null,
    json: false,
    ...overrides,
  };
}

function run(ingest: IngestClient, overrides: Partial<BaselineUploadCommand> = {}) {
  const lines: string[] = [];
  const done = uploadBaselineFile(command(overrides), {
    ingest,
    cwd: folder,
    print: (line) => lines.push(line),
  });
  return { lines, done };
}

describe("plumbline baseline upload", () => {
  it("posts the CSV file as it is to the version's baseline endpoint and prints the summary", async () => {
    const ingest = fakeIngest([stored]);
    const { lines, done } = run(ingest.client, { baselineName: "training 2026/Q3" });
    await done;

    expect(ingest.requests).toHaveLength(1);
    const [request] = ingest.requests;
    expect(request?.url).toBe(
      "http://ingest.test/v1/models/credit-risk/versions/2/baseline?name=training%202026%2FQ3",
    );
    expect(request?.method).toBe("POST");
    expect(request?.headers).toMatchObject({
      authorization: "Bearer pl_live_key",
      "content-type": "text/csv",
    });
    expect(request?.headers["content-encoding"]).toBeUndefined();
    expect(request?.body.toString("utf8")).toBe(CSV);
    expect(lines).toEqual([
      "Stored the baseline of credit-risk version 2: revision 4, 2 rows.",
      "  feature    age    numeric     n 1, missing 1, 1 bins",
      "  feature    region categorical n 2, missing 0, 3 bins",
    ]);
  });

  it("sends a .json file as JSON and prints the server's answer with --json", async () => {
    const ingest = fakeIngest([stored]);
    const { lines, done } = run(ingest.client, { file: "train.json", json: true });
    await done;
    expect(ingest.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(ingest.requests[0]?.url).toBe(
      "http://ingest.test/v1/models/credit-risk/versions/2/baseline",
    );
    expect(JSON.parse(lines.join("\n"))).toEqual(SUMMARY);
  });

  it("gzips a file of 1 MiB or more", async () => {
    const ingest = fakeIngest([stored]);
    await run(ingest.client, { file: "large.csv" }).done;
    const [request] = ingest.requests;
    expect(request?.headers["content-encoding"]).toBe("gzip");
    expect(request!.body.length).toBeLessThan(LARGE_CSV.length / 2);
    expect(gunzipSync(request!.body).toString("utf8")).toBe(LARGE_CSV);
  });

  it("refuses a file it cannot name the format of, or cannot read, before any request", async () => {
    const ingest = fakeIngest([stored]);
    await expect(run(ingest.client, { file: "train.parquet" }).done).rejects.toMatchObject({
      exitCode: EXIT.error,
      message: expect.stringMatching(/use a \.csv file/) as unknown,
    });
    await expect(run(ingest.client, { file: "missing.csv" }).done).rejects.toThrow(
      "Cannot read missing.csv: no such file.",
    );
    expect(ingest.requests).toHaveLength(0);
  });

  it("exits 1 with the server's reason when the version is not registered", async () => {
    const ingest = fakeIngest([
      () =>
        Response.json(
          { error: "not_found", message: 'version "2" of model "credit-risk" is not registered' },
          { status: 404 },
        ),
    ]);
    await expect(run(ingest.client).done).rejects.toMatchObject({
      exitCode: EXIT.error,
      message: 'version "2" of model "credit-risk" is not registered. (HTTP 404 not_found)',
    });
    expect(ingest.requests).toHaveLength(1);
  });

  it("waits out a 503's Retry-After, then stores", async () => {
    const ingest = fakeIngest([busy, busy, stored]);
    await run(ingest.client).done;
    expect(ingest.requests).toHaveLength(3);
    expect(ingest.waits).toEqual([2000, 2000]);
  });

  it("gives up after three repeats of a 503", async () => {
    const ingest = fakeIngest([busy]);
    await expect(run(ingest.client).done).rejects.toMatchObject({
      exitCode: EXIT.error,
      message: "At the in-flight limit. (HTTP 503 overloaded)",
    });
    expect(ingest.requests).toHaveLength(4);
  });
});

describe("main", () => {
  it("exits 1 naming PLUMBLINE_INGEST_URL when it is not set", async () => {
    vi.stubEnv("PLUMBLINE_INGEST_URL", "");
    vi.stubEnv("PLUMBLINE_API_KEY", "pl_live_key");
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const args = ["baseline", "upload", "--model", "m", "--version", "1", "--file", "d.csv"];
      expect(await main(args)).toBe(EXIT.error);
      expect(errors).toHaveBeenCalledWith(
        expect.stringContaining("PLUMBLINE_INGEST_URL is not set") as unknown,
      );
    } finally {
      errors.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
