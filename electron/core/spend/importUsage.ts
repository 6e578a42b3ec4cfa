import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ImportResult } from '../../../shared/ipc/contract';
import { readCsv } from '../csv';
import { InputFileError } from '../inputFileError';
import { decodeTextInput } from '../readTextInput';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { finishRun, recordRejectedRun, startRun } from '../store/syncRuns';

/** Usage logs are small aggregates (a row per model and day); anything larger is a mistake. */
const MAX_USAGE_BYTES = 50 * 1024 * 1024;
const REQUIRED = ['day', 'model', 'requests'] as const;
const OPTIONAL = ['input_tokens', 'output_tokens'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface UsageRow {
  model: string;
  day: string;
  requests: number;
  inputTokens: number | null;
  outputTokens: number | null;
}

/**
 * Imports daily usage per model from a CSV `day,model,requests[,input_tokens,output_tokens]`, all or
 * nothing per import. A later file for the same model and day replaces the earlier figure: usage
 * exports are re-issued when counts are corrected.
 */
export function importUsage(store: Store, file: string, options: { actor: string; clock: Clock }): ImportResult {
  const db = store.db;
  const at = isoNow(options.clock);
  let rows: UsageRow[];
  let sha256: string;
  try {
    const bytes = readFileSync(file);
    sha256 = createHash('sha256').update(bytes).digest('hex');
    rows = parseUsage(decodeTextInput(bytes, { maxBytes: MAX_USAGE_BYTES, what: 'usage files' }));
  } catch (err) {
    const rejected = [{ file, location: err instanceof InputFileError ? err.location : 'file', reason: err instanceof InputFileError ? err.reason : (err as Error).message }];
    return { imported: 0, unchanged: 0, rejected, syncRunId: recordRejectedRun(db, 'usage', [file], rejected, options.actor, at) };
  }
  return db
    .transaction((): ImportResult => {
      const runId = startRun(db, 'usage', at, [file]);
      const existing = db.prepare('SELECT requests, input_tokens, output_tokens FROM usage_daily WHERE model = ? AND day = ?');
      const upsert = db.prepare(
        `INSERT INTO usage_daily (model, day, requests, input_tokens, output_tokens, source_sha256, sync_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (model, day) DO UPDATE SET requests = excluded.requests, input_tokens = excluded.input_tokens,
           output_tokens = excluded.output_tokens, source_sha256 = excluded.source_sha256, sync_run_id = excluded.sync_run_id`,
      );
      let imported = 0;
      let unchanged = 0;
      for (const r of rows) {
        const before = existing.get(r.model, r.day) as { requests: number; input_tokens: number | null; output_tokens: number | null } | undefined;
        if (before && before.requests === r.requests && before.input_tokens === r.inputTokens && before.output_tokens === r.outputTokens) {
          unchanged += 1;
          continue;
        }
        upsert.run(r.model, r.day, r.requests, r.inputTokens, r.outputTokens, sha256, runId);
        imported += 1;
      }
      finishRun(db, runId, 'ok', { imported, unchanged, rejected: 0 }, { sha256 }, at);
      appendAudit(db, { actor: options.actor, action: 'usage.import', subject: `sync_run:${runId}`, detail: { file, sha256, imported, unchanged } }, at);
      return { imported, unchanged, rejected: [], syncRunId: runId };
    })
    .immediate();
}

function parseUsage(text: string): UsageRow[] {
  const csv = readCsv(text);
  const header = (csv[0]?.fields ?? []).map((h) => h.trim().toLowerCase());
  for (const name of REQUIRED) if (!header.includes(name)) throw new InputFileError('line 1', `the header has no "${name}" column; expected day,model,requests[,input_tokens,output_tokens]`);
  for (const name of header) {
    if (!(REQUIRED as readonly string[]).includes(name) && !(OPTIONAL as readonly string[]).includes(name)) throw new InputFileError('line 1', `unknown column "${name}"`);
  }
  const col = (name: string) => header.indexOf(name);
  const seen = new Map<string, number>();
  const count = (row: { line: number; fields: string[] }, name: string, required: boolean): number | null => {
    const index = col(name);
    const raw = index < 0 ? '' : (row.fields[index] ?? '').trim();
    if (raw === '' && !required) return null;
    if (!/^\d+$/.test(raw)) throw new InputFileError(`line ${row.line}`, `${name} is "${raw}": a whole number of 0 or more is needed`);
    return Number(raw);
  };
  return csv.slice(1).map((row) => {
    if (row.fields.length !== header.length) throw new InputFileError(`line ${row.line}`, `the row has ${row.fields.length} fields, the header has ${header.length}`);
    const day = (row.fields[col('day')] ?? '').trim();
    if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new InputFileError(`line ${row.line}`, `day is "${day}", not a date (YYYY-MM-DD)`);
    const model = (row.fields[col('model')] ?? '').trim();
    if (model === '') throw new InputFileError(`line ${row.line}`, 'model is empty');
    const key = `${model}\u0000${day}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new InputFileError(`line ${row.line}`, `${model} on ${day} appears twice (also line ${earlier})`);
    seen.set(key, row.line);
    return { model, day, requests: count(row, 'requests', true)!, inputTokens: count(row, 'input_tokens', false), outputTokens: count(row, 'output_tokens', false) };
  });
}
