// Building and storing reference baselines: one implementation for ingest's upload endpoint and
// the web app's references (file upload, production window).
export { BaselineDataError } from "./baseline-data-error";
export { buildReferenceProfiles, type BuiltReferenceProfile } from "./build-reference-profiles";
export { CsvError, CsvRowReader, parseCsv, type CsvRow, type CsvTable } from "./parse-csv";
export {
  MAX_WINDOW_REFERENCE_ROWS,
  readWindowReferenceRows,
  type WindowReferenceQuery,
} from "./read-window-rows";
export {
  ReferenceRowCollector,
  rowsOfCsvDataset,
  rowsOfJsonDataset,
  toReferenceRows,
} from "./read-reference-rows";
export {
  referenceColumns,
  toReferenceRow,
  type ReferenceColumn,
  type ReferenceRow,
} from "./reference-columns";
export {
  storeReferenceBaseline,
  type StoreReferenceBaselineInput,
} from "./store-reference-baseline";
