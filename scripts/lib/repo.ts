import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A tool from the workspace's node_modules/.bin (pnpm itself need not be on PATH). */
export function bin(name: string, packageDir = repoRoot): string {
  const local = path.join(packageDir, "node_modules", ".bin", name);
  return existsSync(local) ? local : path.join(repoRoot, "node_modules", ".bin", name);
}

/**
 * The web app's signing secret: AUTH_SECRET when set, else one generated once and kept in
 * `.plumbline/auth-secret` (git-ignored), so local sessions survive restarts.
 */
export function localAuthSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(repoRoot, ".plumbline", "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}
