import { useId, useMemo, useRef, useState, type FocusEvent, type FormEvent, type ReactNode } from 'react';
import { BudgetDefinitionSchema, budgetFieldErrors, MAX_THRESHOLD_PERCENT, type BudgetDefinition, type BudgetDefinitionInput } from '../../../shared/budgets/budgetSchema';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { ErrorBanner } from '../components/ui';

type ScopeKind = 'all' | 'model' | 'team' | 'provider';
type PeriodKind = 'monthly' | 'quarterly' | 'annual' | 'custom';

interface ThresholdRow {
  uid: number;
  basis: 'actual' | 'forecasted';
  kind: 'percent' | 'absolute';
  value: string;
}
interface PlannedRow {
  uid: number;
  month: string;
  amount: string;
}

interface FormState {
  name: string;
  scopeKind: ScopeKind;
  scopeValue: string;
  periodKind: PeriodKind;
  from: string;
  to: string;
  amount: string;
  currency: string;
  metric: 'effective' | 'billed';
  source: string;
  thresholds: ThresholdRow[];
  planned: PlannedRow[];
  reason: string;
}

let uidCounter = 0;
const nextUid = () => ++uidCounter;

const COMMON_CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'INR', 'SEK', 'NOK', 'DKK', 'PLN'];

const SCOPE_VALUE_LABEL: Record<Exclude<ScopeKind, 'all'>, { label: string; placeholder: string }> = {
  model: { label: 'Model', placeholder: 'e.g. fraud-score-card-txn' },
  team: { label: 'Team (the FOCUS team tag)', placeholder: 'e.g. payments' },
  provider: { label: 'Provider', placeholder: 'e.g. AWS' },
};

function initialState(def: BudgetDefinition | undefined): FormState {
  if (!def) {
    return {
      name: '',
      scopeKind: 'all',
      scopeValue: '',
      periodKind: 'monthly',
      from: '',
      to: '',
      amount: '',
      currency: 'USD',
      metric: 'effective',
      source: 'focus',
      thresholds: [
        { uid: nextUid(), basis: 'actual', kind: 'percent', value: '80' },
        { uid: nextUid(), basis: 'forecasted', kind: 'percent', value: '100' },
      ],
      planned: [],
      reason: '',
    };
  }
  return {
    name: def.name,
    scopeKind: def.scope.kind,
    scopeValue: def.scope.kind === 'all' ? '' : def.scope.value,
    periodKind: def.period.kind,
    from: def.period.kind === 'custom' ? def.period.from : '',
    to: def.period.kind === 'custom' ? def.period.to : '',
    amount: String(def.amount),
    currency: def.currency,
    metric: def.metric,
    source: def.source,
    thresholds: def.thresholds.map((t) => ({ uid: nextUid(), basis: t.basis, kind: t.kind, value: String(t.value) })),
    planned: def.planned.map((p) => ({ uid: nextUid(), month: p.month, amount: String(p.amount) })),
    reason: '',
  };
}

/** A number input's text as a number: empty is undefined (so the schema says "enter an amount"). */
function toNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return Number(t);
}

/** What the form holds, shaped as the schema's input: the schema, not the form, decides what is valid. */
function candidate(s: FormState): BudgetDefinitionInput {
  return {
    name: s.name,
    scope: s.scopeKind === 'all' ? { kind: 'all' } : { kind: s.scopeKind, value: s.scopeValue },
    period: s.periodKind === 'custom' ? { kind: 'custom', from: s.from, to: s.to } : { kind: s.periodKind },
    amount: toNumber(s.amount) as number,
    currency: s.currency,
    metric: s.metric,
    source: s.source,
    planned: s.planned.map((p) => ({ month: p.month, amount: toNumber(p.amount) as number })),
    thresholds: s.thresholds.map((t) => ({ basis: t.basis, kind: t.kind, value: toNumber(t.value) as number })),
  };
}

function validate(s: FormState, editing: boolean): { errors: Record<string, string>; definition: BudgetDefinition | null } {
  const parsed = BudgetDefinitionSchema.safeParse(candidate(s));
  const errors = parsed.success ? {} : budgetFieldErrors(parsed.error);
  if (editing && s.reason.trim() === '') errors.reason = 'say why the budget changes: the change is recorded';
  return { errors, definition: parsed.success ? parsed.data : null };
}

