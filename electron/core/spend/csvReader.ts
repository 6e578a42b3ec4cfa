/**
 * A streaming RFC 4180 CSV reader: text goes in by chunks of any size, records come out one at a
 * time with the line they start on. Memory holds one chunk plus the unfinished record, so a file of
 * any size reads in bounded memory. Quoted fields may hold commas, doubled quotes and line breaks;
 * records end with LF or CRLF.
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

export class CsvReader {
  /** Text not yet consumed: the start of a record whose end has not arrived. */
  private pending = '';
  /** Line on which `pending` starts (1-based). */
  private line = 1;

  constructor(private readonly onRecord: (fields: string[], line: number) => void) {}

  push(chunk: string): void {
    const text = this.pending === '' ? chunk : this.pending + chunk;
    const consumed = this.parse(text, false);
    this.pending = consumed === text.length ? '' : text.slice(consumed);
  }

  /** The input is complete: a last record without a final newline is emitted; an open quote is an error. */
  end(): void {
    if (this.pending !== '') this.parse(this.pending, true);
    this.pending = '';
  }

  /** Parses whole records from `text`; returns how many characters were consumed. */
  private parse(text: string, final: boolean): number {
    const n = text.length;
    let pos = 0;
    // The next line feed at or after the current field (-1: none left): quoted fields count the line
    // breaks they hold against it, instead of searching each value.
    let nextLf = text.indexOf('\n');
    while (pos < n) {
      const startLine = this.line;
      let newlines = 0;
      const fields: string[] = [];
      let i = pos;
      let complete = false;
      for (;;) {
        if (i < n && text.charCodeAt(i) === QUOTE) {
          // Quoted field: runs to the next quote not followed by another quote.
          let value = '';
          let from = i + 1;
          let j = from;
          let closed = false;
          while (j < n) {
            const q = text.indexOf('"', j);
            if (q < 0) break;
            if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
              value += text.slice(from, q + 1);
              from = q + 2;
              j = from;
              continue;
            }
            if (q + 1 >= n && !final) break; // cannot tell "" from " yet
            value += text.slice(from, q);
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
          fields.push(value);
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
        if (j >= n) {
          if (!final) return pos;
          fields.push(text.slice(i, j));
          i = j;
          complete = true;
          break;
        }
        fields.push(text.slice(i, j));
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
      const blank = fields.length === 1 && fields[0] === '' && text.charCodeAt(pos) !== QUOTE;
      pos = i;
      if (!blank) this.onRecord(fields, startLine);
    }
    return pos;
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
