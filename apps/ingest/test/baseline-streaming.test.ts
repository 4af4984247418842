import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";

import { MAX_BASELINE_ROWS } from "@plumbline/contracts";
import { referenceProfiles } from "@plumbline/db/schema";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFreshModel, createKey, startIngestHarness, type IngestHarness } from "./harness";

let harness: IngestHarness;
let token: string;

beforeAll(async () => {
  harness = await startIngestHarness({ baselineBodyLimitBytes: 4 * 1024 * 1024 });
  token = (await createKey(harness.db, harness.project.id, { scopes: ["baselines:write"] })).token;
});

afterAll(async () => {
  await harness.close();
});

/** A body given to the app as a stream, chunk by chunk, counting the chunks it pulled. */
function streamed(chunks: Iterable<Buffer>) {
  const pulled = { count: 0 };
  function* counting() {
    for (const chunk of chunks) {
      pulled.count += 1;
      yield chunk;
    }
  }
  return { body: Readable.from(counting(), { objectMode: false }), pulled };
}

/**
 * Sends chunks over a real connection to 127.0.0.1 (chunked transfer encoding), stopping when
 * the answer arrives: how many chunks the client had sent by then shows whether the server
 * answered before the end of the body.
 */
async function uploadOverHttp(model: string, chunks: Iterable<Buffer>) {
  const address = harness.app.server.address() as AddressInfo | null;
  if (!address) await harness.app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = harness.app.server.address() as AddressInfo;
  return new Promise<{ status: number; body: string; headers: object; sent: number }>(
    (resolve, reject) => {
      let sent = 0;
      let answered = false;
      const request = httpRequest({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: `/v1/models/${model}/versions/1/baseline`,
        headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
      });
      request.on("response", (response) => {
        answered = true;
        const sentAtAnswer = sent;
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (text: string) => (body += text));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            body,
            headers: response.headers,
            sent: sentAtAnswer,
          }),
        );
      });
      // The server may close the connection while the client is still sending.
      request.on("error", (error) => {
        if (!answered) reject(error);
      });
      const iterator = chunks[Symbol.iterator]();
      const pump = () => {
        while (!answered) {
          const next = iterator.next();
          if (next.done) {
            request.end();
            return;
          }
          sent += 1;
          if (!request.write(next.value)) {
            request.once("drain", pump);
            return;
          }
        }
      };
      pump();
    },
  );
}

function upload(model: string, payload: Buffer | string | Readable, headers = {}) {
  return harness.app.inject({
    method: "POST",
    url: `/v1/models/${model}/versions/1/baseline`,
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv", ...headers },
    payload,
  });
}

async function storedProfiles(modelId: string) {
  const rows = await harness.db
    .select({
      target: referenceProfiles.target,
      name: referenceProfiles.name,
      profile: referenceProfiles.profile,
    })
    .from(referenceProfiles)
    .where(and(eq(referenceProfiles.modelId, modelId), eq(referenceProfiles.version, "1")))
    .orderBy(asc(referenceProfiles.target), asc(referenceProfiles.name));
  return rows;
}

/** 300 rows with multi-byte text, quoted commas and newlines, escaped quotes and CRLF ends. */
function trickyCsv(): Buffer {
  const cities = ["Zürich", "東京", "São Paulo", 'the "big" apple', "a,b", "line\nbreak", "😀"];
  const lines = ["city,amount,prediction,score"];
  for (let i = 0; i < 300; i += 1) {
    const city = cities[i % cities.length]!.replaceAll('"', '""');
    lines.push(`"${city}",${i * 1.5},${i % 2 ? "yes" : "no"},${(i % 100) / 100}`);
  }
  return Buffer.from(`${lines.join("\r\n")}\r\n`, "utf8");
}

/** The buffer cut into pieces of 1 to 7 bytes (so multi-byte characters and CRLF are split). */
function smallPieces(buffer: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  for (let start = 0, size = 1; start < buffer.length; start += size, size = (size % 7) + 1) {
    pieces.push(buffer.subarray(start, start + size));
  }
  return pieces;
}

