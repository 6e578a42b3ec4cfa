import { useId, useMemo, useRef, useState, type FocusEvent, type FormEvent, type ReactNode } from 'react';
import { budgetFieldErrors } from '../../../shared/budgets/budgetSchema';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import type { SunsetCandidate } from '../../../shared/lifecycle/lifecycleViews';
import { CommitmentSchema, SunsetPlanSchema, type SunsetPlan, type SunsetPlanInput } from '../../../shared/lifecycle/sunsetPlan';
import { invoke, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, Loading, PageHeader } from '../components/ui';
import { modelHref, navigate } from '../router';
import { LIFECYCLE_HREF, reasonLabel, sunsetHref } from './format';
import { SunsetCalculator } from './SunsetCalculator';

interface CommitmentRow {
  uid: number;
  label: string;
  monthly: string;
  until: string;
}
interface FormState {
  replacementModel: string;
  replacementVersion: string;
  drainDate: string;
  retirementDate: string;
  owner: string;
  dataRetention: string;
  rollback: string;
  sharedMonthly: string;
  commitments: CommitmentRow[];
  notes: string;
}

/** The paths the form shows under a field; an engine refusal elsewhere goes in the banner. */
const FIELD_PATH = /^(replacement(\.(model|version))?|drainDate|retirementDate|owner|dataRetention|rollback|sharedMonthly|commitments\.\d+\.(label|monthly|until))$/;

let uidCounter = 0;
const nextUid = () => ++uidCounter;

const EMPTY: FormState = { replacementModel: '', replacementVersion: '', drainDate: '', retirementDate: '', owner: '', dataRetention: '', rollback: '', sharedMonthly: '0', commitments: [], notes: '' };

function toNumber(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}

/** The form as the schema's input: the schema, not the form, decides what is valid. */
function planInput(s: FormState): SunsetPlanInput {
  return {
    replacement: s.replacementModel === '' ? null : { model: s.replacementModel, version: s.replacementVersion },
    drainDate: s.drainDate,
    retirementDate: s.retirementDate,
    dataRetention: s.dataRetention,
    rollback: s.rollback,
    owner: s.owner,
    sharedMonthly: toNumber(s.sharedMonthly) ?? 0,
    commitments: s.commitments.map((c) => ({ label: c.label, monthly: toNumber(c.monthly) as number, until: c.until })),
    ...(s.notes.trim() ? { notes: s.notes } : {}),
  };
}

function validate(s: FormState): { errors: Record<string, string>; plan: SunsetPlan | null } {
  const parsed = SunsetPlanSchema.safeParse(planInput(s));
  return parsed.success ? { errors: {}, plan: parsed.data } : { errors: budgetFieldErrors(parsed.error), plan: null };
}

/** What the calculator can use now: the valid parts of the draft (an unfinished commitment row is left out). */
function calcInput(model: string, version: string, s: FormState) {
  const shared = toNumber(s.sharedMonthly);
  const commitments = s.commitments.map((c) => CommitmentSchema.safeParse({ label: c.label, monthly: toNumber(c.monthly), until: c.until })).flatMap((r) => (r.success ? [r.data] : []));
  return {
    model,
    version,
    replacement: s.replacementModel && s.replacementVersion ? { model: s.replacementModel, version: s.replacementVersion } : null,
    ...(shared !== undefined && Number.isFinite(shared) && shared >= 0 ? { sharedMonthly: shared } : {}),
    ...(commitments.length > 0 ? { commitments } : {}),
    // The saving counts from the month after retirement; until the date is complete, from now.
    ...(/^\d{4}-\d{2}-\d{2}$/.test(s.retirementDate) ? { retirementDate: s.retirementDate } : {}),
  };
}

/** #/lifecycle/new?model=…&version=…: plan a sunset, with the saving calculated as the plan is written. */
export function NewSunsetPage({ model, version }: { model: string; version: string }) {
  // Only this version's candidacy: the whole list of a large registry is megabytes.
  const candidates = useQuery('lifecycle/candidates', { model, version }, `${model}@${version}`);
  const candidate = candidates.data?.candidates.find((c) => c.model === model && c.version === version);
  return (
    <div className="page sunset-new-page" data-testid="sunset-new-page">
      <p className="breadcrumb">
        <a href={LIFECYCLE_HREF}>← Lifecycle</a>
      </p>
      <PageHeader
        title={`Plan the sunset of ${model}@${version}`}
        subtitle={
          <>
            A plan for retiring <a href={modelHref(model, version)}>{model}@{version}</a>: when traffic drains, when it is retired, what happens to its data, how to roll back. Proposing it opens a sunset review that a reviewer signs.
          </>
        }
      />
      {candidates.error && <ErrorBanner error={candidates.error} context="Could not load the candidate's reasons" onRetry={candidates.reload} />}
      {!candidates.data && candidates.loading ? <Loading label="Loading the candidate…" /> : <SunsetForm model={model} version={version} candidate={candidate} />}
    </div>
  );
}

