import {
  BaselineDataError,
  rowsOfCsvDataset,
  rowsOfJsonDataset,
  toReferenceRows,
  type ReferenceRow,
} from "@plumbline/db/baselines";

import type { ServiceContext } from "../service-context";
import { ServiceError } from "../service-error";
import { findVersion } from "../registry/models";
import { createReference, type CreatedReference } from "./create-reference";

/**
 * The largest file the web app takes. Bigger training sets go through the ingest endpoint
 * (the CLI's `plumbline baseline upload`, the SDKs), which streams up to 64 MB.
 */
export const MAX_REFERENCE_UPLOAD_BYTES = 5 * 1024 * 1024;

export function referenceTooLargeMessage(bytes: number): string {
  const megabytes = (value: number) => `${(value / (1024 * 1024)).toFixed(1)} MB`;
  return (
    `The file is ${megabytes(bytes)}; uploads here take at most ${megabytes(MAX_REFERENCE_UPLOAD_BYTES)}. ` +
    "Upload larger datasets with the CLI (`plumbline baseline upload`) or the SDK, or sample the file."
  );
}

export interface ReferenceUploadInput {
  modelSlug: string;
  version: string;
  format: "csv" | "json";
  content: string;
}

/** The file's rows: CSV with a header line, or JSON (an array of rows, or `{ rows: [...] }`). */
function readUploadedRows(format: "csv" | "json", content: string): ReferenceRow[] {
  try {
    if (format === "csv") return toReferenceRows(rowsOfCsvDataset(content));
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      throw new BaselineDataError(`it is not valid JSON (${(error as Error).message})`);
    }
    return toReferenceRows(rowsOfJsonDataset(value));
  } catch (error) {
    if (error instanceof BaselineDataError) {
      throw new ServiceError(
        "BAD_REQUEST",
        "reference_invalid",
        `The reference file is malformed: ${error.message}`,
      );
    }
    throw error;
  }
}

/** A reference from a file uploaded in the web app, size-checked before it is parsed. */
export async function uploadReference(
  ctx: ServiceContext,
  input: ReferenceUploadInput,
): Promise<CreatedReference> {
  const bytes = Buffer.byteLength(input.content, "utf8");
  if (bytes > MAX_REFERENCE_UPLOAD_BYTES) {
    throw new ServiceError("BAD_REQUEST", "reference_too_large", referenceTooLargeMessage(bytes));
  }
  const { model } = await findVersion(ctx.db, ctx.projectId, input);
  const rows = readUploadedRows(input.format, input.content);
  return createReference(ctx, {
    model,
    version: input.version,
    rows,
    source: "upload",
    file: { format: input.format, bytes },
  });
}
