import { basename, dirname, extname } from 'node:path';
import type { CanonicalCard } from '../../../shared/domain/modelCard';
import { CardParseError } from './cardError';
import { parseCycloneDx } from './cyclonedx';
import { parseHuggingFaceCard } from './huggingface';
import { parseModelCardToolkit } from './modelCardToolkit';
import { decodeTextInput, parseJsonText } from '../readTextInput';

/** Cards are small text files; anything larger is a mistake (a checkpoint, a dataset) and is refused unread. */
export const MAX_CARD_BYTES = 20 * 1024 * 1024;

export const CARD_FILE_EXTENSIONS = ['.md', '.json'] as const;

/** True for files this module can parse: README.md and other Markdown cards, and JSON cards. */
export function isCardFile(path: string): boolean {
  return (CARD_FILE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
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
  const ext = extname(file.path).toLowerCase();
  if (!isCardFile(file.path)) {
    throw new CardParseError(
      'file',
      `unsupported file type "${ext || basename(file.path)}": model cards are .md (Hugging Face README) or .json (Model Card Toolkit, CycloneDX)`,
    );
  }
  // Checked before the extension so a 50 MB file is refused unread whatever it is called.
  const text = decodeTextInput(file.bytes, { maxBytes: MAX_CARD_BYTES, what: 'model cards' });

  if (ext === '.md') {
    return [parseHuggingFaceCard(text, { folderName: folderNameFor(file.path), fallbackVersion: opts.fallbackVersion })];
  }

  const json = parseJsonText(text);
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
