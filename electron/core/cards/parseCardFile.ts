import { basename, dirname, extname } from 'node:path';
import type { CanonicalCard } from '../../../shared/domain/modelCard';
import { CardParseError } from './cardError';
import { parseCycloneDx } from './cyclonedx';
import { parseHuggingFaceCard } from './huggingface';
import { parseModelCardToolkit } from './modelCardToolkit';

/** Cards are small text files; anything larger is a mistake (a checkpoint, a dataset) and is refused unread. */
export const MAX_CARD_BYTES = 20 * 1024 * 1024;

export const CARD_FILE_EXTENSIONS = ['.md', '.json'] as const;

/** True for files this module can parse: README.md and other Markdown cards, and JSON cards. */
export function isCardFile(path: string): boolean {
  return (CARD_FILE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Bytes -> text, refusing what is not a UTF-8 text file. Checked on the bytes so that a binary
 * file is never decoded into a huge string of replacement characters.
 */
function decodeText(bytes: Buffer): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new CardParseError('file', 'the file is UTF-16 encoded; save the card as UTF-8');
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new CardParseError('file', `the file is binary, not a text card (NUL byte at offset ${nul})`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CardParseError('file', 'the file is not valid UTF-8 text');
  }
}

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * JSON.parse only reports a character position (V8: "... at position 123", newer: "(line 3 column 5)",
 * or nothing when the input just stops); turn it into the line a user can find in an editor.
 */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    const position = /position (\d+)/.exec(message);
    let line: number;
    if (lineCol?.[1]) line = Number(lineCol[1]);
    else if (position?.[1]) line = lineAt(text, Number(position[1]));
    else line = lineAt(text, text.trimEnd().length); // "Unexpected end of JSON input": the file stops early
    const reason = message.replace(/\s*\((line \d+ column \d+)\)/, '').replace(/ in JSON at position \d+.*$/, '');
    throw new CardParseError(`line ${line}`, `invalid JSON: ${reason}`);
  }
}

/** Folder name a README's model is called by when the card names none (Hub repos are folders). */
function folderNameFor(path: string): string {
  const file = basename(path);
  // Collections of cards flatten "Org/name/README.md" into "Org_name_README.md".
  const flattened = /^(.+)_README\.md$/i.exec(file);
  if (flattened?.[1]) return flattened[1];
  return basename(dirname(path));
}

/**
 * Parses one card file into canonical cards (a CycloneDX BOM may describe several models).
 * Throws CardParseError; the caller adds the file name to the rejection.
 */
export function parseCardFile(file: { path: string; bytes: Buffer }, opts: { fallbackVersion?: string }): CanonicalCard[] {
  if (file.bytes.length > MAX_CARD_BYTES) {
    throw new CardParseError('file', `file is ${megabytes(file.bytes.length)}; model cards are limited to ${megabytes(MAX_CARD_BYTES)}`);
  }
  const ext = extname(file.path).toLowerCase();
  if (!isCardFile(file.path)) {
    throw new CardParseError(
      'file',
      `unsupported file type "${ext || basename(file.path)}": model cards are .md (Hugging Face README) or .json (Model Card Toolkit, CycloneDX)`,
    );
  }
  const text = decodeText(file.bytes);

  if (ext === '.md') {
    return [parseHuggingFaceCard(text, { folderName: folderNameFor(file.path), fallbackVersion: opts.fallbackVersion })];
  }

  const json = parseJson(text.replace(/^\uFEFF/, ''));
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const record = json as Record<string, unknown>;
    if (record.bomFormat === 'CycloneDX') return parseCycloneDx(json, opts);
    if ('model_details' in record) return [parseModelCardToolkit(json, opts)];
  }
  throw new CardParseError(
    '$',
    'not a recognised model card: expected a CycloneDX ML-BOM (bomFormat "CycloneDX") or Model Card Toolkit JSON (with model_details)',
  );
}
