import { InputFileError, describeValue, fieldPath, jsonPath, type PathSegment } from '../inputFileError';
import { decodeTextInput, parseJsonText } from '../readTextInput';

/**
 * OpenLineage RunEvents (spec 2-0-x, https://openlineage.io/spec/2-0-2/OpenLineage.json) as Docket imports them.
 *
 * A file holds one event (a JSON object), a JSON array of events, or NDJSON (one event per line, blank
 * lines and CRLF line ends allowed) as the OpenLineage file transport and most proxies write it. Told apart
 * by the text: a first non-space "[" is an array; a text that parses whole is one event; otherwise, when it
 * has several lines and the first starts with "{" and ends with "}", NDJSON.
 *
 * Checked per event (the RunEvent schema; the first problem rejects the whole file):
 * - eventTime: ISO 8601 date-time, e.g. 2024-05-01T12:00:00.123Z or ...+02:00; kept as given. A time with
 *   no offset ("2021-11-03T10:53:52.427343") is accepted: OpenLineage's own Python client tests emit it.
 * - eventType: optional; one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER. Absent (or null) -> OTHER.
 * - producer, schemaURL: non-empty strings (the spec says URI; not enforced).
 * - run.runId: a UUID (any version); returned in lower case so events of one run match.
 * - job.namespace, job.name: non-empty strings.
 * - inputs / outputs: optional lists of datasets with a non-empty namespace and name; facets, inputFacets
 *   (inputs) and outputFacets (outputs) optional objects.
 * Facets are kept raw, exactly as parsed: unknown facets are preserved, facet contents are not checked.
 * Unknown top-level fields are ignored. DatasetEvents and JobEvents (no `run`) are refused.
 *
 * Validation is hand-written rather than zod: it runs once per event on files of 100,000+ events.
 */

export interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets: Record<string, unknown>;
  inputFacets?: Record<string, unknown>;
  outputFacets?: Record<string, unknown>;
}

export const OPENLINEAGE_EVENT_TYPES = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] as const;
export type OpenLineageEventType = (typeof OPENLINEAGE_EVENT_TYPES)[number];

export interface OpenLineageRunEvent {
  /** ISO 8601, as given in the file. */
  eventTime: string;
  eventType: OpenLineageEventType;
  producer: string;
  schemaURL: string;
  run: { runId: string; facets: Record<string, unknown> };
  job: { namespace: string; name: string; facets: Record<string, unknown> };
  inputs: OpenLineageDataset[];
  outputs: OpenLineageDataset[];
  /** Where the event came from: "line 3" (NDJSON), "$[2]" (JSON array) or "$" (a single event). */
  location: string;
}

/** Lineage logs can be long; beyond this the file is refused unread. */
export const MAX_OPENLINEAGE_BYTES = 200 * 1024 * 1024;

type Fail = (path: PathSegment[], reason: string) => never;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))?$/;
const EVENT_TYPES: ReadonlySet<string> = new Set(OPENLINEAGE_EVENT_TYPES);

/** A value as a message shows it: strings quoted (and cut when long), other types by kind. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return describeValue(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isIsoDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false; // 60: a leap second, as RFC 3339 allows
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return true;
}

function requiredText(holder: Record<string, unknown>, key: string, path: PathSegment[], fail: Fail): string {
  const value = holder[key];
  const at = [...path, key];
  if (value === undefined || value === null) fail(at, `${fieldPath(at)} is required`);
  if (typeof value !== 'string') fail(at, `${fieldPath(at)} must be a string, got ${shown(value)}`);
  if (value.trim() === '') fail(at, `${fieldPath(at)} must not be empty`);
  return value;
}

/** An optional facets object: absent or null -> {}; kept raw otherwise. */
function facetsOf(holder: Record<string, unknown>, key: string, path: PathSegment[], fail: Fail): Record<string, unknown> {
  const value = holder[key];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    const at = [...path, key];
    fail(at, `${fieldPath(at)} must be an object of facets, got ${shown(value)}`);
  }
  return value;
}

function datasetsOf(event: Record<string, unknown>, key: 'inputs' | 'outputs', fail: Fail): OpenLineageDataset[] {
  const list = event[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) fail([key], `${key} must be a list of datasets, got ${shown(list)}`);
  const extra = key === 'inputs' ? 'inputFacets' : 'outputFacets';
  const out: OpenLineageDataset[] = new Array<OpenLineageDataset>(list.length);
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    const path = [key, i];
    if (!isObject(item)) fail(path, `${fieldPath(path)} must be a dataset object with a namespace and a name, got ${shown(item)}`);
    const dataset: OpenLineageDataset = {
      namespace: requiredText(item, 'namespace', path, fail),
      name: requiredText(item, 'name', path, fail),
      facets: facetsOf(item, 'facets', path, fail),
    };
    if (item[extra] !== undefined && item[extra] !== null) dataset[extra] = facetsOf(item, extra, path, fail);
    out[i] = dataset;
  }
  return out;
}

