import { InputFileError } from './inputFileError';

/**
 * A small RFC 4180 reader: comma-separated fields, double-quoted fields may hold commas, line breaks and
 * doubled quotes (""), records end with CRLF or LF (or a lone CR). Blank lines are skipped.
 * Each row carries the 1-based line on which it starts, for error messages.
 */
export interface CsvRow {
  line: number;
  fields: string[];
}

export function readCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false; // the current field was quoted: no more text may follow its closing quote
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const n = text.length;

  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    const blank = fields.length === 0 && field === '' && !quoted;
    endField();
    if (!blank) rows.push({ line: rowLine, fields });
    fields = [];
  };

  while (i < n) {
    const ch = text[i];
    if (ch === ',') {
      endField();
      i++;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      rowLine = line;
    } else if (quoted) {
      throw new InputFileError(`line ${line}`, `unexpected text after a closing quote in column ${fields.length + 1}; quote the whole field and double any quotes inside it`);
    } else if (ch === '"') {
      if (field !== '') {
        throw new InputFileError(`line ${line}`, `a quote inside unquoted column ${fields.length + 1}; quote the whole field and double any quotes inside it`);
      }
      const quoteLine = line;
      quoted = true;
      i++;
      for (;;) {
        if (i >= n) throw new InputFileError(`line ${quoteLine}`, `a quoted field in column ${fields.length + 1} is never closed (missing ")`);
        const c = text[i] as string;
        if (c === '"') {
          if (text[i + 1] !== '"') break;
          field += '"';
          i += 2;
          continue;
        }
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
        i++;
      }
      i++; // the closing quote
    } else {
      // An unquoted run up to the next separator, taken in one slice.
      let j = i + 1;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13 || c === 34) break; // , \n \r "
        j++;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (fields.length > 0 || field !== '' || quoted) endRecord();
  return rows;
}

/** A decimal number as written in a CSV cell, or null (NaN, inf, empty and words are not numbers). */
export function parseDecimal(text: string): number | null {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** How a cell reads in a message: "abc", or "empty". */
export function showCell(text: string): string {
  return text.trim() === '' ? 'empty' : JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * The group a row of a fairness CSV describes: its first `featureCount` cells, one value per
 * sensitive feature. Checks the row has as many fields as the header and names every value.
 */
export function groupOfRow(row: CsvRow, header: readonly string[], features: readonly string[], label: (values: string[]) => string): { values: string[]; label: string; key: string } {
  const { line, fields } = row;
  if (fields.length !== header.length) {
    throw new InputFileError(`line ${line}`, `the row has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${header.length} (${header.join(',')})`);
  }
  const values = fields.slice(0, features.length).map((v) => v.trim());
  values.forEach((v, c) => {
    if (v === '') throw new InputFileError(`line ${line}`, `${features[c]} is empty; every row names its group`);
  });
  return { values, label: label(values), key: JSON.stringify(values) };
}
