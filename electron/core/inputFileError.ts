import type { z } from 'zod';

/**
 * An imported file (model card, fairness evaluation...) that cannot be read. `location` points the user at the
 * problem: "line N" (1-based) for YAML/Markdown and JSON syntax, a JSON path such as
 * "$.model_details.name" for structural problems, or "file" when the whole file is at fault.
 * The file name itself is added by the caller, which knows it.
 */
export class InputFileError extends Error {
  constructor(
    readonly location: string,
    readonly reason: string,
  ) {
    super(`${location}: ${reason}`);
    this.name = 'InputFileError';
  }
}

export type PathSegment = string | number;

/** Renders a path as a JSONPath-like string: ["a", 0, "b-c"] -> $.a[0]["b-c"]. */
export function jsonPath(path: readonly PathSegment[], root = '$'): string {
  let out = root;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The same path without the "$." prefix, for messages about YAML fields ("model-index[0].name"). */
export function fieldPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out === '' ? '(front matter)' : out;
}

/** A short, user-facing name for a value's type ("a list", "an object", "null"). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current = root;
  for (const seg of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[seg];
  }
  return current;
}

export interface ShapeProblem {
  path: PathSegment[];
  /** e.g. "license must be a string, got a list" */
  reason: string;
}

/**
 * Turns the first zod issue into a sentence naming the field and the expected type. Schemas that use
 * it put the expected type ("a string", "a list of strings") in their error message, so
 * the message is the expected type and we add what the file actually holds.
 */
export function describeFirstIssue(error: z.ZodError, input: unknown, name: (path: PathSegment[]) => string): ShapeProblem {
  const issue = error.issues[0];
  if (!issue) return { path: [], reason: 'invalid structure' };
  const path = issue.path.filter((p): p is PathSegment => typeof p === 'string' || typeof p === 'number');
  const actual = valueAt(input, path);
  const field = name(path);
  if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
    const expected = issue.message.startsWith('Invalid') ? 'a different type' : issue.message;
    const got = actual === undefined ? 'it is missing' : `got ${describeValue(actual)}`;
    return { path, reason: `${field} must be ${expected}, ${got}` };
  }
  return { path, reason: `${field}: ${issue.message}` };
}
