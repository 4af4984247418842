import { PredictionRecord, type FeatureValue, type PredictionOutput } from "@plumbline/contracts";

import { timestampProblem } from "../predictions/record-predictions";
import { requestRows, responseRows } from "./inference-payloads";

/** One stored half of an inference exchange. */
export interface CloudEventHalfData {
  half: "request" | "response";
  attributes: Record<string, string>;
  body: unknown;
  receivedAt: Date;
}

export interface CloudEventModel {
  slug: string;
  /** Registered versions, newest first. */
  versions: string[];
  featureNames: string[];
}

export interface BuiltRecords {
  records: PredictionRecord[];
  /** Rows that could not become records (no output for the row, a bad value, a bad time). */
  invalid: number;
}

const METADATA_ATTRIBUTES = ["source", "type", "namespace", "component", "endpoint", "modelid"];

function validDate(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The prediction records of a request/response pair (or of one half alone, marked partial):
 * `prediction_id = "<join id>:<row>"`, `request_id` the join id, the time of the request's
 * `Ce-Time`, `canary` when `Ce-Endpoint` says so, the version from the V2 response when it is
 * registered, else the newest registered version.
 */
export function buildCloudEventRecords(
  joinId: string,
  request: CloudEventHalfData | null,
  response: CloudEventHalfData | null,
  model: CloudEventModel,
  now: Date,
): BuiltRecords {
  const first = request ?? response;
  if (!first) return { records: [], invalid: 0 };
  const inputs = request ? requestRows(request.body, model.featureNames) : null;
  const outputs = response ? responseRows(response.body) : null;
  const reported = outputs?.modelVersion ?? null;
  const version = reported && model.versions.includes(reported) ? reported : model.versions[0];
  const ts =
    validDate(request?.attributes.time) ?? validDate(response?.attributes.time) ?? first.receivedAt;
  const rowCount = Math.max(inputs?.rows.length ?? 0, outputs?.outputs.length ?? 0);
  if (!version || timestampProblem(ts, now) !== null)
    return { records: [], invalid: Math.max(1, rowCount) };

  const endpoint = (request ?? response)!.attributes.endpoint ?? "";
  const metadata: Record<string, string> = {};
  for (const name of METADATA_ATTRIBUTES) {
    const value = first.attributes[name];
    if (value) metadata[`ce_${name}`] = value.slice(0, 512);
  }
  if (inputs) metadata.protocol = inputs.protocol;
  const partial = !request ? "response_only" : !response ? "request_only" : null;
  if (partial) metadata.partial = partial;

  const records: PredictionRecord[] = [];
  let invalid = 0;
  for (let row = 0; row < rowCount; row += 1) {
    const features: Record<string, FeatureValue> = inputs?.rows[row] ?? {};
    const output: PredictionOutput | null = outputs?.outputs[row] ?? null;
    const candidate = {
      prediction_id: `${joinId}:${row}`.slice(0, 512),
      model: {
        id: model.slug,
        version,
        deployment: endpoint.toLowerCase() === "canary" ? "canary" : "stable",
      },
      timestamp: ts.toISOString(),
      features,
      // A request without its response has no output yet: validated with a placeholder, stored
      // with an empty prediction and counted as partial.
      prediction: output ?? (partial === "request_only" ? { value: 0 } : undefined),
      request_id: joinId.slice(0, 512),
      metadata,
    };
    const parsed = PredictionRecord.safeParse(candidate);
    if (!parsed.success) {
      invalid += 1;
      continue;
    }
    if (!output) parsed.data.prediction = {};
    records.push(parsed.data);
  }
  return { records, invalid };
}
