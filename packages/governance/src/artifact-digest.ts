import { z } from "zod";

const ARTIFACT_DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * An artifact digest is `sha256:` followed by 64 lowercase hex digits (the OCI / DVC convention).
 * Approvals are bound to it (spec, "Approvals must bind to content"), so it is compared as an
 * exact string: normalise user input with {@link normalizeArtifactDigest} first.
 */
export const artifactDigestSchema = z
  .string()
  .regex(ARTIFACT_DIGEST_PATTERN, "expected sha256:<64 lowercase hex digits>");

export type ArtifactDigest = z.infer<typeof artifactDigestSchema>;

export function isArtifactDigest(value: unknown): value is ArtifactDigest {
  return typeof value === "string" && ARTIFACT_DIGEST_PATTERN.test(value);
}

/**
 * Trims and lowercases a digest typed or pasted by a person (`SHA256:ABC…`), returning `null`
 * when the result is still not a valid digest.
 *
 * @example
 * normalizeArtifactDigest(" SHA256:" + "AB".repeat(32)); // "sha256:abab…ab"
 * normalizeArtifactDigest("md5:123"); // null
 */
export function normalizeArtifactDigest(value: string): ArtifactDigest | null {
  const candidate = value.trim().toLowerCase();
  return isArtifactDigest(candidate) ? candidate : null;
}
