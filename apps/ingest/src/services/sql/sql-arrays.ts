import type postgres from "postgres";

/** The OID of `text`; postgres.js maps it to `text[]` for array parameters. */
const TEXT_OID = 25;

/**
 * A JS array as one `text[]` parameter, for `unnest(...)` bulk statements: the SQL casts it to
 * its real type (`${textArray(sql, ids)}::uuid[]`). One parameter per column instead of one per
 * value keeps a 1000-row batch far below postgres.js's 65,534-parameter limit, and the server
 * plans one small statement.
 */
export function textArray(
  sql: postgres.Sql | postgres.TransactionSql,
  values: readonly (string | number | null)[],
) {
  return sql.array(
    values.map((value) => (value === null ? null : String(value))),
    TEXT_OID,
  );
}

/**
 * A timestamp read through the shared pool. Drizzle's postgres.js driver turns off the
 * driver's date parsing (it parses dates itself), so raw queries get ISO-like strings.
 */
export function asDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function asDateOrNull(value: Date | string | null): Date | null {
  return value === null ? null : asDate(value);
}
