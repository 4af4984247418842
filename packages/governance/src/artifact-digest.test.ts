import { describe, expect, it } from "vitest";

import { artifactDigestSchema, isArtifactDigest, normalizeArtifactDigest } from "./artifact-digest";

const hex = "0123456789abcdef".repeat(4);

describe("artifact digests", () => {
  it("accept sha256:<64 lowercase hex> only", () => {
    expect(isArtifactDigest(`sha256:${hex}`)).toBe(true);
    expect(artifactDigestSchema.safeParse(`sha256:${hex}`).success).toBe(true);
    for (const bad of [
      hex,
      `sha256:${hex.slice(1)}`,
      `sha256:${hex}0`,
      `sha256:${hex.toUpperCase()}`,
      `md5:${hex}`,
      `sha256:${"g".repeat(64)}`,
      42,
    ]) {
      expect(isArtifactDigest(bad)).toBe(false);
    }
  });

  it("normalise what a person pastes, or return null", () => {
    expect(normalizeArtifactDigest(`  SHA256:${hex.toUpperCase()}\n`)).toBe(`sha256:${hex}`);
    expect(normalizeArtifactDigest("sha256:abc")).toBeNull();
  });
});
