import { InputFileError, jsonPath, type PathSegment } from './inputFileError';

/**
 * Shared first steps for every imported text file (model cards, fairness evaluations): refuse oversized files before decoding, refuse what is not UTF-8 text,
 * strip a BOM, and turn JSON syntax errors into a line a user can find in an editor.
 */

export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Bytes -> text. The size is checked first, on the bytes, so a huge or binary file is never decoded
 * into a huge string. `what` names the kind of file in messages ("fairness evaluations").
 * A UTF-8 BOM is stripped.
 */
export function decodeTextInput(bytes: Buffer, opts: { maxBytes: number; what: string }): string {
  if (bytes.length > opts.maxBytes) {
    throw new InputFileError('file', `file is ${megabytes(bytes.length)}; ${opts.what} are limited to ${megabytes(opts.maxBytes)}`);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputFileError('file', 'the file is UTF-16 encoded; save it as UTF-8');
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new InputFileError('file', `the file is binary, not text (NUL byte at offset ${nul})`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InputFileError('file', 'the file is not valid UTF-8 text');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const NON_FINITE = ['-Infinity', 'Infinity', 'NaN'] as const;

/**
 * Python's json module writes float('nan') as the bare token NaN (and inf as Infinity), which is not
 * JSON. Finds the first such token outside strings: its offset and spelling.
 */
function findNonFiniteToken(text: string): { offset: number; token: string } | null {
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (ch === 'N' || ch === 'I' || ch === '-') {
      const token = NON_FINITE.find((t) => text.startsWith(t, i));
      if (token) return { offset: i, token };
    }
    i++;
  }
  return null;
}

/** Offset of the first `ch` outside string literals, or -1. */
function firstOutsideStrings(text: string, ch: string): number {
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (text[i] === ch) return i;
    i++;
  }
  return -1;
}

const SENTINEL = '\u0000docket-non-finite\u0000';

function pathOf(value: unknown, target: string, path: PathSegment[] = []): PathSegment[] | null {
  if (value === target) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathOf(value[i], target, [...path, i]);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = pathOf(v, target, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * JSON.parse with errors a user can act on: "line N" and the parser's complaint. A bare NaN or
 * Infinity (as Python writes them) is reported as such, with the JSON path of the field holding it
 * when the rest of the file is well-formed.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const nonFinite = findNonFiniteToken(text);
    if (nonFinite) {
      const { offset, token } = nonFinite;
      let where = '';
      try {
        const patched = `${text.slice(0, offset)}${JSON.stringify(SENTINEL)}${text.slice(offset + token.length)}`;
        const path = pathOf(JSON.parse(patched), SENTINEL);
        if (path) where = ` (${jsonPath(path)})`;
      } catch {
        // Other syntax errors too, or more NaNs: the line alone must do.
      }
      const name = token.replace('-', '');
      throw new InputFileError(`line ${lineAt(text, offset)}`, `${name} is not a number Docket can use${where}`);
    }
    const message = (err as Error).message;
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    const position = /position (\d+)/.exec(message);
    // V8 names an unexpected token without its position; it cannot be part of a valid literal.
    const token = /^Unexpected token '([^'tfnrueals0-9.eE+\-{}[\],:"])'/.exec(message);
    let offset = -1;
    let line: number;
    if (lineCol?.[1]) line = Number(lineCol[1]);
    else if (position?.[1]) line = lineAt(text, Math.min(Number(position[1]), text.trimEnd().length)); // an error in trailing space: the file stops early
    else if (token?.[1] && (offset = firstOutsideStrings(text, token[1])) >= 0) line = lineAt(text, offset);
    else line = lineAt(text, text.trimEnd().length); // "Unexpected end of JSON input": the file stops early
    const reason = message
      .replace(/\s*\((line \d+ column \d+)\)/, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, ".*" is not valid JSON$/s, '');
    throw new InputFileError(`line ${line}`, `invalid JSON: ${reason}`);
  }
}
