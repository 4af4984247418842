/**
 * A small RFC 4180 CSV reader: comma-separated, optional double quotes around a field (`""`
 * inside quotes is one quote), CRLF or LF line ends, the first line names the columns. An
 * empty field is null; a field that reads as a finite number is that number (quoted or not).
 *
 * `CsvRowReader` reads text in pieces as it arrives (a request body stream), handing each row
 * on as soon as its line ends, so only the current record is held; `parseCsv` reads one string.
 */
export interface CsvTable {
  columns: string[];
  rows: Record<string, string | number | null>[];
}

export type CsvRow = Record<string, string | number | null>;

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

export class CsvRowReader {
  private columns: string[] | null = null;
  private rowCount = 0;
  private cells: string[] = [];
  private quotedFlags: boolean[] = [];
  private field = "";
  private quoted = false;
  private inQuotes = false;
  private line = 1;
  private recordChars = 0;
  /** A `"` in quotes or a `\r` outside them that ended a piece: its meaning needs the next one. */
  private carry = "";

  constructor(
    private readonly onRow: (row: CsvRow, index: number) => void,
    private readonly maxRecordChars = Number.POSITIVE_INFINITY,
  ) {}

  /** Reads the next piece of the text; rows whose line ended are handed on at once. */
  write(piece: string): void {
    const text = this.carry + piece;
    this.carry = "";
    this.read(text, false);
  }

  /** Reads what is left and checks the text was whole; returns the header's column names. */
  end(): string[] {
    const text = this.carry;
    this.carry = "";
    this.read(text, true);
    if (this.inQuotes) {
      throw new CsvError(`a quoted field opened before line ${this.line} is never closed`);
    }
    if (this.field !== "" || this.cells.length > 0) this.endRecord();
    if (!this.columns) throw new CsvError("the CSV is empty; the first line must name the columns");
    return this.columns;
  }

  private read(text: string, last: boolean): void {
    const length = text.length;
    for (let i = 0; i < length; i += 1) {
      const character = text[i]!;
      if (!last && i === length - 1 && (this.inQuotes ? character === '"' : character === "\r")) {
        this.carry = character;
        return;
      }
      this.recordChars += 1;
      if (this.recordChars > this.maxRecordChars) {
        throw new CsvError(
          `the record on line ${this.line} is longer than ${this.maxRecordChars} characters`,
        );
      }
      if (this.inQuotes) {
        if (character === '"') {
          if (text[i + 1] === '"') {
            this.field += '"';
            i += 1;
          } else this.inQuotes = false;
        } else {
          if (character === "\n") this.line += 1;
          this.field += character;
        }
      } else if (character === '"' && this.field === "") {
        this.inQuotes = true;
        this.quoted = true;
      } else if (character === ",") this.endField();
      else if (character === "\n") {
        this.endRecord();
        this.line += 1;
      } else if (character === "\r" && text[i + 1] === "\n") continue;
      else this.field += character;
    }
  }

  private endField(): void {
    this.cells.push(this.field);
    this.quotedFlags.push(this.quoted);
    this.field = "";
    this.quoted = false;
  }

  private endRecord(): void {
    this.endField();
    const cells = this.cells;
    const quoted = this.quotedFlags;
    this.cells = [];
    this.quotedFlags = [];
    this.recordChars = 0;
    if (cells.length === 1 && cells[0] === "" && !quoted[0]) return;
    if (!this.columns) {
      this.columns = cells.map((name) => name.trim());
      return;
    }
    const columns = this.columns;
    const index = this.rowCount;
    this.rowCount += 1;
    if (cells.length !== columns.length) {
      throw new CsvError(
        `row ${index + 1} has ${cells.length} fields, the header has ${columns.length}`,
      );
    }
    const row: CsvRow = {};
    columns.forEach((column, c) => {
      row[column] = cellValue(cells[c]!, quoted[c]!);
    });
    this.onRow(row, index);
  }
}

export function parseCsv(text: string, maxRows: number): CsvTable {
  const rows: CsvRow[] = [];
  const reader = new CsvRowReader((row) => {
    if (rows.length >= maxRows) throw new CsvError(`the dataset has more than ${maxRows} rows`);
    rows.push(row);
  });
  reader.write(text);
  return { columns: reader.end(), rows };
}