export function SunsetForm({ model, version, candidate }: { model: string; version: string; candidate: SunsetCandidate | undefined }) {
  const [state, setState] = useState<FormState>(EMPTY);
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [engineErrors, setEngineErrors] = useState<Record<string, string>>({});
  const [engineError, setEngineError] = useState<IpcErrorBody | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const ids = useId();
  const models = useQuery('models/names', {});
  const replacementDetail = useQuery('models/show', { name: state.replacementModel || model }, state.replacementModel);
  const replacementVersions = state.replacementModel && replacementDetail.data?.name === state.replacementModel ? replacementDetail.data.versions.map((v) => v.version) : [];

  const validation = useMemo(() => validate(state), [state]);
  const shown = useMemo(() => {
    const out: Record<string, string> = {};
    for (const [path, message] of Object.entries(validation.errors)) if (submitted || touched.has(path)) out[path] = message;
    for (const [path, message] of Object.entries(engineErrors)) if (!(path in out)) out[path] = message;
    return out;
  }, [validation.errors, submitted, touched, engineErrors]);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setState((s) => ({ ...s, [key]: value }));
    setEngineErrors({});
  };
  const touch = (...paths: string[]) => setTouched((t) => new Set([...t, ...paths]));
  const errId = (path: string) => `${ids}-err-${path.replace(/\./g, '-')}`;
  // Leaving a field for the form's own buttons shows no message on blur (it would move the button under the pointer).
  const blurTouches = (e: FocusEvent, ...paths: string[]) => {
    const next = e.relatedTarget;
    if (next instanceof HTMLElement && next.closest('[data-form-action]')) return;
    touch(...paths);
  };
  const fieldProps = (path: string, ...alsoTouch: string[]) => ({
    'aria-invalid': path in shown ? true : undefined,
    'aria-describedby': path in shown ? errId(path) : undefined,
    onBlur: (e: FocusEvent) => blurTouches(e, path, ...alsoTouch),
  });
  const fieldError = (path: string): ReactNode =>
    path in shown ? (
      <span id={errId(path)} className="field-error" data-testid={`sunset-error-${path}`} data-field={path}>
        <span aria-hidden="true">✕ </span>
        {shown[path]}
      </span>
    ) : null;
  const updateCommitment = (uid: number, patch: Partial<CommitmentRow>) => set('commitments', state.commitments.map((c) => (c.uid === uid ? { ...c, ...patch } : c)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setSubmitted(true);
    setEngineError(undefined);
    const { plan } = validate(state);
    if (!plan) {
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    const reasons = candidate?.reasons.map((r) => ({ code: r.code, detail: r.detail }));
    const result = await invoke('sunsets/propose', { model, version, plan, ...(reasons && reasons.length > 0 ? { reasons } : {}) });
    setBusy(false);
    if (!result.ok) {
      // The engine names fields as the contract does ('plan.retirementDate'): map them onto the form.
      const mapped: Record<string, string> = {};
      for (const issue of result.error.issues ?? []) {
        const path = issue.path.replace(/^plan\.?/, '');
        if (path && !(path in mapped)) mapped[path] = issue.message;
      }
      setEngineErrors(mapped);
      // A refusal no field shows (or none at all) goes in the banner, so nothing is silently dropped.
      if (Object.keys(mapped).length === 0 || Object.keys(mapped).some((p) => !FIELD_PATH.test(p))) setEngineError(result.error);
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    navigate(sunsetHref(result.value.id));
  };

  const errorCount = Object.keys(shown).length;
  const otherModels = [...(models.data ?? [])].sort((a, b) => a.localeCompare(b));

  return (
    <div className="sunset-form-grid">
      <form ref={formRef} className="panel sunset-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Sunset plan" data-testid="sunset-form">
        {engineError && <ErrorBanner error={engineError} context="The sunset was not proposed" onDismiss={() => setEngineError(undefined)} />}
        {submitted && errorCount > 0 && (
          <p className="dialog-error" role="alert" data-testid="sunset-form-summary">
            <span aria-hidden="true">✕ </span>
            {errorCount === 1 ? 'One field needs attention' : `${errorCount} fields need attention`}: nothing was proposed.
          </p>
        )}

        <fieldset className="budget-fieldset">
          <legend className="budget-legend">Why</legend>
          {candidate ? (
            <ul className="lifecycle-reasons" data-testid="sunset-form-reasons">
              {candidate.reasons.map((r) => (
                <li key={r.code}>
                  <span className={`chip lifecycle-reason-chip reason-${r.code}`}>{reasonLabel(r.code)}</span>
                  <span className="lifecycle-reason-detail">{r.detail}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted no-margin">This version is not a sunset candidate now; the plan goes on record without reasons.</p>
          )}
        </fieldset>

        <fieldset className="budget-fieldset">
          <legend className="budget-legend">What takes over, and when</legend>
          <div className="budget-grid">
            <div className="field">
              <label className="field-label" htmlFor={`${ids}-rmodel`}>
                Replacement model
              </label>
              <select id={`${ids}-rmodel`} className="input" value={state.replacementModel} onChange={(e) => setState((s) => ({ ...s, replacementModel: e.target.value, replacementVersion: '' }))} data-testid="sunset-replacement-model" {...fieldProps('replacement.model')}>
                <option value="">None: the use ends</option>
                {otherModels.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
              {fieldError('replacement.model')}
            </div>
            {state.replacementModel !== '' && (
              <div className="field">
                <label className="field-label" htmlFor={`${ids}-rversion`}>
                  Replacement version
                </label>
                <select id={`${ids}-rversion`} className="input" value={state.replacementVersion} onChange={(e) => set('replacementVersion', e.target.value)} data-testid="sunset-replacement-version" {...fieldProps('replacement.version')}>
                  <option value="">Choose a version…</option>
                  {replacementVersions
                    .filter((v) => !(state.replacementModel === model && v === version))
                    .map((v) => (
                      <option key={v} value={v}>
                        {v}
                      </option>
                    ))}
                </select>
                {fieldError('replacement.version')}
                {fieldError('replacement')}
              </div>
            )}
            <div className="field">
              <label className="field-label" htmlFor={`${ids}-drain`}>
                Traffic drained by
              </label>
              <input id={`${ids}-drain`} type="date" className="input" value={state.drainDate} onChange={(e) => set('drainDate', e.target.value)} data-testid="sunset-drain" {...fieldProps('drainDate', 'retirementDate')} />
              <DateNote day={state.drainDate} />
              {fieldError('drainDate')}
            </div>
            <div className="field">
              <label className="field-label" htmlFor={`${ids}-retire`}>
                Retired from
              </label>
              <input id={`${ids}-retire`} type="date" className="input" value={state.retirementDate} onChange={(e) => set('retirementDate', e.target.value)} data-testid="sunset-retirement" {...fieldProps('retirementDate')} />
              <DateNote day={state.retirementDate} />
              {fieldError('retirementDate')}
            </div>
          </div>
        </fieldset>

        <fieldset className="budget-fieldset">
          <legend className="budget-legend">Who, and what happens to it</legend>
          <div className="budget-grid">
            <div className="field">
              <label className="field-label" htmlFor={`${ids}-owner`}>
                Owner of the plan
              </label>
              <input id={`${ids}-owner`} className="input" value={state.owner} onChange={(e) => set('owner', e.target.value)} maxLength={200} placeholder="e.g. platform team (Jo Bloggs)" data-testid="sunset-owner" {...fieldProps('owner')} />
              {fieldError('owner')}
            </div>
          </div>
          <div className="field">
            <label className="field-label" htmlFor={`${ids}-retention`}>
              Data retention
            </label>
            <textarea id={`${ids}-retention`} className="input textarea" rows={2} value={state.dataRetention} onChange={(e) => set('dataRetention', e.target.value)} placeholder="e.g. artefacts and prediction logs kept 7 years in cold storage, then deleted" data-testid="sunset-retention" {...fieldProps('dataRetention')} />
            {fieldError('dataRetention')}
          </div>
          <div className="field">
            <label className="field-label" htmlFor={`${ids}-rollback`}>
              Rollback
            </label>
            <textarea id={`${ids}-rollback`} className="input textarea" rows={2} value={state.rollback} onChange={(e) => set('rollback', e.target.value)} placeholder="e.g. redeploy the registered artefact behind the same endpoint within a day" data-testid="sunset-rollback" {...fieldProps('rollback')} />
            {fieldError('rollback')}
          </div>
        </fieldset>

        <fieldset className="budget-fieldset">
          <legend className="budget-legend">What is not saved</legend>
          <div className="budget-grid">
            <div className="field">
              <label className="field-label" htmlFor={`${ids}-shared`}>
                Shared cost per month ({candidate?.currency ?? 'currency'})
              </label>
              <input id={`${ids}-shared`} type="number" inputMode="decimal" min={0} step="any" className="input num" value={state.sharedMonthly} onChange={(e) => set('sharedMonthly', e.target.value)} data-testid="sunset-shared" {...fieldProps('sharedMonthly')} />
              <span className="field-note no-margin">Shared infrastructure reallocated to other models, not saved.</span>
              {fieldError('sharedMonthly')}
            </div>
          </div>
          <p className="field-note no-margin">Commitments still payable after retirement (reservations, savings plans, contracts): each is subtracted until it ends.</p>
          <ul className="budget-rows" data-testid="sunset-commitments">
            {state.commitments.map((c, i) => (
              <li key={c.uid} className="budget-row sunset-commitment-row" data-testid="sunset-commitment-row">
                <div className="field">
                  <label className="field-label" htmlFor={`${ids}-cl-${c.uid}`}>
                    Commitment
                  </label>
                  <input id={`${ids}-cl-${c.uid}`} className="input" value={c.label} onChange={(e) => updateCommitment(c.uid, { label: e.target.value })} placeholder="e.g. 1-year reserved instance" {...fieldProps(`commitments.${i}.label`)} />
                </div>
                <div className="field">
                  <label className="field-label" htmlFor={`${ids}-cm-${c.uid}`}>
                    Per month
                  </label>
                  <input id={`${ids}-cm-${c.uid}`} type="number" inputMode="decimal" min={0} step="any" className="input num" value={c.monthly} onChange={(e) => updateCommitment(c.uid, { monthly: e.target.value })} {...fieldProps(`commitments.${i}.monthly`)} />
                </div>
                <div className="field">
                  <label className="field-label" htmlFor={`${ids}-cu-${c.uid}`}>
                    Paid until
                  </label>
                  <input id={`${ids}-cu-${c.uid}`} type="date" className="input" value={c.until} onChange={(e) => updateCommitment(c.uid, { until: e.target.value })} {...fieldProps(`commitments.${i}.until`)} />
                </div>
                <button type="button" className="btn btn-ghost budget-row-remove" onClick={() => set('commitments', state.commitments.filter((x) => x.uid !== c.uid))} aria-label={`Remove commitment ${i + 1}`}>
                  Remove
                </button>
                <div className="budget-row-errors">
                  {fieldError(`commitments.${i}.label`)}
                  {fieldError(`commitments.${i}.monthly`)}
                  {fieldError(`commitments.${i}.until`)}
                </div>
              </li>
            ))}
          </ul>
          <div>
            <button type="button" className="btn btn-secondary" onClick={() => set('commitments', [...state.commitments, { uid: nextUid(), label: '', monthly: '', until: '' }])} disabled={state.commitments.length >= 50} data-testid="sunset-commitment-add">
              + Add commitment
            </button>
          </div>
        </fieldset>

        <div className="field">
          <label className="field-label" htmlFor={`${ids}-notes`}>
            Notes <span className="muted">(optional)</span>
          </label>
          <textarea id={`${ids}-notes`} className="input textarea" rows={2} value={state.notes} onChange={(e) => set('notes', e.target.value)} maxLength={10_000} data-testid="sunset-notes" />
        </div>

        <div className="review-form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-form-action="propose" data-testid="sunset-propose">
            {busy ? 'Proposing…' : 'Propose sunset'}
          </button>
          <a className="btn btn-ghost" href={LIFECYCLE_HREF} data-form-action="cancel">
            Cancel
          </a>
        </div>
      </form>
      <aside className="sunset-form-side">
        <SunsetCalculator input={calcInput(model, version, state)} retirementDate={state.retirementDate} />
      </aside>
    </div>
  );
}

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** The chosen day written out unambiguously (the date control shows it in the system's format). */
function DateNote({ day }: { day: string }) {
  const d = new Date(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(d.getTime())) return null;
  return <span className="sunset-date-note">{WEEKDAY[d.getUTCDay()]} {day}</span>;
}

/** For a route whose model or version is missing. */
export function SunsetNotFound({ what }: { what: string }) {
  return (
    <div className="page">
      <EmptyState title="Nothing to plan" testId="sunset-new-missing">
        <p>{what}</p>
        <p>
          Choose a candidate in <a href={LIFECYCLE_HREF}>Lifecycle</a>.
        </p>
      </EmptyState>
    </div>
  );
}
