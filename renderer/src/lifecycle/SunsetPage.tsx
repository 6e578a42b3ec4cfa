import { useState } from 'react';
import { formatMoney } from '../../../shared/format/money';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import type { SunsetView } from '../../../shared/lifecycle/lifecycleViews';
import type { SunsetDecisionKind } from '../../../shared/lifecycle/sunsetPlan';
import { invoke, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, formatTimestamp, Loading, shortHash, Status } from '../components/ui';
import { modelHref } from '../router';
import { shortKeyId } from '../reviews/format';
import { DependentsList, SavingLines } from './SunsetCalculator';
import { SunsetDecisionDialog } from './SunsetDecisionDialog';
import { DECISION_ACTION_LABEL, DECISION_DONE_LABEL, LIFECYCLE_HREF, LIFECYCLE_LABEL, LIFECYCLE_TONE, reasonLabel, SUNSET_STATE_LABEL, SUNSET_STATE_TONE } from './format';

const ACTIONS: SunsetDecisionKind[] = ['approve', 'reject', 'withdraw'];

/** #/lifecycle/sunsets/<id>: can I approve retiring this version, and what does it save? */
export function SunsetPage({ id }: { id: number }) {
  const q = useQuery('sunsets/show', { id }, String(id));
  const [dialog, setDialog] = useState<SunsetDecisionKind | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (q.error && !q.data) {
    return (
      <div className="page" data-testid="sunset-page">
        <p className="breadcrumb">
          <a href={LIFECYCLE_HREF}>← Lifecycle</a>
        </p>
        {q.error.code === 'NOT_FOUND' ? (
          <EmptyState title="No such sunset" testId="sunset-not-found">
            <p>{q.error.message}</p>
          </EmptyState>
        ) : (
          <ErrorBanner error={q.error} context="Could not load the sunset" onRetry={q.reload} />
        )}
      </div>
    );
  }
  if (!q.data) return <div className="page"><Loading label="Loading the sunset…" /></div>;
  const s = q.data.sunset;
  const open = s.state === 'proposed';

  return (
    <div className="page sunset-page" data-testid="sunset-page">
      <p className="breadcrumb">
        <a href={LIFECYCLE_HREF}>← Lifecycle</a>
      </p>
      <header className="review-header">
        <div className="review-title-row">
          <h1 className="page-title">
            Sunset #{s.id}: <a href={modelHref(s.model, s.version)}>{s.model}</a>
            <span className="muted mono review-version">@{s.version}</span>
          </h1>
          <span className="sunset-pill">
            <span className="sunset-pill-label">Decision</span>
            <Status tone={SUNSET_STATE_TONE[s.state]} testId="sunset-state">
              {SUNSET_STATE_LABEL[s.state]}
            </Status>
          </span>
          <span className="sunset-pill">
            <span className="sunset-pill-label">Version is</span>
            <Status tone={LIFECYCLE_TONE[s.lifecycle.state]} testId="sunset-lifecycle">
              {LIFECYCLE_LABEL[s.lifecycle.state]}
            </Status>
          </span>
        </div>
        <dl className="facts">
          <div>
            <dt>Net saving</dt>
            <dd data-testid="sunset-net">
              <strong>{formatMoney(s.saving.net, s.saving.currency)}</strong> per month
            </dd>
          </div>
          <div>
            <dt>Replacement</dt>
            <dd>
              {s.plan.replacement ? (
                <a href={modelHref(s.plan.replacement.model, s.plan.replacement.version)}>
                  {s.plan.replacement.model}
                  <span className="mono">@{s.plan.replacement.version}</span>
                </a>
              ) : (
                'none: the use ends'
              )}
            </dd>
          </div>
          <div>
            <dt>Traffic drained by</dt>
            <dd className="mono">{s.plan.drainDate}</dd>
          </div>
          <div>
            <dt>Retired from</dt>
            <dd className="mono" data-testid="sunset-retirement-date">
              {s.plan.retirementDate}
            </dd>
          </div>
          <div>
            <dt>Owner</dt>
            <dd>{s.plan.owner}</dd>
          </div>
          <div>
            <dt>Opened</dt>
            <dd>
              {formatTimestamp(s.openedAt)} by {s.openedBy}
            </dd>
          </div>
          {s.lifecycle.since && (
            <div>
              <dt>{LIFECYCLE_LABEL[s.lifecycle.state]} since</dt>
              <dd>{formatTimestamp(s.lifecycle.since)}</dd>
            </div>
          )}
        </dl>
        {open ? (
          <div className="review-actions" role="group" aria-label="Decisions you can make">
            {ACTIONS.map((a) => (
              <button
                key={a}
                type="button"
                className={`btn ${a === 'approve' ? 'btn-primary' : 'btn-danger-outline'}`}
                onClick={() => {
                  setNotice(null);
                  setDialog(a);
                }}
                data-testid={`sunset-action-${a}`}
              >
                {DECISION_ACTION_LABEL[a]}…
              </button>
            ))}
          </div>
        ) : (
          <p className="muted no-margin">This sunset is decided: no further decisions can be made.</p>
        )}
        {notice && (
          <p className="review-notice" role="status" data-testid="sunset-notice">
            <Status tone="ok">{notice}</Status>
          </p>
        )}
        {q.error && <ErrorBanner error={q.error} context="Could not refresh the sunset" onRetry={q.reload} />}
      </header>

      <div className="review-grid">
        <div className="review-main">
          <section className="panel" aria-labelledby="sunset-saving-h">
            <h2 id="sunset-saving-h" className="panel-title">
              Saving
              <span className="panel-title-note muted">as proposed</span>
            </h2>
            <SavingLines saving={s.saving} retirementDate={s.plan.retirementDate} testId="sunset-saving" />
          </section>
          <PlanPanel s={s} />
          <section className="panel" aria-labelledby="sunset-reasons-h" data-testid="sunset-reasons">
            <h2 id="sunset-reasons-h" className="panel-title">
              Why it was proposed
            </h2>
            {s.reasons.length === 0 ? (
              <p className="muted no-margin">No reasons were recorded with the plan.</p>
            ) : (
              <ul className="lifecycle-reasons">
                {s.reasons.map((r) => (
                  <li key={r.code}>
                    <span className={`chip lifecycle-reason-chip reason-${r.code}`}>{reasonLabel(r.code)}</span>
                    <span className="lifecycle-reason-detail">{r.detail}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <DecisionsPanel s={s} />
        </div>
        <aside className="review-side">
          <section className="panel review-side-panel" aria-labelledby="sunset-deps-h">
            <h2 id="sunset-deps-h" className="panel-title">
              Who depends on it
            </h2>
            <DependentsList dependents={q.data.dependents} />
          </section>
          <ExportSummaryPanel id={s.id} />
        </aside>
      </div>

      {dialog && (
        <SunsetDecisionDialog
          sunset={s}
          kind={dialog}
          onClose={() => setDialog(null)}
          onDecided={(state, lifecycle) => {
            setDialog(null);
            setNotice(`Decision signed and recorded. The sunset is now ${state}; the version is ${lifecycle}.`);
            q.reload();
          }}
        />
      )}
    </div>
  );
}

function PlanPanel({ s }: { s: SunsetView }) {
  const p = s.plan;
  return (
    <section className="panel" aria-labelledby="sunset-plan-h" data-testid="sunset-plan">
      <h2 id="sunset-plan-h" className="panel-title">
        Plan
        <span className="panel-title-note muted mono" title={s.planSha256}>
          sha256 {shortHash(s.planSha256, 16)}
        </span>
      </h2>
      <dl className="kv">
        <dt>Data retention</dt>
        <dd className="pre-line">{p.dataRetention}</dd>
        <dt>Rollback</dt>
        <dd className="pre-line">{p.rollback}</dd>
        <dt>Shared cost</dt>
        <dd>{p.sharedMonthly > 0 ? `${formatMoney(p.sharedMonthly, s.saving.currency)} per month, reallocated (not saved)` : 'none'}</dd>
        <dt>Commitments</dt>
        <dd>
          {p.commitments.length === 0 ? (
            'none'
          ) : (
            <ul className="sunset-commitments">
              {p.commitments.map((c, i) => (
                <li key={i}>
                  {c.label}: {formatMoney(c.monthly, s.saving.currency)} per month until <span className="mono">{c.until}</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        {p.notes && (
          <>
            <dt>Notes</dt>
            <dd className="pre-line">{p.notes}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function DecisionsPanel({ s }: { s: SunsetView }) {
  return (
    <section className="panel" aria-labelledby="sunset-decisions-h" data-testid="sunset-decisions">
      <h2 id="sunset-decisions-h" className="panel-title">
        Signed decisions
      </h2>
      {s.decisions.length === 0 && <p className="muted no-margin">No decision yet. A decision is signed with a reviewer key and verified every time this page loads.</p>}
      <ol className="decision-list">
        {s.decisions.map((d) => (
          <li key={d.id} className="decision-item" data-testid="sunset-decision" data-kind={d.kind}>
            <div className="decision-head">
              <strong>{DECISION_DONE_LABEL[d.kind]}</strong>
              <span>
                by {d.signer} <span className="muted">({d.role})</span>
              </span>
              <span className="muted">
                key <span className="mono" title={d.keyId}>{shortKeyId(d.keyId)}</span>
              </span>
              <span className="muted">{formatTimestamp(d.signedAt)}</span>
              {d.verified ? (
                <Status tone="ok" title={d.verification} testId="sunset-decision-verified">
                  Verified
                </Status>
              ) : (
                <Status tone="bad" title={d.verification} testId="sunset-decision-verified">
                  NOT verified: {d.verification}
                </Status>
              )}
            </div>
            <p className="decision-rationale pre-line">{d.rationale}</p>
            <p className="muted decision-meta">
              Digest <span className="mono" title={d.digest}>{shortHash(d.digest, 16)}</span>
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function ExportSummaryPanel({ id }: { id: number }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const [result, setResult] = useState<{ path: string; sha256: string } | null>(null);
  const [showNote, setShowNote] = useState<string | null>(null);

  const exportSummary = async () => {
    setBusy(true);
    setError(undefined);
    setShowNote(null);
    const r = await invoke('sunsets/exportSummary', { id });
    setBusy(false);
    if (r.ok) setResult(r.value);
    else setError(r.error);
  };
  const showInFolder = async (path: string) => {
    setShowNote(null);
    const shown = await invoke('shell/showItemInFolder', { path });
    if (!shown.ok) setShowNote(shown.error.message);
    else if (!shown.value.shown) setShowNote(`Could not show it: ${shown.value.reason ?? 'refused'}`);
    else setShowNote('Shown in your file manager.');
  };

  return (
    <section className="panel review-side-panel" aria-labelledby="sunset-export-h" data-testid="sunset-export">
      <h2 id="sunset-export-h" className="panel-title">
        One-page summary
      </h2>
      <p className="muted no-margin">A PDF of the plan, the saving and the decisions, signed with the workspace certificate.</p>
      <div>
        <button type="button" className="btn btn-secondary" onClick={() => void exportSummary()} disabled={busy} data-testid="sunset-export-button">
          {busy ? 'Exporting…' : result ? 'Export again' : 'Export one-page summary'}
        </button>
      </div>
      {error && <ErrorBanner error={error} context="The summary was not exported" onDismiss={() => setError(undefined)} />}
      {result && (
        <div className="sunset-export-result" role="status" data-testid="sunset-export-result">
          <Status tone="ok">Exported</Status>
          <dl className="pack-paths">
            <dt>File</dt>
            <dd className="mono" data-testid="sunset-export-path">
              {result.path}
            </dd>
            <dt>sha256</dt>
            <dd className="mono" data-testid="sunset-export-sha">
              {result.sha256}
            </dd>
          </dl>
          <div>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => void showInFolder(result.path)} data-testid="sunset-show-in-folder">
              Show in folder
            </button>
          </div>
          {showNote && (
            <p className="muted no-margin" data-testid="sunset-show-note">
              {showNote}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