/** Validates one parsed event. `fail` turns a path within the event and a reason into the InputFileError. */
function toRunEvent(raw: unknown, location: string, fail: Fail): OpenLineageRunEvent {
  if (!isObject(raw)) fail([], `an OpenLineage event must be a JSON object, got ${shown(raw)}`);
  const run = raw.run;
  if (run === undefined || run === null) {
    if (raw.dataset !== undefined && raw.job === undefined) fail([], 'not a RunEvent: this is a DatasetEvent (it has "dataset" and no "run"); DatasetEvents and JobEvents are not imported');
    if (raw.job !== undefined) fail([], 'not a RunEvent: this is a JobEvent (it has "job" and no "run"); DatasetEvents and JobEvents are not imported');
    fail(['run'], 'run is required');
  }

  const eventTime = raw.eventTime;
  if (eventTime === undefined || eventTime === null) fail(['eventTime'], 'eventTime is required');
  if (typeof eventTime !== 'string' || !isIsoDateTime(eventTime)) {
    fail(['eventTime'], `eventTime ${shown(eventTime)} is not an ISO 8601 date-time (e.g. 2024-05-01T12:00:00.000Z or 2024-05-01T14:00:00+02:00)`);
  }

  let eventType: OpenLineageEventType = 'OTHER';
  const type = raw.eventType;
  if (type !== undefined && type !== null) {
    if (typeof type !== 'string' || !EVENT_TYPES.has(type)) {
      fail(['eventType'], `eventType ${shown(type)} is not one of ${OPENLINEAGE_EVENT_TYPES.join(', ')}`);
    }
    eventType = type as OpenLineageEventType;
  }

  const producer = requiredText(raw, 'producer', [], fail);
  const schemaURL = requiredText(raw, 'schemaURL', [], fail);

  if (!isObject(run)) fail(['run'], `run must be an object with a runId, got ${shown(run)}`);
  const runId = run.runId;
  if (runId === undefined || runId === null) fail(['run', 'runId'], 'run.runId is required');
  if (typeof runId !== 'string' || !UUID.test(runId)) fail(['run', 'runId'], `run.runId must be a UUID, got ${shown(runId)}`);

  const job = raw.job;
  if (job === undefined || job === null) fail(['job'], 'job is required');
  if (!isObject(job)) fail(['job'], `job must be an object with a namespace and a name, got ${shown(job)}`);

  return {
    eventTime,
    eventType,
    producer,
    schemaURL,
    run: { runId: runId.toLowerCase(), facets: facetsOf(run, 'facets', ['run'], fail) },
    job: {
      namespace: requiredText(job, 'namespace', ['job'], fail),
      name: requiredText(job, 'name', ['job'], fail),
      facets: facetsOf(job, 'facets', ['job'], fail),
    },
    inputs: datasetsOf(raw, 'inputs', fail),
    outputs: datasetsOf(raw, 'outputs', fail),
    location,
  };
}

function noEvents(): never {
  throw new InputFileError('file', 'the file holds no OpenLineage events');
}

function parseNdjson(text: string): OpenLineageRunEvent[] {
  const lines = text.split('\n');
  const events: OpenLineageRunEvent[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const location = `line ${i + 1}`;
    let raw: unknown;
    try {
      raw = parseJsonText(line);
    } catch (err) {
      // parseJsonText counts lines within the one line given; a line has no "\n", so it said "line 1".
      if (err instanceof InputFileError) throw new InputFileError(location, err.reason);
      throw err;
    }
    events.push(
      toRunEvent(raw, location, (_path, reason) => {
        throw new InputFileError(location, reason);
      }),
    );
  }
  return events;
}

/** Whether a text that is not one JSON document looks like NDJSON: several lines, the first a whole object. */
function looksLikeNdjson(text: string): boolean {
  let start = 0;
  let first: string | null = null;
  let lines = 0;
  while (start <= text.length && lines < 2) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    if (line !== '') {
      lines++;
      first ??= line;
    }
    start = end + 1;
  }
  return lines >= 2 && first !== null && first.startsWith('{') && first.endsWith('}');
}

/**
 * Parses an OpenLineage file (one event, a JSON array of events, or NDJSON) into RunEvents, in file order.
 * Throws InputFileError on the first problem: "line N" for NDJSON (the field path is in the reason),
 * a JSON path such as "$[2].run.runId" for a JSON array or "$.run.runId" for a single event. The caller
 * adds the file name and imports all or nothing.
 */
export function parseOpenLineageFile(file: { path: string; bytes: Buffer }): OpenLineageRunEvent[] {
  const text = decodeTextInput(file.bytes, { maxBytes: MAX_OPENLINEAGE_BYTES, what: 'OpenLineage event files' });
  const trimmed = text.trimStart();
  if (trimmed === '') noEvents();

  if (trimmed.startsWith('[')) {
    const parsed = parseJsonText(text);
    if (!Array.isArray(parsed)) throw new InputFileError('$', `expected a list of OpenLineage events, got ${shown(parsed)}`);
    if (parsed.length === 0) noEvents();
    return parsed.map((raw: unknown, i) =>
      toRunEvent(raw, `$[${i}]`, (path, reason) => {
        throw new InputFileError(jsonPath([i, ...path]), reason);
      }),
    );
  }

  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    if (looksLikeNdjson(text)) return parseNdjson(text);
    whole = parseJsonText(text); // throws the syntax error with its line
  }
  return [
    toRunEvent(whole, '$', (path, reason) => {
      throw new InputFileError(jsonPath(path), reason);
    }),
  ];
}
