import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";

import { CliError } from "./cli-error";

/** `sha256:<hex>` of a file's bytes, streamed so that large artifacts fit in memory. */
export async function sha256OfFile(path: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new CliError(`Cannot read ${path}: no such file.`);
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest("hex")}`;
}

/** True when `path` names an existing regular file. */
export async function isLocalFile(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info?.isFile() ?? false;
}
