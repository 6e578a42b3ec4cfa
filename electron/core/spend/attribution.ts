import type { Database } from 'better-sqlite3';
import { DocketError } from '../../../shared/ipc/result';
import { appendAudit } from '../store/auditLog';

export type RuleKind = 'tag' | 'resource' | 'account';

export interface AttributionRule {
  id: number;
  kind: RuleKind;
  tagKey: string | null;
  pattern: string;
  model: string;
  priority: number;
}

/**
 * The model a line item (alias `li`) is attributed to: the first matching rule by priority, else
 * the value of its ml:model tag, else '' (unattributed). One expression, used by the rollup and by
 * the drill-down, so the two always agree.
 */
export const ATTRIBUTED_MODEL_SQL = `COALESCE(
  (SELECT r.model FROM attribution_rules r
    WHERE (r.kind = 'resource' AND li.resource_id GLOB r.pattern)
       OR (r.kind = 'account' AND li.sub_account_id GLOB r.pattern)
       OR (r.kind = 'tag' AND json_extract(li.tags_json, '$."' || r.tag_key || '"') GLOB r.pattern)
    ORDER BY r.priority, r.id LIMIT 1),
  li.tag_model, '')`;

const ROLLUP_SELECT = `SELECT substr(li.charge_period_start, 1, 10), li.provider, li.service_name, COALESCE(li.sub_account_id, ''), COALESCE(li.tag_team, ''),
       ${ATTRIBUTED_MODEL_SQL}, li.billing_currency, SUM(li.billed_cost), SUM(li.effective_cost), TOTAL(li.list_cost), COUNT(*)
  FROM spend_line_items li`;

/** Adds line items (ids from firstItemId on) to the daily rollup, attributed by the current rules. */
export function rollUpLineItems(db: Database, firstItemId: number): void {
  db.prepare(
    `INSERT INTO spend_daily (day, provider, service_name, sub_account_id, tag_team, tag_model, currency, billed_cost, effective_cost, list_cost, line_items)
     ${ROLLUP_SELECT} WHERE li.id >= ?
      GROUP BY 1, 2, 3, 4, 5, 6, 7
     ON CONFLICT (day, provider, service_name, sub_account_id, tag_team, tag_model, currency) DO UPDATE SET
       billed_cost = billed_cost + excluded.billed_cost,
       effective_cost = effective_cost + excluded.effective_cost,
       list_cost = list_cost + excluded.list_cost,
       line_items = line_items + excluded.line_items`,
  ).run(firstItemId);
  // Fresh statistics let the planner use the rollup's covering indexes (a skip-scan over the
  // grouping column) instead of sorting: the difference between ~35 ms and ~10 ms at 56,000 rows.
  db.exec('ANALYZE spend_daily');
}

/** Rebuilds the whole rollup under the current rules: what an edit to the rules needs, no re-import. */
export function reapplyAttribution(db: Database): void {
  db.exec('DELETE FROM spend_daily');
  rollUpLineItems(db, 0);
}

export function listRules(db: Database): AttributionRule[] {
  return db.prepare('SELECT id, kind, tag_key AS tagKey, pattern, model, priority FROM attribution_rules ORDER BY priority, id').all() as AttributionRule[];
}

/** Adds a rule and re-attributes stored spend, in one transaction, audited. */
export function addRule(db: Database, rule: Omit<AttributionRule, 'id'>, actor: string, at: string): AttributionRule {
  if (rule.pattern.trim() === '') throw new DocketError('INVALID_INPUT', 'a rule needs a pattern (GLOB: * and ? are wildcards)');
  if ((rule.kind === 'tag') !== (rule.tagKey !== null && rule.tagKey !== '')) throw new DocketError('INVALID_INPUT', 'a tag rule needs a tag key; resource and account rules take none');
  return db
    .transaction(() => {
      const id = Number(
        db.prepare('INSERT INTO attribution_rules (kind, tag_key, pattern, model, priority, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(rule.kind, rule.tagKey, rule.pattern, rule.model, rule.priority, at).lastInsertRowid,
      );
      reapplyAttribution(db);
      appendAudit(db, { actor, action: 'attribution.rule.added', subject: `rule:${id}`, detail: rule }, at);
      return { id, ...rule };
    })
    .immediate();
}

export function removeRule(db: Database, id: number, actor: string, at: string): void {
  db.transaction(() => {
    const rule = db.prepare('SELECT * FROM attribution_rules WHERE id = ?').get(id);
    if (!rule) throw new DocketError('NOT_FOUND', `No attribution rule ${id}`);
    db.prepare('DELETE FROM attribution_rules WHERE id = ?').run(id);
    reapplyAttribution(db);
    appendAudit(db, { actor, action: 'attribution.rule.removed', subject: `rule:${id}`, detail: rule }, at);
  }).immediate();
}
