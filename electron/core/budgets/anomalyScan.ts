import type { Database } from 'better-sqlite3';
import { anomalyMethod, DEFAULT_ANOMALY_WINDOW_DAYS, detectAnomalies, type AnomalyOptions } from '../../../shared/budgets/anomalies';
import type { AnomalyDriver, AnomalyView } from '../../../shared/budgets/budgetViews';
import { addDays } from '../../../shared/budgets/dailySeries';
import type { AnomalyVerdict, DailyCost } from '../../../shared/budgets/types';
import { DocketError } from '../../../shared/ipc/result';
import { parseSpendSource } from '../spend/ceSpendQueries';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { spendDataThrough } from './budgetSpend';

/**
 * Spend anomalies per model: each model's daily cost is run through shared/budgets/anomalies, the
 * days found are stored with their likely driver and any registry release near them, and the user's
 * verdict is kept across re-scans (a re-scan updates the figures, never the verdict).
 */

/** Default days scanned back from the data's last day. */
export const DEFAULT_SCAN_DAYS = 90;
/** A release this many days before (or one day after) an anomaly is shown as a possible cause. */
const RELEASE_WINDOW_DAYS = 3;

export const ANOMALY_OPTIONS: AnomalyOptions = { sensitivity: 3, minImpact: 1 };
export const anomalyMethodText = (currency?: string): string => anomalyMethod({ ...ANOMALY_OPTIONS, currency });

interface Series {
  model: string;
  currency: string;
}

function modelsWithSpend(db: Database, source: string, from: string, to: string): Series[] {
  const parsed = parseSpendSource(source);
  if (parsed.kind === 'aws-ce') {
    return db.prepare("SELECT DISTINCT tag_value AS model, currency FROM ce_daily WHERE source_id = ? AND day >= ? AND day <= ? AND tag_value != '' ORDER BY 1, 2").all(parsed.sourceId, from, to) as Series[];
  }
  return db.prepare("SELECT DISTINCT tag_model AS model, currency FROM spend_daily WHERE day >= ? AND day <= ? AND tag_model != '' ORDER BY 1, 2").all(from, to) as Series[];
}

function modelDaily(db: Database, source: string, series: Series, from: string, to: string): DailyCost[] {
  const parsed = parseSpendSource(source);
  if (parsed.kind === 'aws-ce') {
    return db.prepare('SELECT day, SUM(amortized_cost) AS cost FROM ce_daily WHERE source_id = ? AND tag_value = ? AND currency = ? AND day >= ? AND day <= ? GROUP BY day ORDER BY day').all(parsed.sourceId, series.model, series.currency, from, to) as DailyCost[];
  }
  return db.prepare('SELECT day, SUM(effective_cost) AS cost FROM spend_daily WHERE tag_model = ? AND currency = ? AND day >= ? AND day <= ? GROUP BY day ORDER BY day').all(series.model, series.currency, from, to) as DailyCost[];
}

/**
 * Per dimension, the value whose cost rose most on the day against its mean over the baseline
 * window: the service, account or provider that most likely drove the anomaly.
 */
function drivers(db: Database, source: string, series: Series, day: string): AnomalyDriver[] {
  const from = addDays(day, -DEFAULT_ANOMALY_WINDOW_DAYS);
  const to = addDays(day, -1);
  const parsed = parseSpendSource(source);
  const dimensions: { dimension: AnomalyDriver['dimension']; column: string }[] =
    parsed.kind === 'aws-ce'
      ? [{ dimension: 'service', column: 'group2' }]
      : [
          { dimension: 'service', column: 'service_name' },
          { dimension: 'account', column: 'sub_account_id' },
          { dimension: 'provider', column: 'provider' },
        ];
  const out: AnomalyDriver[] = [];
  for (const { dimension, column } of dimensions) {
    // Column names come from the fixed list above, never from input.
    const rows =
      parsed.kind === 'aws-ce'
        ? (db
            .prepare(
              `SELECT ${column} AS key, TOTAL(CASE WHEN day = ? THEN amortized_cost END) AS onDay, TOTAL(CASE WHEN day BETWEEN ? AND ? THEN amortized_cost END) AS before
                 FROM ce_daily WHERE source_id = ? AND tag_value = ? AND currency = ? AND day BETWEEN ? AND ? GROUP BY ${column}`,
            )
            .all(day, from, to, parsed.sourceId, series.model, series.currency, from, day) as { key: string; onDay: number; before: number }[])
        : (db
            .prepare(
              `SELECT ${column} AS key, TOTAL(CASE WHEN day = ? THEN effective_cost END) AS onDay, TOTAL(CASE WHEN day BETWEEN ? AND ? THEN effective_cost END) AS before
                 FROM spend_daily WHERE tag_model = ? AND currency = ? AND day BETWEEN ? AND ? GROUP BY ${column}`,
            )
            .all(day, from, to, series.model, series.currency, from, day) as { key: string; onDay: number; before: number }[]);
    // A dimension with one value (a single provider, say) explains nothing: every rise is "its" rise.
    if (rows.length < 2) continue;
    const best = rows.map((r) => ({ dimension, key: r.key === '' ? '(none)' : r.key, impact: r.onDay - r.before / DEFAULT_ANOMALY_WINDOW_DAYS })).sort((a, b) => b.impact - a.impact)[0];
    if (best && best.impact > 0) out.push(best);
  }
  // Most specific first: a service names the cause better than an account, an account than a provider.
  return out;
}

