/**
 * A streaming RFC 4180 CSV reader: text goes in by chunks of any size, records come out one at a
 * time with the line they start on. Memory holds one chunk plus the unfinished record, so a file of
 * any size reads in bounded memory. Quoted fields may hold commas, doubled quotes and line breaks;
 * records end with LF or CRLF.
 *
 * A record comes out either as strings, or (for a reader that only needs some of its values, or
 * recognizes values it has seen before without making strings of them) as the places of its fields in
 * the text: per field, its start, its end and how it was written (FIELD_PLAIN, FIELD_QUOTED, or
 * FIELD_ESCAPED when quoted with doubled quotes inside); the text between start and end is the field
 * without its enclosing quotes. csvFieldText and csvFieldTexts turn places into values.
 */

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export const FIELD_PLAIN = 0;
export const FIELD_QUOTED = 1;
export const FIELD_ESCAPED = 2;

/** A record as the places of its fields in `text`: bounds[3k], bounds[3k + 1], bounds[3k + 2] for field k (start, end, FIELD_*). */
export type CsvRangesSink = (text: string, bounds: Int32Array, count: number, line: number) => void;

/** The value of field k of a record given by its places. */
export function csvFieldText(text: string, bounds: Int32Array, k: number): string {
  const value = text.slice(bounds[3 * k]!, bounds[3 * k + 1]!);
  return bounds[3 * k + 2] === FIELD_ESCAPED ? value.replaceAll('""', '"') : value;
}

/** The values of a record given by its places. */
export function csvFieldTexts(text: string, bounds: Int32Array, count: number): string[] {
  const fields: string[] = new Array<string>(count);
  for (let k = 0; k < count; k++) fields[k] = csvFieldText(text, bounds, k);
  return fields;
}

export class CsvReader {
  /** Text not yet consumed: the start of a record whose end has not arrived. */
  private pending = '';
  /** Line on which `pending` starts (1-based). */
  private line = 1;
  /** The places of the fields of the record being read (start, end, kind), reused record after record. */
  private bounds = new Int32Array(3 * 64);
  private readonly sink: CsvRangesSink;

  /** `onRecord` receives each record's values; or pass null and `onRanges`, to receive their places. */
  constructor(onRecord: ((fields: string[], line: number) => void) | null, onRanges?: CsvRangesSink) {
    if (onRanges) this.sink = onRanges;
    else if (onRecord) this.sink = (text, bounds, count, line) => onRecord(csvFieldTexts(text, bounds, count), line);
    else throw new TypeError('CsvReader needs onRecord or onRanges');
  }

  push(chunk: string): void {
    const pending = this.pending;
    let from = 0;
    let text = chunk;
    if (pending !== '') {
      // The record cut by the end of the last chunk is finished by itself, joined to no more of this
      // chunk than its first line: V8 makes a string joined to a whole chunk flat before reading it,
      // a copy that cost as much as parsing the chunk. Only when that does not finish it (a quoted
      // line break) are the two joined whole.
      const lf = chunk.indexOf('\n');
      const head = lf < 0 ? '' : pending + chunk.slice(0, lf + 1);
      const consumed = lf < 0 ? 0 : this.parse(head, false, 0);
      if (consumed >= pending.length) {
        from = consumed - pending.length;
      } else {
        text = pending + chunk;
        if (consumed > 0) from = consumed;
      }
    }
    const consumed = this.parse(text, false, from);
    this.pending = consumed === text.length ? '' : text.slice(consumed);
  }

  /** The input is complete: a last record without a final newline is emitted; an open quote is an error. */
  end(): void {
    if (this.pending !== '') this.parse(this.pending, true, 0);
    this.pending = '';
  }

  /** Parses whole records from `text`; returns how many characters were consumed. */
  private parse(text: string, final: boolean, from: number): number {
    const n = text.length;
    let pos = from;
    // The next line feed at or after the current field (-1: none left): quoted fields count the line
    // breaks they hold against it, instead of searching each value.
    let nextLf = text.indexOf('\n', from);
    let bounds: Int32Array = this.bounds;
    while (pos < n) {
      const startLine = this.line;
      let newlines = 0;
      let count = 0;
      let i = pos;
      let complete = false;
      for (;;) {
        if (3 * count + 3 > bounds.length) bounds = this.grow();
        const at = 3 * count;
        if (i < n && text.charCodeAt(i) === QUOTE) {
          // Quoted field: runs to the next quote not followed by another quote.
          const from = i + 1;
          let j = from;
          let kind = FIELD_QUOTED;
          let closed = false;
          while (j < n) {
            const q = text.indexOf('"', j);
            if (q < 0) break;
            if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
              kind = FIELD_ESCAPED;
              j = q + 2;
              continue;
            }
            if (q + 1 >= n && !final) break; // cannot tell "" from " yet
            bounds[at] = from;
            bounds[at + 1] = q;
            bounds[at + 2] = kind;
            closed = true;
            j = q + 1;
            break;
          }
          if (!closed) {
            if (final) throw new CsvSyntaxError(startLine, 'a quoted field is never closed (the file ends inside quotes)');
            return pos; // wait for more text
          }
          if (nextLf !== -1 && nextLf < i) nextLf = text.indexOf('\n', i);
          if (nextLf !== -1 && nextLf < j) {
            newlines += countNewlines(text, nextLf, j);
            nextLf = text.indexOf('\n', j);
          }
          count++;
          i = j;
          if (i >= n) {
            if (!final) return pos;
            complete = true;
            break;
          }
          const c = text.charCodeAt(i);
          if (c === COMMA) {
            i += 1;
            continue;
          }
          if (c === LF || c === CR) {
            const after = endOfLine(text, i, final);
            if (after < 0) return pos;
            i = after;
            complete = true;
            break;
          }
          throw new CsvSyntaxError(startLine + newlines, 'unexpected text after a closing quote (a quote inside a field must be doubled)');
        }
        // Unquoted field: runs to the next comma or line end.
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          j++;
        }
        bounds[at] = i;
        bounds[at + 1] = j;
        bounds[at + 2] = FIELD_PLAIN;
        count++;
        if (j >= n) {
          if (!final) return pos;
          i = j;
          complete = true;
          break;
        }
        const c = text.charCodeAt(j);
        if (c === COMMA) {
          i = j + 1;
          continue;
        }
        const after = endOfLine(text, j, final);
        if (after < 0) return pos;
        i = after;
        complete = true;
        break;
      }
      if (!complete) return pos;
      this.line = startLine + newlines + 1;
      // A blank line is not a record (a line holding "" is: one empty field).
      const blank = count === 1 && bounds[1] === bounds[0] && bounds[2] === FIELD_PLAIN;
      pos = i;
      if (!blank) this.sink(text, bounds, count, startLine);
    }
    return pos;
  }

  private grow(): Int32Array {
    const larger = new Int32Array(this.bounds.length * 2);
    larger.set(this.bounds);
    this.bounds = larger;
    return larger;
  }
}

/** Position after the line break at `i` (LF, CRLF or a lone CR), or -1 when a CR ends the text and more may follow. */
function endOfLine(text: string, i: number, final: boolean): number {
  if (text.charCodeAt(i) === LF) return i + 1;
  if (i + 1 < text.length) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  return final ? i + 1 : -1;
}

/** Line feeds in text[from, to), `from` being one. */
function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  let at = from;
  while (at >= 0 && at < to) {
    count++;
    at = text.indexOf('\n', at + 1);
  }
  return count;
}
