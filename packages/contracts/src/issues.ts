import type { z } from "zod";

/**
 * Error-map helpers and a readable rendering of zod issues. Clients read these messages in their
 * logs, so each one names the field (`prediction.score`, `features["age days"]`) and says what
 * is wrong.
 */

/** A schema-level error that still says "is required" when the field is missing. */
export function requiredOr(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message);
}

/** Per-parse error map: "is required" for every missing field, zod's own message otherwise. */
export function missingFieldIsRequired(issue: { input?: unknown }): string | undefined {
  return issue.input === undefined ? "is required" : undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `["records", 3, "features", "age days"]` -> `records[3].features["age days"]`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && IDENTIFIER.test(segment)) {
      out += out === "" ? segment : `.${segment}`;
    } else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

export interface IssueDescription {
  /** Where the problem is, relative to the parsed value ("" for the value itself). */
  path: string;
  message: string;
}

/** Flattens one zod issue; an invalid record key reports why the key is invalid. */
export function describeIssue(issue: z.core.$ZodIssue): IssueDescription {
  const path = formatIssuePath(issue.path);
  if (issue.code === "invalid_key") {
    const reason = issue.issues[0]?.message ?? "is not allowed";
    return { path, message: `key ${reason}` };
  }
  return { path, message: issue.message };
}

/** `"prediction.score: Too big ...; features.x: ..."`, at most `limit` issues. */
export function summarizeIssues(issues: readonly z.core.$ZodIssue[], limit = 5): string {
  const parts = issues.slice(0, limit).map((issue) => {
    const { path, message } = describeIssue(issue);
    return path === "" ? message : `${path}: ${message}`;
  });
  const more = issues.length - limit;
  if (more > 0) parts.push(`and ${more} more ${more === 1 ? "problem" : "problems"}`);
  return parts.join("; ");
}
