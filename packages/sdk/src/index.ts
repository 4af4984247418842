export { PlumblineClient } from "./client";
export type { CloseOptions, LogLabelInput, LogPredictionInput } from "./client";
export type { ClientStats, PlumblineErrorEvent, RecordKind } from "./events";
export type { PlumblineClientOptions } from "./options";
export type {
  IngestResponse,
  LabelRecord,
  LabelRecordInput,
  ModelReferenceInput,
  PredictionRecord,
  PredictionRecordInput,
  RejectedRecord,
} from "@plumbline/contracts";
