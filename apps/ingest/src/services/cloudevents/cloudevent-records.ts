import {
  microsecondTimestamp,
  PredictionRecord,
  summarizeIssues,
  type FeatureValue,
  type PredictionOutput,
  type RecordErrorCode,
} from "@plumbline/contracts";

import { timestampProblem } from "../predictions/record-predictions";
import {
  reportedModelVersion,
  requestRows,
  responseRows,
  type OutputClasses,
} from "./inference-payloads";

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
  /** The class labels of each version that names its classes. */
  classLabels: ReadonlyMap<string, OutputClasses>;
}

/** Why rows did not become records, with how many and the first reason in words. */
export interface RowRejection {
  code: RecordErrorCode;
  count: number;
  message: string;
}

export interface BuiltRecords {
  records: PredictionRecord[];
  /** Rows that could not become records, by reason (no output for the row, a bad value, a bad time). */
  rejected: RowRejection[];
}

const METADATA_ATTRIBUTES = ["source", "type", "namespace", "component", "endpoint", "modelid"];

/** A half's `Ce-Time` to the microsecond, or null when it is missing or not RFC 3339. */
export function eventTime(attributes: Readonly<Record<string, string>>): string | null {
  return attributes.time ? microsecondTimestamp(attributes.time) : null;
}

/** The prediction id of one row: the node that logged it joins the id in a Seldon graph. */
export function cloudEventPredictionId(joinId: string, node: string, row: number): string {
  return (node ? `${joinId}:${node}:${row}` : `${joinId}:${row}`).slice(0, 512);
}

/** The rows of the first half that is there: how many records a pair would have made. */
export function rowCountOf(
  request: CloudEventHalfData | null,
  response: CloudEventHalfData | null,
): number {
  const inputs = request ? requestRows(request.body, []) : null;
  const outputs = response ? responseRows(response.body) : null;
  return Math.max(inputs?.rows.length ?? 0, outputs?.outputs.length ?? 0);
}

/**
 * The prediction records of a request/response pair (or of one half alone, marked partial):
 * `prediction_id = "<join id>:<row>"` (`"<join id>:<node>:<row>"` for a Seldon graph node),
 * `request_id` the join id, the time of the request's `Ce-Time` to the microsecond, `canary`
 * when `Ce-Endpoint` says so, the version from the V2 response when it is registered, else the
 * newest registered version, class indices named by that version's class labels.
 */
export function buildCloudEventRecords(
  exchange: { joinId: string; node: string },
  request: CloudEventHalfData | null,
  response: CloudEventHalfData | null,
  model: CloudEventModel,
  now: Date,
): BuiltRecords {
  const { joinId, node } = exchange;
  const first = request ?? response;
  if (!first) return { records: [], rejected: [] };
  const inputs = request ? requestRows(request.body, model.featureNames) : null;
  // The version alone: the outputs are decoded once, below, named by that version's classes.
  const reported = response ? reportedModelVersion(response.body) : null;
  const version = reported && model.versions.includes(reported) ? reported : model.versions[0];
  const outputs = response
    ? responseRows(response.body, (version && model.classLabels.get(version)) || undefined)
    : null;
  const timestamp =
    (request && eventTime(request.attributes)) ??
    (response && eventTime(response.attributes)) ??
    first.receivedAt.toISOString();
  const rowCount = Math.max(inputs?.rows.length ?? 0, outputs?.outputs.length ?? 0);
  const count = Math.max(1, rowCount);
  if (!version) {
    return {
      records: [],
      rejected: [
        {
          code: "unknown_version",
          count,
          message: `model "${model.slug}" has no registered version`,
        },
      ],
    };
  }
  const timeProblem = timestampProblem(new Date(timestamp), now);
  if (timeProblem !== null) {
    return {
      records: [],
      rejected: [{ code: "timestamp_out_of_range", count, message: `Ce-Time: ${timeProblem}` }],
    };
  }

  const endpoint = first.attributes.endpoint ?? "";
  const metadata: Record<string, string> = {};
  for (const name of METADATA_ATTRIBUTES) {
    const value = first.attributes[name];
    if (value) metadata[`ce_${name}`] = value.slice(0, 512);
  }
  if (inputs) metadata.protocol = inputs.protocol;
  const partial = !request ? "response_only" : !response ? "request_only" : null;
  if (partial) metadata.partial = partial;

  const records: PredictionRecord[] = [];
  const invalid: { count: number; message: string } = { count: 0, message: "" };
  for (let row = 0; row < rowCount; row += 1) {
    const features: Record<string, FeatureValue> = inputs?.rows[row] ?? {};
    const output: PredictionOutput | null = outputs?.outputs[row] ?? null;
    const candidate = {
      prediction_id: cloudEventPredictionId(joinId, node, row),
      model: {
        id: model.slug,
        version,
        deployment: endpoint.toLowerCase() === "canary" ? "canary" : "stable",
      },
      timestamp,
      features,
      // A request without its response has no output yet: validated with a placeholder, stored
      // with an empty prediction and counted as partial.
      prediction: output ?? (partial === "request_only" ? { value: 0 } : undefined),
      request_id: joinId.slice(0, 512),
      metadata,
    };
    const parsed = PredictionRecord.safeParse(candidate);
    if (!parsed.success) {
      invalid.count += 1;
      invalid.message ||= `row ${row}: ${summarizeIssues(parsed.error.issues)}`;
      continue;
    }
    if (!output) parsed.data.prediction = {};
    records.push(parsed.data);
  }
  return {
    records,
    rejected:
      invalid.count > 0
        ? [{ code: "schema_violation", count: invalid.count, message: invalid.message }]
        : [],
  };
}
