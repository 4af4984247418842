import { z } from "zod";

/**
 * The instants Plumbline accepts: years 1 to 9999. JavaScript dates reach ±275,760 years and
 * PostgreSQL's `timestamptz` has its own, different range; an instant outside either would fail
 * in the database (a 500) instead of being refused here with a message naming the field.
 */
export const MIN_STORABLE_DATE = new Date("0001-01-01T00:00:00.000Z");
export const MAX_STORABLE_DATE = new Date("9999-12-31T23:59:59.999Z");

/** A date or an ISO 8601 string (coerced), within {@link MIN_STORABLE_DATE}..{@link MAX_STORABLE_DATE}. */
export const StorableDate = z.coerce
  .date()
  .min(MIN_STORABLE_DATE, { error: "must be in the year 1 or later" })
  .max(MAX_STORABLE_DATE, { error: "must be in the year 9999 or earlier" });
