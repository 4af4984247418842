/**
 * RFC 3339 times to the microsecond. A JavaScript `Date` holds milliseconds, but KServe's
 * `Ce-Time` carries nanoseconds and PostgreSQL's `timestamptz` keeps microseconds: the text
 * form below is what Plumbline stores, so no digit PostgreSQL can keep is lost on the way.
 */

const RFC3339 =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * `value` as UTC text with exactly six fractional digits (`2026-12-05T08:00:00.123456Z`):
 * digits past the microsecond are truncated (not rounded, so an instant never moves into the
 * next second), the offset is applied. Null when `value` is not an RFC 3339 date-time or its
 * instant is not a valid date.
 */
export function microsecondTimestamp(value: string): string | null {
  const match = RFC3339.exec(value.trim());
  if (!match) return null;
  const [, day, hours, minutes, seconds, fraction = "", offset] = match;
  const digits = fraction.padEnd(6, "0").slice(0, 6);
  // The offset is applied by Date on whole seconds; the fraction never crosses a second.
  const whole = new Date(`${day}T${hours}:${minutes}:${seconds}${offset!.toUpperCase()}`);
  if (Number.isNaN(whole.getTime())) return null;
  return `${whole.toISOString().slice(0, 19)}.${digits}Z`;
}
