/**
 * PostgreSQL COPY text format: columns separated by tabs, rows by newlines, NULL as `\N`, and
 * backslash, tab, newline and carriage return escaped with a backslash.
 * https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2
 */
const NEEDS_ESCAPE = /[\\\t\n\r]/;

export function copyText(value: string | null): string {
  if (value === null) return "\\N";
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (character) => {
    switch (character) {
      case "\\":
        return "\\\\";
      case "\t":
        return "\\t";
      case "\n":
        return "\\n";
      default:
        return "\\r";
    }
  });
}

/** One COPY row from already-formatted cells. */
export function copyRow(cells: readonly string[]): string {
  return `${cells.join("\t")}\n`;
}
