import { gzipSync } from "node:zlib";

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createKey, startIngestHarness, type IngestHarness } from "./harness";

/**
 * Property-based fuzzing of every ingest route, in process (app.inject) against a real database:
 * generated bodies, headers and content types, mostly small and mostly hostile. Whatever arrives,
 * the answer is never a 5xx, memory stays bounded, and every record the service says it accepted
 * is stored exactly once (a rejected one not at all). The counts below add up to more than the
 * 10,000 requests the suite promises; each case is cheap so the file stays well under a minute.
 */
const RUNS = {
  predictions: 1_500,
  labels: 1_000,
  baselines: 700,
  cloudEventsBinary: 1_500,
  cloudEventsStructured: 1_500,
  lookup: 2_500,
  status: 2_000,
};
const TOTAL_RUNS = Object.values(RUNS).reduce((sum, runs) => sum + runs, 0);
/** Generous: the point is "bounded", not a tight figure. */
const MAX_HEAP_GROWTH_BYTES = 300 * 1024 * 1024;
const TEST_TIMEOUT_MS = 120_000;
/** Cases in flight at once. */
const CONCURRENCY = 12;

let harness: IngestHarness;
let token: string;
let sent = 0;
let heapBefore = 0;
let lastLoggedError = "";

/** Ids of records generated with a unique id, by what the service answered about them. */
const predictionIds = { accepted: new Set<string>(), rejected: new Set<string>() };
const labelIds = { accepted: new Set<string>(), rejected: new Set<string>() };

beforeAll(async () => {
  // Errors the app logs are kept, so that a 500 names its likely cause in the failure message
  // (with cases in flight at once, the last error logged may belong to a neighbouring case).
  harness = await startIngestHarness({
    logger: {
      level: "error",
      stream: {
        write: (line: string) => {
          lastLoggedError = line.slice(0, 1500);
        },
      },
    },
  });
  token = (
    await createKey(harness.db, harness.project.id, {
      scopes: ["predictions:write", "labels:write", "baselines:write", "read"],
    })
  ).token;
  heapBefore = process.memoryUsage().heapUsed;
});

afterAll(async () => {
  await harness.close();
});

// ---- Generators --------------------------------------------------------------------------

/** Replaced in the serialized body: JSON that JSON.stringify cannot produce. */
const HUGE_NUMBER = "@@huge@@";
const DEEP_SHALLOW = "@@deep40@@";
const DEEP_HOSTILE = "@@deep5000@@";

function serialize(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll(`"${HUGE_NUMBER}"`, "1e400")
    .replaceAll(`"${DEEP_SHALLOW}"`, `${"[".repeat(40)}1${"]".repeat(40)}`)
    .replaceAll(`"${DEEP_HOSTILE}"`, `${"[".repeat(5000)}1${"]".repeat(5000)}`);
}

const hostileCharacter = fc.oneof(
  { weight: 20, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  },
  { weight: 1, arbitrary: fc.constantFrom("\u0000", "\t", "\n", "\\", '"', "\u2028", "\ufeff") },
);
const hostileString = fc.string({ unit: hostileCharacter, maxLength: 12 });
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    1e39,
    3.5e38,
    1e308,
    1e-50,
    1e-45,
    -0,
    2 ** 31,
    3e9,
    -1,
    Number.MAX_SAFE_INTEGER + 2,
    HUGE_NUMBER,
  ),
);
const leaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const hostileJson = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 2, arbitrary: fc.array(leaf, { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.dictionary(hostileString, leaf, { maxKeys: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(hostileString, fc.array(leaf, { maxLength: 2 }), { maxKeys: 2 }),
  },
  { weight: 1, arbitrary: fc.constantFrom(DEEP_SHALLOW, DEEP_HOSTILE) },
);
const fieldName = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom("amount", "country", "age", "tags", "x.y", "_z") },
  { weight: 1, arbitrary: hostileString },
);
const featureValue = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 4 }) },
);

/** Mostly right, sometimes wrong, once in a while absurd. */
function mostly<T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>, weight = 4) {
  return fc.oneof({ weight, arbitrary: good }, { weight: 1, arbitrary: bad });
}

