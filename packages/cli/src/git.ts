import { execFileSync } from "node:child_process";

import type { CodeReference } from "@plumbline/contracts";

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return null;
  }
}

/**
 * The commit the working directory is at and whether it has uncommitted changes, so a version
 * records the code it was trained from. Null outside a git work tree.
 */
export function readGitLineage(cwd: string): CodeReference | null {
  const commit = git(cwd, ["rev-parse", "HEAD"]);
  if (!commit) return null;
  const status = git(cwd, ["status", "--porcelain"]) ?? "";
  const repo =
    git(cwd, ["config", "--get", "remote.origin.url"]) ||
    git(cwd, ["rev-parse", "--show-toplevel"]) ||
    cwd;
  return { repo, commit, dirty: status.length > 0 };
}
