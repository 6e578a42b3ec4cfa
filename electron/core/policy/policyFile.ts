import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { fieldPath, type PathSegment } from '../inputFileError';

/** Packs and catalogs are short hand-written files; anything bigger is the wrong file. */
export const MAX_POLICY_FILE_BYTES = 1024 * 1024;

/**
 * A policy pack or control catalog that cannot be used, with where to look: the file, the
 * 1-based line (null when the problem is the whole file) and the field's path.
 */
export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(`${file}${line === null ? '' : `: line ${line}`}${field ? `: ${field}` : ''}: ${reason}`);
    this.name = 'PolicyFileError';
  }
}

interface Ranged {
  range?: [number, number, number] | null;
}

/**
 * The line of the node at `path`, or of its nearest ancestor that exists (a missing key is
 * reported at the object that lacks it).
 */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: readonly PathSegment[]): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = (depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true)) as Ranged | null | undefined;
    if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
  }
  return null;
}

/**
 * Parses YAML (or JSON, which YAML reads as well, with the same line numbers) and validates it.
 * The first problem is thrown as a PolicyFileError naming file, line and field.
 */
export function parsePolicyText<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) throw new PolicyFileError(file, syntax.linePos?.[0]?.line ?? null, null, syntax.message.split('\n')[0] ?? 'not valid YAML or JSON');
  let raw: unknown;
  try {
    // A small alias budget stops "billion laughs" files from exhausting memory. Resolving
    // aliases is the one step that can still fail after a clean parse (an alias whose anchor
    // is missing, or too many of them); the library throws a plain error for it.
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new PolicyFileError(file, lineOfUnresolvedAlias(doc, counter), null, `cannot resolve YAML aliases: ${(err as Error).message}`);
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.filter((p): p is PathSegment => typeof p === 'string' || typeof p === 'number');
  return failAt(file, lineOf(doc, counter, path), path, issue.message);
}

/** The line of the first alias that names no earlier anchor, or null (the budget was exceeded). */
function lineOfUnresolvedAlias(doc: ReturnType<typeof parseDocument>, counter: LineCounter): number | null {
  let line: number | null = null;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined || !node.range) return undefined;
      line = counter.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}

function failAt(file: string, line: number | null, path: PathSegment[], reason: string): never {
  throw new PolicyFileError(file, line, path.length > 0 ? fieldPath(path) : null, reason);
}

/** Reads a policy file with a size cap, so a mistaken pick (a dataset, a binary) is refused unread. */
export function readPolicyFile(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new PolicyFileError(path, null, null, `cannot read: ${(err as Error).message}`);
  }
  if (size > MAX_POLICY_FILE_BYTES) throw new PolicyFileError(path, null, null, `file is ${size} bytes; policy files are limited to ${MAX_POLICY_FILE_BYTES}`);
  const bytes = readFileSync(path);
  // A UTF-8 BOM (Windows editors add one) is not part of the YAML.
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** Caches one parsed value per file, re-reading only when the file's mtime changes. */
export function mtimeCache<T>(): (path: string, load: () => T, extraKey?: string) => T {
  const cache = new Map<string, { key: string; value: T }>();
  return (path, load, extraKey = '') => {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch (err) {
      throw new PolicyFileError(path, null, null, `cannot read: ${(err as Error).message}`);
    }
    const key = `${mtimeMs}|${extraKey}`;
    const hit = cache.get(path);
    if (hit?.key === key) return hit.value;
    const value = load();
    cache.set(path, { key, value });
    return value;
  };
}
