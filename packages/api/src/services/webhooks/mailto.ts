/**
 * An email channel stores its recipients as a `mailto:` URI (`mailto:a@example.com,b@example.com`)
 * in the webhook row's `url`, so that every channel has one destination column.
 */

/** Deliberately plain: one `@`, no spaces or angle brackets, a dot in the domain. */
const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

export const MAX_EMAIL_RECIPIENTS = 20;

export class InvalidRecipientsError extends Error {}

/** The recipients of a `mailto:` URI; throws an error naming the problem. */
export function parseMailtoRecipients(uri: string): string[] {
  if (!uri.toLowerCase().startsWith("mailto:")) {
    throw new InvalidRecipientsError('email recipients must be a "mailto:" URI');
  }
  // Headers (`?subject=...`) are not ours to take from a stored URI: Plumbline writes its own.
  const addresses = uri.slice("mailto:".length).split("?")[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(addresses);
  } catch {
    throw new InvalidRecipientsError("email recipients: the mailto: URI is not well encoded");
  }
  const recipients = decoded
    .split(",")
    .map((address) => address.trim())
    .filter((address) => address !== "");
  if (recipients.length === 0) throw new InvalidRecipientsError("email recipients: none given");
  if (recipients.length > MAX_EMAIL_RECIPIENTS) {
    throw new InvalidRecipientsError(
      `email recipients: at most ${MAX_EMAIL_RECIPIENTS}, got ${recipients.length}`,
    );
  }
  for (const address of recipients) {
    if (!ADDRESS.test(address)) {
      throw new InvalidRecipientsError(`email recipients: "${address}" is not an email address`);
    }
  }
  return [...new Set(recipients)];
}

/** The `mailto:` URI of a list of addresses (as typed in the settings form). */
export function mailtoOf(addresses: readonly string[]): string {
  return `mailto:${addresses.map((address) => address.trim()).join(",")}`;
}