describe("baseline uploads are read as a stream", () => {
  it("parses a body split into many small chunks exactly like the whole body", async () => {
    const csv = trickyCsv();
    const whole = await createFreshModel(harness, "stream-whole");
    const split = await createFreshModel(harness, "stream-split");
    const first = await upload("stream-whole", csv);
    expect(first.statusCode, first.body).toBe(201);
    const { body, pulled } = streamed(smallPieces(csv));
    const second = await upload("stream-split", body);
    expect(second.statusCode, second.body).toBe(201);
    expect(pulled.count).toBeGreaterThan(1000);
    expect({ ...second.json<object>(), model_id: "x" }).toEqual({
      ...first.json<object>(),
      model_id: "x",
    });
    expect(second.json()).toMatchObject({ rows: 300 });
    const profiles = await storedProfiles(split.id);
    expect(profiles).toEqual(await storedProfiles(whole.id));
    expect(JSON.stringify(profiles)).toContain("東京");
    expect(JSON.stringify(profiles)).toContain('the \\"big\\" apple');
  });

  it("parses NDJSON split across chunks, and a gzip body, like the whole", async () => {
    await createFreshModel(harness, "stream-ndjson");
    const lines = Array.from(
      { length: 200 },
      (_, i) => `${JSON.stringify({ city: i % 2 ? "Zürich" : "東京", amount: i })}\n`,
    );
    const ndjson = Buffer.from(lines.join(""), "utf8");
    const { body } = streamed(smallPieces(ndjson));
    const plain = await upload("stream-ndjson", body, { "content-type": "application/x-ndjson" });
    expect(plain.statusCode, plain.body).toBe(201);
    const gzipped = await upload("stream-ndjson", gzipSync(trickyCsv()), {
      "content-encoding": "gzip",
    });
    expect(gzipped.statusCode, gzipped.body).toBe(201);
    expect(gzipped.json()).toMatchObject({ rows: 300, revision: 2 });
  });

  it("refuses MAX_BASELINE_ROWS + 1 rows naming the limit, before reading the rest", async () => {
    await createFreshModel(harness, "stream-rows");
    const rowsPerChunk = 10_000;
    const chunkCount = MAX_BASELINE_ROWS / rowsPerChunk + 2_000;
    const chunk = Buffer.from("1\n".repeat(rowsPerChunk));
    const response = await uploadOverHttp(
      "stream-rows",
      (function* () {
        yield Buffer.from("amount\n");
        for (let i = 0; i < chunkCount; i += 1) yield chunk;
      })(),
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: "schema_violation",
      message: `The reference dataset is malformed: it has more than ${MAX_BASELINE_ROWS} rows`,
    });
    // Answered as soon as the limit was passed, not after the whole body was read.
    expect(response.sent).toBeLessThan(chunkCount);
  }, 60_000);

  it("refuses a huge body by bytes as it streams, plain or gzip", async () => {
    await createFreshModel(harness, "stream-bytes");
    const chunkCount = 1_000;
    const chunk = Buffer.from(`${"1234567,".repeat(1023)}1234567\n`); // 8 KiB a line
    const response = await uploadOverHttp(
      "stream-bytes",
      (function* () {
        yield Buffer.from(`${Array.from({ length: 1024 }, (_, i) => `c${i}`).join(",")}\n`);
        for (let i = 0; i < chunkCount; i += 1) yield chunk;
      })(),
    );
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toEqual({
      error: "payload_too_large",
      message: `Request body is larger than ${4 * 1024 * 1024} bytes; split the batch`,
    });
    expect(response.headers).toMatchObject({ connection: "close" });
    expect(response.sent).toBeLessThan(chunkCount);

    const header = Buffer.from(`${Array.from({ length: 1024 }, (_, i) => `c${i}`).join(",")}\n`);
    const bomb = gzipSync(Buffer.concat([header, ...Array<Buffer>(2_000).fill(chunk)]));
    const inflated = await upload("stream-bytes", bomb, { "content-encoding": "gzip" });
    expect(inflated.statusCode, inflated.body).toBe(413);
  });

  it("refuses invalid UTF-8 split across chunks, and a value the database cannot store", async () => {
    await createFreshModel(harness, "stream-utf8");
    const { body } = streamed([Buffer.from("city\nab"), Buffer.from([0xc3]), Buffer.from("(\n")]);
    const bad = await upload("stream-utf8", body);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      error: "invalid_json",
      message: "Request body is not valid UTF-8",
    });
    const nul = await upload("stream-utf8", "city,amount\nok,1\nx\u0000y,2\n");
    expect(nul.statusCode).toBe(400);
    expect(nul.json<{ message: string }>().message).toMatch(/row 1, column city: .*NUL/i);
  });
});
