/**
 * A small RFC 4180 CSV reader: comma-separated, optional double quotes around a field (`""`
 * inside quotes is one quote), CRLF or LF line ends, the first line names the columns. An
 * empty field is null; a field that reads as a finite number is that number (quoted or not).
 */
export interface CsvTable {
  columns: string[];
  rows: Record<string, string | number | null>[];
}

export class CsvError extends Error {}

function cellValue(raw: string, quoted: boolean): string | number | null {
  if (raw === "" && !quoted) return null;
  const trimmed = raw.trim();
  if (trimmed !== "" && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
    const number = Number(trimmed);
    if (Number.isFinite(number)) return number;
  }
  return raw;
}

export function parseCsv(text: string, maxRows: number): CsvTable {
  const records: { cells: string[]; quoted: boolean[] }[] = [];
  let cells: string[] = [];
  let quotedFlags: boolean[] = [];
  let field = "";
  let quoted = false;
  let inQuotes = false;
  let line = 1;
  const endField = () => {
    cells.push(field);
    quotedFlags.push(quoted);
    field = "";
    quoted = false;
  };
  const endRecord = () => {
    endField();
    if (!(cells.length === 1 && cells[0] === "" && !quotedFlags[0])) {
      records.push({ cells, quoted: quotedFlags });
      if (records.length > maxRows + 1) {
        throw new CsvError(`the dataset has more than ${maxRows} rows`);
      }
    }
    cells = [];
    quotedFlags = [];
  };
  for (let i = 0; i < text.length; i += 1) {
    const character = text[i]!;
    if (inQuotes) {
      if (character === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else inQuotes = false;
      } else {
        if (character === "\n") line += 1;
        field += character;
      }
    } else if (character === '"' && field === "") {
      inQuotes = true;
      quoted = true;
    } else if (character === ",") endField();
    else if (character === "\n") {
      endRecord();
      line += 1;
    } else if (character === "\r" && text[i + 1] === "\n") continue;
    else field += character;
  }
  if (inQuotes) throw new CsvError(`a quoted field opened before line ${line} is never closed`);
  if (field !== "" || cells.length > 0) endRecord();
  const [header, ...body] = records;
  if (!header) throw new CsvError("the CSV is empty; the first line must name the columns");
  const columns = header.cells.map((name) => name.trim());
  const rows = body.map((record, index) => {
    if (record.cells.length !== columns.length) {
      throw new CsvError(
        `row ${index + 1} has ${record.cells.length} fields, the header has ${columns.length}`,
      );
    }
    const row: Record<string, string | number | null> = {};
    columns.forEach((column, c) => {
      row[column] = cellValue(record.cells[c]!, record.quoted[c]!);
    });
    return row;
  });
  return { columns, rows };
}
