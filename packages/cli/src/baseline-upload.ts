import { readFile } from "node:fs/promises";
import path from "node:path";

import type { Command } from "./arguments";
import { CliError } from "./cli-error";
import type { IngestClient, ReferenceDataset } from "./ingest-client";

export type BaselineUploadCommand = Extract<Command, { name: "baseline-upload" }>;

export interface IngestCommandIo {
  ingest: IngestClient;
  cwd: string;
  print: (line: string) => void;
}

const CONTENT_TYPES: Record<string, string> = {
  ".csv": "text/csv",
  ".json": "application/json",
  ".ndjson": "application/x-ndjson",
  ".jsonl": "application/x-ndjson",
};

/** The file's bytes and the Content-Type its extension names; the server parses the content. */
export async function readReferenceDataset(file: string, cwd: string): Promise<ReferenceDataset> {
  const extension = path.extname(file).toLowerCase();
  const contentType = CONTENT_TYPES[extension];
  if (contentType === undefined) {
    throw new CliError(
      `${file}: use a .csv file (header line, then rows) or a .json array of rows (.ndjson too).`,
    );
  }
  const bytes = await readFile(path.resolve(cwd, file)).catch(() => {
    throw new CliError(`Cannot read ${file}: no such file.`);
  });
  if (bytes.length === 0) throw new CliError(`${file} is empty.`);
  return { contentType, bytes };
}

/** `plumbline baseline upload`: the version's reference dataset, through the ingest service. */
export async function uploadBaselineFile(command: BaselineUploadCommand, io: IngestCommandIo) {
  const dataset = await readReferenceDataset(command.file, io.cwd);
  const summary = await io.ingest.uploadBaseline(
    { model: command.model, version: command.version, name: command.baselineName },
    dataset,
  );
  if (command.json) return io.print(JSON.stringify(summary, null, 2));
  io.print(
    `Stored the baseline of ${summary.model_id} version ${summary.version}: ` +
      `revision ${summary.revision}, ${summary.rows} rows.`,
  );
  const width = Math.max(...summary.profiles.map((profile) => profile.name.length), 4);
  for (const profile of summary.profiles) {
    io.print(
      `  ${profile.target.padEnd(10)} ${profile.name.padEnd(width)} ${profile.kind.padEnd(11)} ` +
        `n ${profile.n}, missing ${profile.missing}, ${profile.bins} bins`,
    );
  }
}
