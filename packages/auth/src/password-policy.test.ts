import { describe, expect, it } from "vitest";

import {
  findPasswordPolicyViolation,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from "./password-policy";

const account = { email: "Ada@Example.test", currentPassword: "old password 1" };

describe("findPasswordPolicyViolation", () => {
  it("accepts a long enough password that is neither the current one nor the email", () => {
    expect(findPasswordPolicyViolation("a".repeat(PASSWORD_MIN_LENGTH), account)).toBeNull();
    expect(findPasswordPolicyViolation("b".repeat(PASSWORD_MAX_LENGTH), account)).toBeNull();
  });

  it("names the length rules and the actual length", () => {
    expect(findPasswordPolicyViolation("short", account)).toBe(
      "The new password must be at least 12 characters long (it has 5).",
    );
    expect(findPasswordPolicyViolation("x".repeat(PASSWORD_MAX_LENGTH + 1), account)).toBe(
      "The new password must be at most 256 characters long (it has 257).",
    );
  });

  it("counts characters, not UTF-16 units", () => {
    // Eleven emoji are 22 UTF-16 units but still too short.
    expect(findPasswordPolicyViolation("🔒".repeat(11), account)).toMatch(/it has 11\)/);
    expect(findPasswordPolicyViolation("🔒".repeat(12), account)).toBeNull();
  });

  it("refuses the current password and the email in any case", () => {
    expect(
      findPasswordPolicyViolation("same password", {
        ...account,
        currentPassword: "same password",
      }),
    ).toBe("The new password must be different from the current one.");
    expect(findPasswordPolicyViolation("ada@example.TEST", account)).toBe(
      "The new password must not be your email address.",
    );
  });
});
