/**
 * The rules a new password must meet. Pure and free of server imports, so the web form can
 * show the same limits the server enforces.
 */
export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase or manager-generated password; bounds the hashing work. */
export const PASSWORD_MAX_LENGTH = 256;

/** Length in characters as a person counts them (code points), not UTF-16 units. */
function characterCount(text: string): number {
  return Array.from(text).length;
}

/**
 * Returns why `newPassword` is not acceptable, naming the rule, or null when it is.
 * `email` and `currentPassword` are the account's, for the "not the same as" rules.
 */
export function findPasswordPolicyViolation(
  newPassword: string,
  account: { email: string; currentPassword: string },
): string | null {
  const length = characterCount(newPassword);
  if (length < PASSWORD_MIN_LENGTH) {
    return `The new password must be at least ${PASSWORD_MIN_LENGTH} characters long (it has ${length}).`;
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return `The new password must be at most ${PASSWORD_MAX_LENGTH} characters long (it has ${length}).`;
  }
  if (newPassword === account.currentPassword) {
    return "The new password must be different from the current one.";
  }
  if (newPassword.trim().toLowerCase() === account.email.trim().toLowerCase()) {
    return "The new password must not be your email address.";
  }
  return null;
}
