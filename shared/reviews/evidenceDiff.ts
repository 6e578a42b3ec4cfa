/**
 * "What changed since the last approval": a structural diff of two evidence snapshots, grouped by the
 * snapshot's top-level sections (card, fairness, lineage, spend...), so a reviewer re-reviewing a model
 * reads only what moved. Pure; works on any JSON, so it never falls behind the snapshot's shape.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface EvidenceChange {
  /** Top-level key of the snapshot the change sits in, e.g. 'card' or 'fairness'. */
  section: string;
  /** Readable path inside the snapshot, e.g. 'fairness.evaluations[adult-2026-02].measures.dpd'. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: JsonValue;
  after?: JsonValue;
}

/** Array items are matched by the first of these fields they all carry, so a reordered list is not "all changed". */
const IDENTITY_FIELDS = ['id', 'ruleId', 'key', 'measure', 'name', 'ref'] as const;
/** A diff longer than this is cut, with the cut said, rather than flooding the review page. */
const MAX_CHANGES = 500;

export interface EvidenceDiff {
  changes: EvidenceChange[];
  /** Sections with at least one change, in snapshot order. */
  sectionsChanged: string[];
  truncated: boolean;
}

export function diffEvidence(before: JsonValue, after: JsonValue, ignore: readonly string[] = []): EvidenceDiff {
  const changes: EvidenceChange[] = [];
  const beforeObj = isObject(before) ? before : {};
  const afterObj = isObject(after) ? after : {};
  const sections = [...new Set([...Object.keys(beforeObj), ...Object.keys(afterObj)])].filter((s) => !ignore.includes(s));
  for (const section of sections) walk(section, section, beforeObj[section], afterObj[section], changes);
  const truncated = changes.length > MAX_CHANGES;
  const kept = truncated ? changes.slice(0, MAX_CHANGES) : changes;
  return { changes: kept, sectionsChanged: sections.filter((s) => changes.some((c) => c.section === s)), truncated };
}

function walk(section: string, path: string, before: JsonValue | undefined, after: JsonValue | undefined, out: EvidenceChange[]): void {
  if (out.length > MAX_CHANGES) return;
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    out.push({ section, path, kind: 'added', after: after as JsonValue });
    return;
  }
  if (after === undefined) {
    out.push({ section, path, kind: 'removed', before });
    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) walk(section, `${path}.${key}`, before[key], after[key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const identity = identityField(before, after);
    if (identity) {
      const byId = (items: JsonValue[]) => new Map(items.map((item) => [String((item as Record<string, JsonValue>)[identity]), item]));
      const b = byId(before);
      const a = byId(after);
      for (const id of new Set([...b.keys(), ...a.keys()])) walk(section, `${path}[${id}]`, b.get(id), a.get(id), out);
      return;
    }
    if (before.every(isScalar) && after.every(isScalar)) {
      // Lists of plain values (section names, tags) read best as what was added and what went.
      const b = new Set(before.map((v) => JSON.stringify(v)));
      const a = new Set(after.map((v) => JSON.stringify(v)));
      for (const v of after) if (!b.has(JSON.stringify(v))) out.push({ section, path, kind: 'added', after: v });
      for (const v of before) if (!a.has(JSON.stringify(v))) out.push({ section, path, kind: 'removed', before: v });
      return;
    }
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) walk(section, `${path}[${i}]`, before[i], after[i], out);
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ section, path, kind: 'changed', before, after });
}

function identityField(before: JsonValue[], after: JsonValue[]): string | null {
  const items = [...before, ...after];
  if (items.length === 0 || !items.every(isObject)) return null;
  for (const field of IDENTITY_FIELDS) {
    const values = items.map((item) => (item as Record<string, JsonValue>)[field]);
    if (!values.every((v) => typeof v === 'string' || typeof v === 'number')) continue;
    // The field must tell items of one list apart, or matching by it would lose changes.
    if (new Set(before.map((i) => (i as Record<string, JsonValue>)[field])).size === before.length && new Set(after.map((i) => (i as Record<string, JsonValue>)[field])).size === after.length) return field;
  }
  return null;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: JsonValue): boolean {
  return value === null || typeof value !== 'object';
}