/** A valid record with at most a field or two replaced by something hostile. */
function withHostileFields<T extends Record<string, unknown>>(
  valid: fc.Arbitrary<T>,
  fields: readonly string[],
) {
  return fc.oneof(
    { weight: 1, arbitrary: valid },
    {
      weight: 3,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...fields), hostileJson)
        .map(([record, field, value]) => ({ ...record, [field]: value })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.dictionary(fieldName, hostileJson, { minKeys: 1, maxKeys: 2 }))
        .map(([record, values]) => ({
          ...record,
          features: { ...(record.features as object | undefined), ...values },
        })),
    },
  );
}

const predictionFields = withHostileFields(
  fc.record(
    {
      features: fc.dictionary(fieldName, featureValue, { maxKeys: 4 }),
      prediction: fc.record(
        {
          label: fc.constantFrom("fraud", "legit", 1, true),
          score: fc.double({ min: 0, max: 1, noNaN: true }),
        },
        { requiredKeys: ["label"] },
      ),
      segments: fc.dictionary(fc.constantFrom("region", "tier"), fc.string({ maxLength: 8 }), {
        maxKeys: 2,
      }),
      request_id: fc.string({ minLength: 1, maxLength: 20 }),
      // Single-precision values: a double too small for a real is refused, and rightly so.
      latency_ms: fc.float({ min: 0, max: 1e6, noNaN: true }),
      status: fc.constantFrom("ok", "error"),
    },
    { requiredKeys: ["features", "prediction"] },
  ),
  [
    "features",
    "prediction",
    "segments",
    "metadata",
    "request_id",
    "latency_ms",
    "status",
    "model",
    "timestamp",
    "trace",
    "error_code",
    "unknown_field",
  ],
);

const labelFields = withHostileFields(
  fc.record(
    {
      actual: fc.record({ label: fc.constantFrom("fraud", "legit", 0, false) }),
      label_name: fc.constantFrom("default", "fraud_confirmed"),
      observed_at: fc.constant(new Date().toISOString()),
      source: fc.constantFrom("human", "system"),
      annotator: fc.string({ minLength: 1, maxLength: 10 }),
      weight: fc.double({ min: 0, max: 10, noNaN: true }),
      revision: fc.nat(),
    },
    { requiredKeys: ["actual"] },
  ),
  [
    "actual",
    "label_name",
    "observed_at",
    "source",
    "annotator",
    "weight",
    "revision",
    "metadata",
    "model",
    "unknown_field",
  ],
);

/**
 * Most cases stop before the database (body bytes, content type, key, envelope) and are cheap;
 * record-level cases write, so they are a modest share.
 */
type Layer = "transport" | "envelope" | "records";
const layer = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Layer>("transport") },
  { weight: 3, arbitrary: fc.constant<Layer>("envelope") },
  { weight: 3, arbitrary: fc.constant<Layer>("records") },
);

/** Bytes that are not what the content type says: random, truncated, or odd. */
const transportBody = fc.oneof(
  fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value).slice(0, -1)),
  fc.constantFrom("", "{", "[]", "null", '{"records":', "\\u0000", "a,b\n1,2", "<xml/>"),
);

