import { describe, expect, it } from "vitest";

import { CsvError, CsvRowReader, parseCsv, type CsvRow } from "../src/baselines/parse-csv";

/** Rows read from the text split at `cuts` (indexes into the string). */
function readInPieces(text: string, cuts: number[]): { columns: string[]; rows: CsvRow[] } {
  const rows: CsvRow[] = [];
  const reader = new CsvRowReader((row) => rows.push(row));
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    reader.write(text.slice(start, cut));
    start = cut;
  }
  return { columns: reader.end(), rows };
}

const tricky =
  'name,note,amount\r\n"a, b","line one\r\nline ""two""",1.5\r\n' +
  'é😀,"",-2\n"""",x\r,3e2\n\nzz,"q""",\r\n';

describe("CsvRowReader", () => {
  it("reads a text split anywhere exactly as the whole (quotes, CRLF, escaped quotes)", () => {
    const whole = parseCsv(tricky, 100);
    expect(whole.rows).toEqual([
      { name: "a, b", note: 'line one\r\nline "two"', amount: 1.5 },
      { name: "é😀", note: "", amount: -2 },
      { name: '"', note: "x\r", amount: 300 },
      { name: "zz", note: 'q"', amount: null },
    ]);
    for (let cut = 0; cut <= tricky.length; cut += 1) {
      expect(readInPieces(tricky, [cut])).toEqual(whole);
    }
    const everyCharacter = Array.from({ length: tricky.length }, (_, index) => index);
    expect(readInPieces(tricky, everyCharacter)).toEqual(whole);
  });

  it("names the row whose field count is wrong, and a record past the length bound", () => {
    expect(() => parseCsv("a,b\n1,2\n3\n", 10)).toThrow(
      new CsvError("row 2 has 1 fields, the header has 2"),
    );
    const reader = new CsvRowReader(() => undefined, 8);
    reader.write("a,b\n1,2\n");
    expect(() => reader.write("123456789")).toThrow(/line 3 is longer than 8 characters/);
  });
});
