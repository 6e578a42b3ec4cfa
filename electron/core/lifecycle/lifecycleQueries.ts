import type { Database } from 'better-sqlite3';
import { SunsetPlanSchema, type LifecycleState, type SunsetState } from '../../../shared/lifecycle/sunsetPlan';
import type { LifecycleStateView, RetiredSpendAlarm, SunsetDecisionView, SunsetSavingView, SunsetView } from '../../../shared/lifecycle/lifecycleViews';
import { verifySunsetDecision, type SunsetDeps } from './sunsets';

/** Reads for the Lifecycle view, the sunset page, the spend view's alarms and the audit pack. Nothing here writes. */

interface Row {
  id: number;
  model: string;
  version: string;
  model_version_id: number;
  state: SunsetState;
  plan_json: string;
  plan_sha256: string;
  saving_json: string;
  reasons_json: string;
  opened_at: string;
  opened_by: string;
  closed_at: string | null;
  life_state: LifecycleState | null;
  life_since: string | null;
}

const SQL = `SELECT s.*, m.name AS model, mv.version, l.state AS life_state, l.since AS life_since
  FROM sunset_reviews s JOIN model_versions mv ON mv.id = s.model_version_id JOIN models m ON m.id = mv.model_id
  LEFT JOIN lifecycle_states l ON l.model_version_id = s.model_version_id`;

function decisionsOf(db: Database, sunsetId: number): SunsetDecisionView[] {
  const rows = db.prepare('SELECT * FROM sunset_decisions WHERE sunset_id = ? ORDER BY signed_at, id').all(sunsetId) as {
    id: number;
    kind: 'approve' | 'reject' | 'withdraw';
    signer: string;
    role: string;
    key_id: string;
    signed_at: string;
    rationale: string;
    digest: string;
    envelope_json: string;
    plan_sha256: string;
  }[];
  return rows.map((r) => {
    const check = verifySunsetDecision(db, r);
    return { id: r.id, kind: r.kind, signer: r.signer, role: r.role, keyId: r.key_id, signedAt: r.signed_at, rationale: r.rationale, digest: r.digest, ...check, envelope: JSON.parse(r.envelope_json) as unknown };
  });
}

function toView(db: Database, r: Row): SunsetView {
  return {
    id: r.id,
    model: r.model,
    version: r.version,
    state: r.state,
    plan: SunsetPlanSchema.parse(JSON.parse(r.plan_json)),
    planSha256: r.plan_sha256,
    saving: JSON.parse(r.saving_json) as SunsetSavingView,
    reasons: JSON.parse(r.reasons_json) as { code: string; detail: string }[],
    openedAt: r.opened_at,
    openedBy: r.opened_by,
    closedAt: r.closed_at,
    lifecycle: { state: r.life_state ?? 'active', since: r.life_since },
    decisions: decisionsOf(db, r.id),
  };
}

export function listSunsets(db: Database, options: { model?: string; version?: string } = {}): SunsetView[] {
  const rows = db.prepare(`${SQL} WHERE (? IS NULL OR m.name = ?) AND (? IS NULL OR mv.version = ?) ORDER BY s.id DESC`).all(options.model ?? null, options.model ?? null, options.version ?? null, options.version ?? null) as Row[];
  return rows.map((r) => toView(db, r));
}

export function sunsetView(db: Database, id: number): SunsetView | null {
  const row = db.prepare(`${SQL} WHERE s.id = ?`).get(id) as Row | undefined;
  return row ? toView(db, row) : null;
}

/** Every version that has left 'active', with the approved plan that moved it. */
export function lifecycleStates(db: Database): LifecycleStateView[] {
  return db
    .prepare(
      `SELECT m.name AS model, mv.version, l.state, l.since, l.sunset_id AS sunsetId, json_extract(s.plan_json, '$.retirementDate') AS retirementDate
         FROM lifecycle_states l JOIN sunset_reviews s ON s.id = l.sunset_id JOIN model_versions mv ON mv.id = l.model_version_id JOIN models m ON m.id = mv.model_id
        ORDER BY m.name, mv.version`,
    )
    .all() as LifecycleStateView[];
}

/**
 * Spend still arriving after a version's retirement date: money paid for something that should be
 * gone. Counted on spend tagged to the version, or on the model's spend when the retired version was
 * not replaced within its model (the model's use was meant to end).
 */
export function retiredSpendAlarms(db: Database): RetiredSpendAlarm[] {
  const retired = db
    .prepare(
      `SELECT m.name AS model, mv.version, json_extract(s.plan_json, '$.retirementDate') AS retirementDate, json_extract(s.plan_json, '$.replacement.model') AS replacementModel
         FROM lifecycle_states l JOIN sunset_reviews s ON s.id = l.sunset_id JOIN model_versions mv ON mv.id = l.model_version_id JOIN models m ON m.id = mv.model_id
        WHERE l.state = 'retired'`,
    )
    .all() as { model: string; version: string; retirementDate: string; replacementModel: string | null }[];
  const alarms: RetiredSpendAlarm[] = [];
  for (const r of retired) {
    const tags = [`${r.model}@${r.version}`, ...(r.replacementModel === r.model ? [] : [r.model])];
    for (const tagValue of tags) {
      const rows = db
        .prepare('SELECT currency, SUM(effective_cost) AS cost, min(day) AS firstDay, max(day) AS lastDay FROM spend_daily WHERE tag_model = ? AND day >= ? GROUP BY currency HAVING SUM(effective_cost) > 0')
        .all(tagValue, r.retirementDate) as { currency: string; cost: number; firstDay: string; lastDay: string }[];
      for (const row of rows) alarms.push({ model: r.model, version: r.version, retirementDate: r.retirementDate, tagValue, currency: row.currency, spendAfter: row.cost, firstDay: row.firstDay, lastDay: row.lastDay });
    }
  }
  return alarms;
}

export type { RetiredSpendAlarm, SunsetDecisionView, SunsetView, SunsetDeps };