let sequence = 0;
function uniqueId(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${sequence}`;
}

const contentTypes = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8"),
  },
  { weight: 3, arbitrary: fc.constantFrom("application/x-ndjson", "application/jsonl") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "text/plain",
      "text/csv",
      "application/cloudevents+json",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=latin1",
      "",
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 30 }) },
);

/** Header values a client can actually send (visible ASCII and spaces). */
const headerText = fc
  .string({ unit: "binary-ascii", maxLength: 40 })
  .map((text) => text.replace(/[^\x20-\x7e]/g, "").trim());

const anyExtraHeaders = fc.record(
  {
    "idempotency-key": headerText,
    "x-request-id": headerText,
    "content-encoding": fc.constantFrom("gzip", "identity", "br", "deflate", "GZIP"),
    accept: headerText,
  },
  { requiredKeys: [] },
);
/** Usually none: most clients send plain requests. */
const extraHeaders = mostly(fc.constant({}), anyExtraHeaders, 2);

const authorization = fc.oneof(
  { weight: 12, arbitrary: fc.constant("good") },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constant(null),
      headerText.map((text) => `Bearer ${text}`),
      headerText,
    ),
  },
);

// ---- Sending -----------------------------------------------------------------------------

interface Sent {
  statusCode: number;
  body: string;
}

async function send(
  method: "GET" | "POST",
  url: string,
  options: {
    payload?: string;
    contentType?: string;
    auth?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<Sent> {
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth === undefined ? "good" : options.auth;
  if (auth === "good") headers.authorization = `Bearer ${token}`;
  else if (auth !== null) headers.authorization = auth;
  if (options.contentType !== undefined) headers["content-type"] = options.contentType;
  let payload: Buffer | string | undefined = options.payload;
  const encoding = headers["content-encoding"];
  if (payload !== undefined && encoding?.toLowerCase() === "gzip") payload = gzipSync(payload);
  sent += 1;
  lastLoggedError = "";
  const response = await harness.app.inject({ method, url, headers, payload });
  const answer = { statusCode: response.statusCode, body: response.body };
  expectNoServerError(method, url, headers, options.payload, answer);
  return answer;
}

/** The property every case checks: a clear 4xx at worst, JSON with a code and a message. */
function expectNoServerError(
  method: string,
  url: string,
  headers: Record<string, string>,
  payload: string | undefined,
  answer: Sent,
) {
  const context = `${method} ${url} ${JSON.stringify({ ...headers, authorization: undefined })} ${
    payload === undefined ? "" : JSON.stringify(payload.slice(0, 400))
  } -> ${answer.statusCode} ${answer.body.slice(0, 300)} ${lastLoggedError}`;
  expect(answer.statusCode, context).toBeLessThan(500);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  if (answer.statusCode >= 400 && !("rejected" in body)) {
    expect(typeof body.error, context).toBe("string");
    expect(typeof body.message, context).toBe("string");
  }
}

interface BatchAnswer {
  accepted: number;
  duplicates: number;
  rejected: { index: number }[];
}

/** Sorts the unique ids of a batch into accepted and rejected by the service's answer. */
function track(
  ids: { accepted: Set<string>; rejected: Set<string> },
  tracked: string[],
  answer: Sent,
) {
  if (answer.statusCode === 202 || answer.statusCode === 207) {
    const body = JSON.parse(answer.body) as BatchAnswer;
    expect(body.accepted + body.duplicates + body.rejected.length).toBe(tracked.length);
    const rejected = new Set(body.rejected.map((entry) => entry.index));
    tracked.forEach((id, index) => {
      (rejected.has(index) ? ids.rejected : ids.accepted).add(id);
    });
  } else {
    // A whole-request answer (400, 401, 409, 413, 415, 429, 503): nothing of it is stored.
    for (const id of tracked) ids.rejected.add(id);
  }
}

/** How many rows each id has in `table` (predictions or labels) for the fuzzed model. */
async function rowCounts(table: "predictions" | "labels", ids: string[]) {
  const rows = await harness.sql<{ prediction_id: string; n: number }[]>`
    select prediction_id, count(*)::int as n
    from ${harness.sql(table)}
    where model_id = ${harness.model.id} and prediction_id = any(${ids})
    group by prediction_id`;
  return new Map(rows.map((row) => [row.prediction_id, row.n]));
}

async function expectStoredExactlyOnce(
  table: "predictions" | "labels",
  ids: { accepted: Set<string>; rejected: Set<string> },
) {
  const accepted = [...ids.accepted];
  // A record refused in one request and accepted in a later retry is accepted.
  const rejected = [...ids.rejected].filter((id) => !ids.accepted.has(id));
  expect(accepted.length).toBeGreaterThan(50);
  const counts = await rowCounts(table, [...accepted, ...rejected]);
  const wrong = accepted.filter((id) => counts.get(id) !== 1);
  expect(wrong.map((id) => `${id}: ${counts.get(id) ?? 0} rows`)).toEqual([]);
  const stored = rejected.filter((id) => counts.has(id));
  expect(stored.map((id) => `${id}: ${counts.get(id)} rows`)).toEqual([]);
}

/**
 * Percent-encodes a path segment or query value; a lone surrogate (which encodeURIComponent
 * refuses) is sent as the bytes a careless client would produce for it.
 */
function encodeHostile(text: string): string {
  return text.replace(/[\s\S]/gu, (character) =>
    /\p{Cs}/u.test(character) ? "%ED%A0%80" : encodeURIComponent(character),
  );
}

const FUZZ_MODEL = { id: "fraud-detector", version: "1" };

function ndjson(lines: unknown[]): string {
  return lines.map((line) => serialize(line)).join("\n");
}

/**
 * Runs `requests` generated cases, `CONCURRENCY` at a time: the service is waiting on the
 * database most of the time, and concurrent clients are what it meets in production anyway.
 */
async function fuzz<T>(
  arbitrary: fc.Arbitrary<T>,
  requests: number,
  run: (input: T) => Promise<void>,
) {
  await fc.assert(
    fc.asyncProperty(
      fc.array(arbitrary, { minLength: CONCURRENCY, maxLength: CONCURRENCY }),
      async (cases) => {
        await Promise.all(cases.map(run));
      },
    ),
    { numRuns: Math.ceil(requests / CONCURRENCY) },
  );
}

// ---- Properties --------------------------------------------------------------------------

const isNdjson = (contentType: string) =>
  contentType.includes("ndjson") || contentType.includes("jsonl");

describe("ingest fuzzing: generated bodies, headers and content types on every route", () => {
  it(
    "POST /v1/predictions",
    async () => {
      await fuzz(
        fc.tuple(
          layer,
          fc.array(predictionFields, { minLength: 1, maxLength: 4 }),
          hostileJson,
          transportBody,
          contentTypes,
          extraHeaders,
          authorization,
          fc.constantFrom("batch", "batch", "batch-model", "defaults", "resend"),
        ),
        RUNS.predictions,
        async ([level, records, hostile, rawBody, contentType, headers, auth, shape]) => {
          const url = "/v1/predictions";
          if (level === "transport") {
            await send("POST", url, { payload: rawBody, contentType, auth, headers });
            return;
          }
          if (level === "envelope") {
            const body = { records: hostile, model: FUZZ_MODEL, defaults: hostile };
            await send("POST", url, { payload: serialize(body), contentType, auth, headers });
            return;
          }
          const tracked: string[] = [];
          const built = records.map((fields) => {
            const id = uniqueId("fz-p");
            tracked.push(id);
            return {
              prediction_id: id,
              ...(shape === "batch-model" ? {} : { model: FUZZ_MODEL }),
              timestamp: new Date().toISOString(),
              ...fields,
            };
          });
          const envelope =
            shape === "defaults"
              ? { records: built, defaults: { segments: { tier: "gold" }, metadata: { a: 1 } } }
              : shape === "batch-model"
                ? { model: FUZZ_MODEL, records: built }
                : { records: built };
          const payload = isNdjson(contentType) ? ndjson(built) : serialize(envelope);
          const options = { payload, contentType, auth, headers };
          track(predictionIds, tracked, await send("POST", url, options));
          if (shape === "resend") {
            // A client retrying the same batch: never stored twice.
            track(predictionIds, tracked, await send("POST", url, options));
          }
        },
      );
      await expectStoredExactlyOnce("predictions", predictionIds);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "POST /v1/labels",
    async () => {
      await fuzz(
        fc.tuple(
          layer,
          fc.array(labelFields, { minLength: 1, maxLength: 4 }),
          hostileJson,
          transportBody,
          contentTypes,
          extraHeaders,
          authorization,
          fc.boolean(),
        ),
        RUNS.labels,
        async ([level, labels, hostile, rawBody, contentType, headers, auth, batchModel]) => {
          const url = "/v1/labels";
          if (level === "transport") {
            await send("POST", url, { payload: rawBody, contentType, auth, headers });
            return;
          }
          if (level === "envelope") {
            const body = { labels: hostile, model: batchModel ? hostile : undefined };
            await send("POST", url, { payload: serialize(body), contentType, auth, headers });
            return;
          }
          const tracked: string[] = [];
          const built = labels.map((fields) => {
            const id = uniqueId("fz-l");
            tracked.push(id);
            return {
              prediction_id: id,
              ...(batchModel ? {} : { model: { id: "fraud-detector" } }),
              ...fields,
            };
          });
          const envelope = batchModel
            ? { model: { id: "fraud-detector" }, labels: built }
            : { labels: built };
          const payload = isNdjson(contentType) ? ndjson(built) : serialize(envelope);
          track(
            labelIds,
            tracked,
            await send("POST", url, { payload, contentType, auth, headers }),
          );
        },
      );
      await expectStoredExactlyOnce("labels", labelIds);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "POST /v1/models/{model_id}/versions/{version}/baseline",
    async () => {
      const row = fc.dictionary(
        mostly(fc.constantFrom("amount", "country", "prediction", "score"), hostileString),
        featureValue,
        { minKeys: 1, maxKeys: 4 },
      );
      const csvCell = mostly(
        fc.oneof(fc.integer().map(String), fc.constantFrom("FR", "DE", "")),
        hostileString.map((text) =>
          text.includes(",") ? `"${text.replaceAll('"', '""')}"` : text,
        ),
      );
      await fuzz(
        fc.tuple(
          layer,
          fc.array(row, { minLength: 1, maxLength: 6 }),
          fc.array(fc.array(csvCell, { minLength: 2, maxLength: 2 }), { maxLength: 6 }),
          transportBody,
          fc.constantFrom("json", "json-rows", "ndjson", "csv", "json-hostile"),
          mostly(fc.constantFrom("fraud-detector"), hostileString.map(encodeHostile)),
          mostly(fc.constantFrom("1"), hostileString.map(encodeHostile)),
          fc.tuple(contentTypes, extraHeaders, authorization),
        ),
        RUNS.baselines,
        async ([level, rows, cells, rawBody, format, model, version, [anyType, headers, auth]]) => {
          const url = `/v1/models/${model}/versions/${version}/baseline`;
          if (level === "transport") {
            await send("POST", url, { payload: rawBody, contentType: anyType, auth, headers });
            return;
          }
          const payload =
            format === "csv"
              ? ["amount,country", ...cells.map((line) => line.join(","))].join("\n")
              : format === "ndjson"
                ? ndjson(rows)
                : format === "json-rows"
                  ? serialize({ rows })
                  : format === "json-hostile" || level === "envelope"
                    ? serialize(rows[0])
                    : serialize(rows);
          const contentType =
            format === "csv"
              ? "text/csv"
              : format === "ndjson"
                ? "application/x-ndjson"
                : "application/json";
          await send("POST", url, { payload, contentType, auth, headers });
        },
      );
    },
    TEST_TIMEOUT_MS,
  );

  const cloudEventTypes = mostly(
    fc.constantFrom(
      "org.kubeflow.serving.inference.request",
      "org.kubeflow.serving.inference.response",
      "io.seldon.serving.inference.request",
      "io.seldon.serving.inference.response",
      "io.seldon.serving.feedback",
    ),
    headerText,
  );
  // Large shapes are the crash of issue 11 item 1: the answer must be a 4xx, quickly.
  const shapeDimension = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, 1e6, 1e8, 1e10, 2 ** 53) },
    { weight: 1, arbitrary: hostileJson },
  );
  const v2Tensor = fc.record(
    {
      name: mostly(fc.constantFrom("input-0", "probs"), hostileJson),
      shape: mostly(fc.array(shapeDimension, { maxLength: 3 }), hostileJson),
      datatype: mostly(fc.constantFrom("FP32", "INT64", "BYTES", "BOOL"), hostileJson),
      data: mostly(fc.array(leaf, { maxLength: 8 }), hostileJson),
    },
    { requiredKeys: [] },
  );
  const cloudEventData = fc.oneof(
    fc.record({ instances: mostly(fc.array(featureValue, { maxLength: 4 }), hostileJson) }),
    fc.record({ predictions: mostly(fc.array(featureValue, { maxLength: 4 }), hostileJson) }),
    fc.record({ inputs: mostly(fc.array(v2Tensor, { maxLength: 2 }), hostileJson) }),
    fc.record(
      {
        outputs: mostly(fc.array(v2Tensor, { maxLength: 2 }), hostileJson),
        model_name: mostly(fc.constant("fraud-detector"), hostileJson),
        model_version: mostly(fc.constant("1"), hostileJson),
      },
      { requiredKeys: [] },
    ),
    fc.record({ data: hostileJson, meta: hostileJson }, { requiredKeys: [] }),
    hostileJson,
  );
  /** A few ids, so that halves meet (requests join responses) now and then. */
  const cloudEventId = mostly(fc.constantFrom("ce-a", "ce-b", "ce-c", "ce-d"), headerText);

  it(
    "POST /v1/ingest/cloudevents in binary mode",
    async () => {
      await fuzz(
        fc.tuple(
          layer,
          cloudEventData,
          transportBody,
          fc.record(
            {
              "ce-specversion": mostly(fc.constant("1.0"), headerText),
              "ce-id": cloudEventId,
              "ce-type": cloudEventTypes,
              "ce-source": headerText,
              "ce-time": mostly(fc.constant(new Date().toISOString()), headerText),
              "ce-inferenceservicename": mostly(fc.constant("fraud-detector"), headerText),
              "ce-endpoint": mostly(fc.constantFrom("", "canary", "default"), headerText),
              "ce-component": headerText,
              "ce-requestid": mostly(fc.constantFrom("puid-1", "puid-2"), headerText),
              "ce-modelid": headerText,
            },
            { requiredKeys: ["ce-specversion", "ce-id", "ce-type"] },
          ),
          mostly(fc.constant("application/json"), contentTypes),
          extraHeaders,
          authorization,
        ),
        RUNS.cloudEventsBinary,
        async ([level, data, rawBody, ceHeaders, contentType, headers, auth]) => {
          await send("POST", "/v1/ingest/cloudevents", {
            payload: level === "transport" ? rawBody : serialize(data),
            contentType,
            auth,
            headers: { ...headers, ...ceHeaders },
          });
        },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "POST /v1/ingest/cloudevents in structured mode",
    async () => {
      await fuzz(
        fc.tuple(
          layer,
          fc.record(
            {
              specversion: mostly(fc.constant("1.0"), hostileJson),
              id: mostly(cloudEventId, hostileJson),
              type: mostly(cloudEventTypes, hostileJson),
              source: mostly(fc.constant("kserve"), hostileJson),
              time: mostly(fc.constant(new Date().toISOString()), hostileJson),
              inferenceservicename: mostly(fc.constant("fraud-detector"), hostileJson),
              datacontenttype: mostly(fc.constant("application/json"), hostileJson),
              data: cloudEventData,
              data_base64: hostileJson,
              endpoint: hostileJson,
            },
            { requiredKeys: ["specversion", "id", "type"] },
          ),
          transportBody,
          mostly(fc.constant("application/cloudevents+json"), contentTypes),
          extraHeaders,
          authorization,
        ),
        RUNS.cloudEventsStructured,
        async ([level, event, rawBody, contentType, headers, auth]) => {
          await send("POST", "/v1/ingest/cloudevents", {
            payload: level === "transport" ? rawBody : serialize(event),
            contentType,
            auth,
            headers,
          });
        },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "GET /v1/predictions/{model_id}/{prediction_id}",
    async () => {
      const stored = [...predictionIds.accepted].slice(0, 50);
      const knownId = stored.length > 0 ? fc.constantFrom(...stored) : fc.constant("none");
      await fuzz(
        fc.tuple(
          mostly(fc.constantFrom("fraud-detector"), hostileString),
          fc.oneof({ weight: 1, arbitrary: knownId }, { weight: 3, arbitrary: hostileString }),
          fc.option(mostly(fc.constant("1"), hostileString)),
          extraHeaders,
          authorization,
        ),
        RUNS.lookup,
        async ([model, id, version, headers, auth]) => {
          const query = version === null ? "" : `?version=${encodeHostile(version)}`;
          const url = `/v1/predictions/${encodeHostile(model)}/${encodeHostile(id)}${query}`;
          const answer = await send("GET", url, { auth, headers });
          const plain = Object.keys(headers).length === 0;
          if (plain && auth === "good" && model === "fraud-detector" && stored.includes(id)) {
            if (version === null || version === "1") expect(answer.statusCode).toBe(200);
          }
        },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "GET /v1/ingest/status",
    async () => {
      await fuzz(
        fc.tuple(
          fc.option(fc.dictionary(hostileString, hostileString, { maxKeys: 3 })),
          extraHeaders,
          authorization,
        ),
        RUNS.status,
        async ([query, headers, auth]) => {
          const search =
            query === null
              ? ""
              : `?${Object.entries(query)
                  .map(([key, value]) => `${encodeHostile(key)}=${encodeHostile(value)}`)
                  .join("&")}`;
          await send("GET", `/v1/ingest/status${search}`, { auth, headers });
        },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it("sent at least 10,000 requests, with memory bounded", () => {
    expect(TOTAL_RUNS).toBeGreaterThanOrEqual(10_000);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    const growth = process.memoryUsage().heapUsed - heapBefore;
    expect(growth, `heap grew by ${Math.round(growth / 1024 / 1024)} MiB`).toBeLessThan(
      MAX_HEAP_GROWTH_BYTES,
    );
  });
});
