import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvReader, CsvSyntaxError } from '../../../electron/core/spend/csvReader';

function readAll(chunks: string[]): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  const reader = new CsvReader((fields, line) => records.push({ fields, line }));
  for (const c of chunks) reader.push(c);
  reader.end();
  return records;
}

function toCsv(rows: string[][], eol: string): string {
  return rows.map((r) => r.map((f) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f)).join(',')).join(eol) + eol;
}

function splitAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of points) {
    out.push(text.slice(from, p));
    from = p;
  }
  out.push(text.slice(from));
  return out;
}

describe('CsvReader', () => {
  it('reads what csv-parse reads, however the text is cut into chunks', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é', '1', '.') , maxLength: 8 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((width) => fc.array(fc.array(field, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 })),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 6 }),
        (rows, eol, cuts) => {
          const text = toCsv(rows, eol);
          const expected = parse(text, { relax_column_count: true }) as string[][];
          expect(readAll(splitAt(text, cuts)).map((r) => r.fields)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('numbers each record by the line it starts on, counting line breaks inside quotes', () => {
    const records = readAll(['a,b\n1,"x\ny"\n', '\n3,4\r\n5,"6"']);
    expect(records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', 'x\ny'], line: 2 },
      { fields: ['3', '4'], line: 5 },
      { fields: ['5', '6'], line: 6 },
    ]);
  });

  it('refuses an unclosed quote and text after a closing quote, with the line', () => {
    expect(() => readAll(['a,b\n1,"open\n'])).toThrow(CsvSyntaxError);
    try {
      readAll(['a,b\n1,2\n3,"x"y\n']);
    } catch (err) {
      expect(err).toMatchObject({ line: 3 });
    }
  });
});
