import type { Database } from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { BudgetDefinitionSchema, budgetErrorSummary, type BudgetDefinition } from '../../../shared/budgets/budgetSchema';
import { DocketError } from '../../../shared/ipc/result';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';

/**
 * Budgets as stored: one row per budget holding its validated definition. Creating, changing or
 * deleting one is a decision on record: an audit entry names who, when, the old and new amount and
 * the reason, so the chain holds the budget's whole history even though the row holds only the last.
 */

export interface StoredBudget {
  id: number;
  name: string;
  definition: BudgetDefinition;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

interface BudgetRow {
  id: number;
  name: string;
  definition_json: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  deleted_at: string | null;
}

function fromRow(row: BudgetRow): StoredBudget {
  return {
    id: row.id,
    name: row.name,
    // Stored definitions were validated on the way in; parsing again fills defaults added since.
    definition: BudgetDefinitionSchema.parse(JSON.parse(row.definition_json)),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** Validates a definition, naming every refused field: what the CLI and IPC callers see. */
export function parseBudgetDefinition(input: unknown): BudgetDefinition {
  const parsed = BudgetDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    throw new DocketError(
      'INVALID_INPUT',
      `budget refused: ${budgetErrorSummary(parsed.error)}`,
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

export function listBudgets(db: Database): StoredBudget[] {
  return (db.prepare('SELECT * FROM budgets WHERE deleted_at IS NULL ORDER BY name').all() as BudgetRow[]).map(fromRow);
}

export function getBudget(db: Database, name: string): StoredBudget {
  const row = db.prepare('SELECT * FROM budgets WHERE name = ? AND deleted_at IS NULL').get(name) as BudgetRow | undefined;
  if (!row) {
    const known = listBudgets(db).map((b) => b.name);
    throw new DocketError('NOT_FOUND', `no budget named "${name}"${known.length ? ` (budgets: ${known.join(', ')})` : ''}`);
  }
  return fromRow(row);
}

export function getBudgetById(db: Database, id: number): StoredBudget {
  const row = db.prepare('SELECT * FROM budgets WHERE id = ? AND deleted_at IS NULL').get(id) as BudgetRow | undefined;
  if (!row) throw new DocketError('NOT_FOUND', `no budget #${id}`);
  return fromRow(row);
}

export interface SetBudgetOptions {
  actor: string;
  clock: Clock;
  /** Why: required to change an existing budget (it goes to the audit log with the change). */
  reason?: string;
  /** When set, the budget with this id is the one changed (it may be renamed). */
  id?: number;
}

export interface SetBudgetResult {
  budget: StoredBudget;
  outcome: 'created' | 'changed' | 'unchanged';
  /** Top-level fields that differ from the stored definition. */
  changed: string[];
}

const canonical = (value: unknown): string => canonicalize(value) ?? '';

/** Creates or changes a budget (by id, else by name), in one transaction with its audit entry. */
export function setBudget(store: Store, input: unknown, options: SetBudgetOptions): SetBudgetResult {
  const definition = parseBudgetDefinition(input);
  const reason = options.reason?.trim() ?? '';
  const { db } = store;
  return db
    .transaction((): SetBudgetResult => {
      const at = isoNow(options.clock);
      const existing = (
        options.id !== undefined
          ? db.prepare('SELECT * FROM budgets WHERE id = ? AND deleted_at IS NULL').get(options.id)
          : db.prepare('SELECT * FROM budgets WHERE name = ?').get(definition.name)
      ) as BudgetRow | undefined;
      if (options.id !== undefined && !existing) throw new DocketError('NOT_FOUND', `no budget #${options.id}`);
      const clash = db.prepare('SELECT id FROM budgets WHERE name = ? AND id != ?').get(definition.name, existing?.id ?? -1) as { id: number } | undefined;
      if (clash) throw new DocketError('REJECTED', `a budget named "${definition.name}" already exists`, [{ path: 'name', message: 'another budget has this name' }]);

      if (existing && existing.deleted_at === null) {
        const before = BudgetDefinitionSchema.parse(JSON.parse(existing.definition_json));
        const changed = (Object.keys(definition) as (keyof BudgetDefinition)[]).filter((k) => canonical(before[k]) !== canonical(definition[k]));
        if (changed.length === 0) return { budget: fromRow(existing), outcome: 'unchanged', changed };
        if (!reason) throw new DocketError('REJECTED', `changing budget "${before.name}" needs a reason (it is recorded with the change)`, [{ path: 'reason', message: 'say why the budget changes' }]);
        db.prepare('UPDATE budgets SET name = ?, definition_json = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(definition.name, JSON.stringify(definition), at, options.actor, existing.id);
        appendAudit(
          db,
          {
            actor: options.actor,
            action: 'budget.changed',
            subject: definition.name,
            detail: { budgetId: existing.id, reason, changed, oldAmount: before.amount, newAmount: definition.amount, oldCurrency: before.currency, newCurrency: definition.currency, before, after: definition },
          },
          at,
        );
        return { budget: fromRow(db.prepare('SELECT * FROM budgets WHERE id = ?').get(existing.id) as BudgetRow), outcome: 'changed', changed };
      }

      let id: number;
      if (existing) {
        // A deleted budget's name is reused: the row comes back with the new definition.
        db.prepare('UPDATE budgets SET definition_json = ?, created_at = ?, created_by = ?, updated_at = ?, updated_by = ?, deleted_at = NULL WHERE id = ?').run(JSON.stringify(definition), at, options.actor, at, options.actor, existing.id);
        db.prepare('DELETE FROM budget_threshold_states WHERE budget_id = ?').run(existing.id);
        id = existing.id;
      } else {
        id = Number(db.prepare('INSERT INTO budgets (name, definition_json, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)').run(definition.name, JSON.stringify(definition), at, options.actor, at, options.actor).lastInsertRowid);
      }
      appendAudit(
        db,
        { actor: options.actor, action: 'budget.created', subject: definition.name, detail: { budgetId: id, reason: reason || 'new budget', oldAmount: null, newAmount: definition.amount, currency: definition.currency, after: definition } },
        at,
      );
      return { budget: fromRow(db.prepare('SELECT * FROM budgets WHERE id = ?').get(id) as BudgetRow), outcome: 'created', changed: Object.keys(definition) };
    })
    .immediate();
}

/** Deletes a budget (kept in the audit log with the reason); its threshold states go with it. */
export function deleteBudget(store: Store, name: string, options: { actor: string; clock: Clock; reason: string }): void {
  const reason = options.reason.trim();
  if (!reason) throw new DocketError('REJECTED', `deleting budget "${name}" needs a reason`, [{ path: 'reason', message: 'say why the budget goes' }]);
  const { db } = store;
  db.transaction(() => {
    const budget = getBudget(db, name);
    const at = isoNow(options.clock);
    db.prepare('UPDATE budgets SET deleted_at = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(at, at, options.actor, budget.id);
    db.prepare('DELETE FROM budget_threshold_states WHERE budget_id = ?').run(budget.id);
    appendAudit(db, { actor: options.actor, action: 'budget.deleted', subject: name, detail: { budgetId: budget.id, reason, oldAmount: budget.definition.amount, newAmount: null, before: budget.definition } }, at);
  }).immediate();
}