/** The engine's refusal, mapped onto the form's fields: its paths are the contract's ('definition.amount'). */
function engineFieldErrors(error: IpcErrorBody): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues ?? []) {
    const path = issue.path.replace(/^definition\.?/, '') || 'budget';
    if (!(path in out)) out[path] = issue.message;
  }
  return out;
}

/**
 * Creates a budget, or changes one (a change needs a reason: it goes on record). Validated with the
 * same schema the engine uses, on blur and on submit; each message shows under the field that caused it.
 */
export function BudgetForm({ id, initial, onSaved, onCancel }: { id?: number; initial?: BudgetDefinition; onSaved: (id: number, outcome: string) => void; onCancel: () => void }) {
  const editing = id !== undefined;
  const [state, setState] = useState<FormState>(() => initialState(initial));
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [engineErrors, setEngineErrors] = useState<Record<string, string>>({});
  const [engineError, setEngineError] = useState<IpcErrorBody | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const ids = useId();
  const models = useQuery('models/names', {});
  const sources = useQuery('spend/sources', {});

  const validation = useMemo(() => validate(state, editing), [state, editing]);
  const shown = useMemo(() => {
    const out: Record<string, string> = {};
    for (const [path, message] of Object.entries(validation.errors)) {
      if (submitted || touched.has(path)) out[path] = message;
    }
    for (const [path, message] of Object.entries(engineErrors)) if (!(path in out)) out[path] = message;
    return out;
  }, [validation.errors, submitted, touched, engineErrors]);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setState((s) => ({ ...s, [key]: value }));
    setEngineErrors({});
  };
  const touch = (...paths: string[]) => setTouched((t) => new Set([...t, ...paths]));
  const errId = (path: string) => `${ids}-err-${path.replace(/\./g, '-')}`;
  // Leaving a field for the form's own buttons (Save, Cancel) does not show its message on blur: the
  // message would push the button down between mouse-down and mouse-up and swallow the click. Save
  // shows every message anyway.
  const blurTouches = (e: FocusEvent, ...paths: string[]) => {
    const next = e.relatedTarget;
    if (next instanceof HTMLElement && next.closest('[data-form-action]')) return;
    touch(...paths);
  };
  const fieldProps = (path: string) => ({
    'aria-invalid': path in shown ? true : undefined,
    'aria-describedby': path in shown ? errId(path) : undefined,
    onBlur: (e: FocusEvent) => blurTouches(e, path),
  });
  const fieldError = (path: string): ReactNode =>
    path in shown ? (
      <span id={errId(path)} className="field-error" data-testid={`budget-error-${path}`} data-field={path}>
        <span aria-hidden="true">✕ </span>
        {shown[path]}
      </span>
    ) : null;

  const updateThreshold = (uid: number, patch: Partial<ThresholdRow>) => set('thresholds', state.thresholds.map((t) => (t.uid === uid ? { ...t, ...patch } : t)));
  const updatePlanned = (uid: number, patch: Partial<PlannedRow>) => set('planned', state.planned.map((p) => (p.uid === uid ? { ...p, ...patch } : p)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setSubmitted(true);
    setEngineError(undefined);
    const { errors, definition } = validate(state, editing);
    if (!definition || Object.keys(errors).length > 0) {
      // Move focus to the first field in error, so a keyboard or screen-reader user lands on it.
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    const result = await invoke('budgets/set', { ...(editing ? { id } : {}), definition, ...(state.reason.trim() ? { reason: state.reason.trim() } : {}) });
    setBusy(false);
    if (!result.ok) {
      const mapped = engineFieldErrors(result.error);
      setEngineErrors(mapped);
      if (Object.keys(mapped).length === 0) setEngineError(result.error);
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    onSaved(result.value.id, result.value.outcome);
  };

  const errorCount = Object.keys(shown).length;
  const modelNames = models.data ?? [];

  return (
    <form ref={formRef} className="panel budget-form" onSubmit={(e) => void submit(e)} noValidate aria-label={editing ? 'Change the budget' : 'New budget'} data-testid="budget-form">
      {engineError && <ErrorBanner error={engineError} context="The budget was not saved" onDismiss={() => setEngineError(undefined)} />}
      {submitted && errorCount > 0 && (
        <p className="dialog-error" role="alert" data-testid="budget-form-summary">
          <span aria-hidden="true">✕ </span>
          {errorCount === 1 ? 'One field needs attention' : `${errorCount} fields need attention`}: nothing was saved.
        </p>
      )}
      {'budget' in shown && (
        <p className="dialog-error" role="alert">
          {shown.budget}
        </p>
      )}

      <fieldset className="budget-fieldset">
        <legend className="budget-legend">What it covers</legend>
        <div className="budget-grid">
          <div className="field budget-wide">
            <label className="field-label" htmlFor={`${ids}-name`}>
              Name
            </label>
            <input id={`${ids}-name`} className="input" value={state.name} onChange={(e) => set('name', e.target.value)} maxLength={200} placeholder="e.g. Q1 inference" data-testid="budget-name" {...fieldProps('name')} />
            {fieldError('name')}
          </div>
          <div className="field">
            <label className="field-label" htmlFor={`${ids}-scope`}>
              Scope
            </label>
            <select id={`${ids}-scope`} className="input" value={state.scopeKind} onChange={(e) => set('scopeKind', e.target.value as ScopeKind)} data-testid="budget-scope-kind" {...fieldProps('scope')}>
              <option value="all">All spend</option>
              <option value="model">One model</option>
              <option value="team">One team</option>
              <option value="provider">One provider</option>
            </select>
            {fieldError('scope')}
          </div>
          {state.scopeKind !== 'all' && (
            <div className="field">
              <label className="field-label" htmlFor={`${ids}-scope-value`}>
                {SCOPE_VALUE_LABEL[state.scopeKind].label}
              </label>
              <input
                id={`${ids}-scope-value`}
                className="input"
                value={state.scopeValue}
                onChange={(e) => set('scopeValue', e.target.value)}
                list={state.scopeKind === 'model' ? `${ids}-models` : undefined}
                placeholder={SCOPE_VALUE_LABEL[state.scopeKind].placeholder}
                data-testid="budget-scope-value"
                {...fieldProps('scope.value')}
              />
              {state.scopeKind === 'model' && (
                <datalist id={`${ids}-models`}>
                  {modelNames.map((n) => (
                    <option key={n} value={n} />
                  ))}
                </datalist>
              )}
              {fieldError('scope.value')}
            </div>
          )}
          <div className="field">
            <label className="field-label" htmlFor={`${ids}-source`}>
              Spend source
            </label>
            <select id={`${ids}-source`} className="input" value={state.source} onChange={(e) => set('source', e.target.value)} data-testid="budget-source" {...fieldProps('source')}>
              {(sources.data ?? [{ id: 'focus', label: 'FOCUS files' }]).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
              {!(sources.data ?? [{ id: 'focus' }]).some((s) => s.id === state.source) && <option value={state.source}>{state.source}</option>}
            </select>
            {fieldError('source')}
          </div>
        </div>
      </fieldset>

      <fieldset className="budget-fieldset">
        <legend className="budget-legend">Period and amount</legend>
        <div className="budget-grid">
          <div className="field">
            <label className="field-label" htmlFor={`${ids}-period`}>
              Period
            </label>
            <select id={`${ids}-period`} className="input" value={state.periodKind} onChange={(e) => set('periodKind', e.target.value as PeriodKind)} data-testid="budget-period-kind" {...fieldProps('period')}>
              <option value="monthly">Monthly (resets each calendar month)</option>
              <option value="quarterly">Quarterly</option>
              <option value="annual">Annual</option>
              <option value="custom">Custom dates</option>
            </select>
            {fieldError('period')}
          </div>
          {state.periodKind === 'custom' && (
            <>
              <div className="field">
                <label className="field-label" htmlFor={`${ids}-from`}>
                  Start (first day)
                </label>
                <input id={`${ids}-from`} type="date" className="input" value={state.from} onChange={(e) => set('from', e.target.value)} data-testid="budget-from" {...fieldProps('period.from')} onBlur={(e) => blurTouches(e, 'period.from', 'period.to')} />
                {fieldError('period.from')}
              </div>
              <div className="field">
                <label className="field-label" htmlFor={`${ids}-to`}>
                  End (last day, included)
                </label>
                <input id={`${ids}-to`} type="date" className="input" value={state.to} onChange={(e) => set('to', e.target.value)} data-testid="budget-to" {...fieldProps('period.to')} />
                {fieldError('period.to')}
              </div>
            </>
          )}
        </div>
        <div className="budget-grid">
          <div className="field">
            <label className="field-label" htmlFor={`${ids}-amount`}>
              Amount
            </label>
            <input id={`${ids}-amount`} type="number" inputMode="decimal" step="any" className="input num" value={state.amount} onChange={(e) => set('amount', e.target.value)} placeholder="e.g. 5000" data-testid="budget-amount" {...fieldProps('amount')} />
            {fieldError('amount')}
          </div>
          <div className="field budget-currency">
            <label className="field-label" htmlFor={`${ids}-currency`}>
              Currency
            </label>
            <input
              id={`${ids}-currency`}
              className="input mono"
              value={state.currency}
              onChange={(e) => set('currency', e.target.value.toUpperCase())}
              list={`${ids}-currencies`}
              maxLength={8}
              autoComplete="off"
              spellCheck={false}
              data-testid="budget-currency"
              {...fieldProps('currency')}
            />
            <datalist id={`${ids}-currencies`}>
              {COMMON_CURRENCIES.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            {fieldError('currency')}
          </div>
          <div className="field budget-wide">
            <span className="field-label" id={`${ids}-metric-label`}>
              Cost tracked
            </span>
            <div className="budget-radios" role="radiogroup" aria-labelledby={`${ids}-metric-label`}>
              <label className="field-inline">
                <input type="radio" name={`${ids}-metric`} value="effective" checked={state.metric === 'effective'} onChange={() => set('metric', 'effective')} data-testid="budget-metric-effective" />
                Effective cost
              </label>
              <label className="field-inline">
                <input type="radio" name={`${ids}-metric`} value="billed" checked={state.metric === 'billed'} onChange={() => set('metric', 'billed')} data-testid="budget-metric-billed" />
                Billed cost
              </label>
            </div>
            <span className="field-note no-margin">Effective cost spreads commitments and applies discounts (what the work really cost); billed cost is what the invoice says on the day it was charged.</span>
            {fieldError('metric')}
          </div>
        </div>
      </fieldset>

      <fieldset className="budget-fieldset">
        <legend className="budget-legend">Alert thresholds</legend>
        <p className="field-note no-margin">An actual threshold fires when the spend so far passes it; a forecasted one when the forecast of the period-end total does. Percentages are of the amount (at most {MAX_THRESHOLD_PERCENT}%).</p>
        {fieldError('thresholds')}
        <ul className="budget-rows" data-testid="budget-thresholds">
          {state.thresholds.map((t, i) => (
            <li key={t.uid} className="budget-row" data-testid="budget-threshold-row">
              <label className="field">
                <span className="field-label">Basis</span>
                <select className="input" value={t.basis} onChange={(e) => updateThreshold(t.uid, { basis: e.target.value as ThresholdRow['basis'] })} aria-label={`Threshold ${i + 1} basis`} data-testid="threshold-basis">
                  <option value="actual">Actual spend</option>
                  <option value="forecasted">Forecasted total</option>
                </select>
              </label>
              <label className="field">
                <span className="field-label">Kind</span>
                <select className="input" value={t.kind} onChange={(e) => updateThreshold(t.uid, { kind: e.target.value as ThresholdRow['kind'] })} aria-label={`Threshold ${i + 1} kind`} data-testid="threshold-kind">
                  <option value="percent">% of the amount</option>
                  <option value="absolute">Amount ({state.currency || 'currency'})</option>
                </select>
              </label>
              <div className="field">
                <label className="field-label" htmlFor={`${ids}-t-${t.uid}`}>
                  Value{t.kind === 'percent' ? ' (%)' : ''}
                </label>
                <input
                  id={`${ids}-t-${t.uid}`}
                  type="number"
                  inputMode="decimal"
                  step="any"
                  className="input num"
                  value={t.value}
                  onChange={(e) => updateThreshold(t.uid, { value: e.target.value })}
                  aria-label={`Threshold ${i + 1} value`}
                  data-testid="threshold-value"
                  {...fieldProps(`thresholds.${i}.value`)}
                />
              </div>
              <button type="button" className="btn btn-ghost budget-row-remove" onClick={() => set('thresholds', state.thresholds.filter((x) => x.uid !== t.uid))} aria-label={`Remove threshold ${i + 1}`} data-testid="threshold-remove">
                Remove
              </button>
              <div className="budget-row-errors">
                {fieldError(`thresholds.${i}.value`)}
                {fieldError(`thresholds.${i}`)}
              </div>
            </li>
          ))}
        </ul>
        {state.thresholds.length === 0 && <p className="muted no-margin">No thresholds: the budget is tracked but never alerts.</p>}
        <div>
          <button type="button" className="btn btn-secondary" onClick={() => set('thresholds', [...state.thresholds, { uid: nextUid(), basis: 'actual', kind: 'percent', value: '' }])} disabled={state.thresholds.length >= 10} data-testid="threshold-add">
            + Add threshold
          </button>
        </div>
      </fieldset>

      <fieldset className="budget-fieldset">
        <legend className="budget-legend">Planned amounts per month (optional)</legend>
        <p className="field-note no-margin">A planned month replaces the pro-rata share of the amount in the report’s month-by-month plan; for a monthly budget it is that month’s amount.</p>
        <ul className="budget-rows" data-testid="budget-planned">
          {state.planned.map((p, i) => (
            <li key={p.uid} className="budget-row budget-row-planned" data-testid="budget-planned-row">
              <div className="field">
                <label className="field-label" htmlFor={`${ids}-pm-${p.uid}`}>
                  Month
                </label>
                <input id={`${ids}-pm-${p.uid}`} type="month" className="input" value={p.month} onChange={(e) => updatePlanned(p.uid, { month: e.target.value })} placeholder="YYYY-MM" {...fieldProps(`planned.${i}.month`)} />
              </div>
              <div className="field">
                <label className="field-label" htmlFor={`${ids}-pa-${p.uid}`}>
                  Amount ({state.currency || 'currency'})
                </label>
                <input id={`${ids}-pa-${p.uid}`} type="number" inputMode="decimal" step="any" className="input num" value={p.amount} onChange={(e) => updatePlanned(p.uid, { amount: e.target.value })} {...fieldProps(`planned.${i}.amount`)} />
              </div>
              <button type="button" className="btn btn-ghost budget-row-remove" onClick={() => set('planned', state.planned.filter((x) => x.uid !== p.uid))} aria-label={`Remove planned month ${i + 1}`}>
                Remove
              </button>
              <div className="budget-row-errors">
                {fieldError(`planned.${i}.month`)}
                {fieldError(`planned.${i}.amount`)}
              </div>
            </li>
          ))}
        </ul>
        <div>
          <button type="button" className="btn btn-secondary" onClick={() => set('planned', [...state.planned, { uid: nextUid(), month: '', amount: '' }])} data-testid="planned-add">
            + Add planned month
          </button>
        </div>
      </fieldset>

      {editing && (
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-reason`}>
            Reason for the change (recorded in the audit log)
          </label>
          <textarea id={`${ids}-reason`} className="input textarea" rows={2} value={state.reason} onChange={(e) => set('reason', e.target.value)} maxLength={2000} data-testid="budget-reason" {...fieldProps('reason')} />
          {fieldError('reason')}
        </div>
      )}

      <div className="review-form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-form-action="save" data-testid="budget-save">
          {busy ? 'Saving…' : editing ? 'Save changes' : 'Create budget'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy} data-form-action="cancel">
          Cancel
        </button>
      </div>
    </form>
  );
}
