import { Fragment } from "react";

// A longer path segment (a token, a hash) may still break anywhere, so it cannot widen the table.
const UNBROKEN_SEGMENT_MAX = 40;

/**
 * A URL that wraps after the slashes of its path rather than at a hyphen in the middle of a
 * word; the caller's `overflow-wrap: anywhere` breaks what still does not fit.
 */
export function WebhookUrl({ url }: { url: string }) {
  const parts = url.split("/");
  return parts.map((part, index) => {
    const last = index === parts.length - 1;
    return (
      <Fragment key={index}>
        {part.length <= UNBROKEN_SEGMENT_MAX ? (
          <span className="whitespace-nowrap">{part}</span>
        ) : (
          part
        )}
        {last ? null : "/"}
        {/* Never inside the scheme's "//". */}
        {last || index < 2 ? null : <wbr />}
      </Fragment>
    );
  });
}
