export { PlumblineClient } from "./client";
export type { CloseOptions, LogLabelInput, LogPredictionInput } from "./client";
export type { ClientStats, PlumblineErrorEvent, RecordKind } from "./events";
export type { PlumblineClientOptions } from "./options";
export { RegistryClient, RegistryError } from "./registry-client";
export type { RegistryClientOptions } from "./registry-client";
export { BaselineUploadError } from "./upload-baseline";
export type { BaselineData, BaselineRow, UploadBaselineInput } from "./upload-baseline";
export type {
  BaselineResponse,
  ClassLabelsInput,
  ModelSchemaInput,
  ModelSummary,
  RegisterModelRequestInput,
  RegisterVersionRequestInput,
  VersionSummary,
  IngestResponse,
  LabelRecord,
  LabelRecordInput,
  ModelReferenceInput,
  PredictionRecord,
  PredictionRecordInput,
  RejectedRecord,
} from "@plumbline/contracts";