/** Registry events of the model near the day: a new version, an alias moved, a tag changed. */
function releasesNear(db: Database, model: string, day: string): AnomalyView['releases'] {
  const from = `${addDays(day, -RELEASE_WINDOW_DAYS)}T00:00:00`;
  const to = `${addDays(day, 1)}T23:59:59.999Z`;
  const events = db
    .prepare(
      `SELECT e.observed_at AS at, e.kind, v.version, e.key, e.new_value AS value
         FROM registry_events e JOIN models m ON m.id = e.model_id LEFT JOIN model_versions v ON v.id = e.model_version_id
        WHERE m.name = ? AND e.observed_at BETWEEN ? AND ? AND e.kind IN ('version.registered', 'tag.set')`,
    )
    .all(model, from, to) as { at: string; kind: string; version: string | null; key: string | null; value: string | null }[];
  // MLflow's own creation time of each version: the registry's record of the release.
  const fromMs = Date.parse(`${addDays(day, -RELEASE_WINDOW_DAYS)}T00:00:00Z`);
  const toMs = Date.parse(`${addDays(day, 1)}T23:59:59.999Z`);
  const created = db
    .prepare(
      `SELECT json_extract(v.registry_json, '$.createdAt') AS ms, v.version FROM model_versions v JOIN models m ON m.id = v.model_id
        WHERE m.name = ? AND json_extract(v.registry_json, '$.createdAt') BETWEEN ? AND ?`,
    )
    .all(model, fromMs, toMs) as { ms: number; version: string }[];
  const aliases = db
    .prepare(
      `SELECT h.first_seen_at AS at, h.alias, v.version FROM alias_history h JOIN models m ON m.id = h.model_id JOIN model_versions v ON v.id = h.model_version_id
        WHERE m.name = ? AND h.first_seen_at BETWEEN ? AND ?`,
    )
    .all(model, from, to) as { at: string; alias: string; version: string }[];
  return [
    ...events.map((e) => ({ at: e.at, kind: e.kind, version: e.version, detail: e.kind === 'version.registered' ? `version ${e.version ?? '?'} registered` : `tag ${e.key ?? ''} set to ${e.value ?? ''} on version ${e.version ?? '(model)'}` })),
    ...aliases.map((a) => ({ at: a.at, kind: 'alias.moved', version: a.version, detail: `alias @${a.alias} now on version ${a.version}` })),
    ...created.map((c) => ({ at: new Date(c.ms).toISOString(), kind: 'version.created', version: c.version, detail: `version ${c.version} created in the registry` })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

interface AnomalyRow {
  id: number;
  source: string;
  model: string;
  day: string;
  currency: string;
  actual: number;
  expected: number;
  band_low: number;
  band_high: number;
  impact: number;
  score: number;
  driver_json: string | null;
  release_json: string | null;
  verdict: AnomalyVerdict | null;
  verdict_by: string | null;
  verdict_at: string | null;
  verdict_note: string | null;
}

function toView(r: AnomalyRow): AnomalyView {
  return {
    id: r.id,
    source: r.source,
    model: r.model,
    day: r.day,
    currency: r.currency,
    actual: r.actual,
    expected: r.expected,
    bandLow: r.band_low,
    bandHigh: r.band_high,
    impact: r.impact,
    score: r.score,
    drivers: r.driver_json ? (JSON.parse(r.driver_json) as AnomalyDriver[]) : [],
    releases: r.release_json ? (JSON.parse(r.release_json) as AnomalyView['releases']) : [],
    verdict: r.verdict,
    verdictBy: r.verdict_by,
    verdictAt: r.verdict_at,
    verdictNote: r.verdict_note,
  };
}

export interface ScanOptions {
  source?: string;
  from?: string;
  to?: string;
  clock: Clock;
}

/**
 * Scans the source's daily spend per model over [from, to] (default: the last 90 days of data)
 * and stores what it finds. A day found before and no longer anomalous (the data was restated) is
 * removed unless the user gave it a verdict.
 */
export function scanAnomalies(store: Store, options: ScanOptions): { from: string; to: string; found: number } | null {
  const { db } = store;
  const source = options.source ?? 'focus';
  const horizon = spendDataThrough(db, source);
  if (!horizon) return null;
  const to = options.to && options.to < horizon ? options.to : horizon;
  const from = options.from ?? addDays(to, -(DEFAULT_SCAN_DAYS - 1));
  const at = isoNow(options.clock);
  let found = 0;
  db.transaction(() => {
    const keep = new Set<number>();
    const upsert = db.prepare(
      `INSERT INTO spend_anomalies (source, model, day, currency, actual, expected, band_low, band_high, impact, score, driver_json, release_json, detected_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (source, model, day, currency) DO UPDATE SET actual = excluded.actual, expected = excluded.expected, band_low = excluded.band_low,
         band_high = excluded.band_high, impact = excluded.impact, score = excluded.score, driver_json = excluded.driver_json, release_json = excluded.release_json
       RETURNING id`,
    );
    for (const series of modelsWithSpend(db, source, from, to)) {
      // The baseline needs the window before the first day scanned.
      const history = modelDaily(db, source, series, addDays(from, -(DEFAULT_ANOMALY_WINDOW_DAYS + 1)), to);
      for (const a of detectAnomalies(history, { ...ANOMALY_OPTIONS, from, to, historyEnd: to })) {
        const row = upsert.get(source, series.model, a.day, series.currency, a.actual, a.expected, a.low, a.high, a.impact, a.score, JSON.stringify(drivers(db, source, series, a.day)), JSON.stringify(releasesNear(db, series.model, a.day)), at) as { id: number };
        keep.add(row.id);
        found++;
      }
    }
    const stale = db.prepare('SELECT id FROM spend_anomalies WHERE source = ? AND day BETWEEN ? AND ? AND verdict IS NULL').all(source, from, to) as { id: number }[];
    const remove = db.prepare('DELETE FROM spend_anomalies WHERE id = ?');
    for (const { id } of stale) if (!keep.has(id)) remove.run(id);
  }).immediate();
  return { from, to, found };
}

export function listAnomalies(db: Database, options: { source?: string; from?: string; to?: string; model?: string } = {}): AnomalyView[] {
  const rows = db
    .prepare(
      `SELECT * FROM spend_anomalies WHERE source = ? AND day >= ? AND day <= ? AND (? IS NULL OR model = ?) ORDER BY day DESC, impact DESC`,
    )
    .all(options.source ?? 'focus', options.from ?? '0000-00-00', options.to ?? '9999-99-99', options.model ?? null, options.model ?? null) as AnomalyRow[];
  return rows.map(toView);
}

/** Records the user's verdict on an anomaly (AWS's feedback values), audited. */
export function setAnomalyVerdict(store: Store, id: number, verdict: AnomalyVerdict, options: { actor: string; clock: Clock; note?: string }): AnomalyView {
  const { db } = store;
  return db
    .transaction(() => {
      const row = db.prepare('SELECT * FROM spend_anomalies WHERE id = ?').get(id) as AnomalyRow | undefined;
      if (!row) throw new DocketError('NOT_FOUND', `no anomaly #${id}`);
      const at = isoNow(options.clock);
      db.prepare('UPDATE spend_anomalies SET verdict = ?, verdict_by = ?, verdict_at = ?, verdict_note = ? WHERE id = ?').run(verdict, options.actor, at, options.note ?? null, id);
      appendAudit(db, { actor: options.actor, action: 'anomaly.verdict', subject: `${row.model} ${row.day}`, detail: { anomalyId: id, verdict, previous: row.verdict, note: options.note ?? null, impact: row.impact, currency: row.currency } }, at);
      return toView(db.prepare('SELECT * FROM spend_anomalies WHERE id = ?').get(id) as AnomalyRow);
    })
    .immediate();
}
