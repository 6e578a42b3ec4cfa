import { Fragment, useMemo, useState, type FormEvent } from 'react';
import type { RuleResult } from '../../../shared/policy/evidence';
import type { DecisionKind, ReviewAction } from '../../../shared/reviews/reviewState';
import type { DecisionView, ReviewDetail } from '../../../shared/reviews/reviewViews';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { ErrorBanner, formatTimestamp, Loading, shortHash, Status } from '../components/ui';
import { modelHref } from '../router';
import { formatMoney } from '../spend/format';
import { DecisionDialog } from './DecisionDialog';
import { ExportPackPanel } from '../pack/ExportPackPanel';
import { ACTION_LABEL, ACTION_ORDER, DECISION_LABEL, dueText, flattenForDiff, isOpenState, isStructured, pathInSection, reviewVerdict, RULE_LABEL, RULE_TONE, sectionTitle, shortKeyId, showValue, STATE_LABEL, STATE_TONE } from './format';

const UNSIGNED: ReviewAction[] = ['submit', 'resubmit'];

/** One release review: the verdict first, then the checklist, what changed, decisions and comments. */
export function ReviewPage({ id, now = new Date() }: { id: number; now?: Date }) {
  const review = useQuery('reviews/show', { id }, String(id));
  const [dialog, setDialog] = useState<DecisionKind | null>(null);
  const [moveError, setMoveError] = useState<IpcErrorBody | undefined>(undefined);
  const [moving, setMoving] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [exportingPack, setExportingPack] = useState(false);

  if (review.error && !review.data) {
    return (
      <div className="page" data-testid="review-page">
        <p className="breadcrumb">
          <a href="#/reviews">← Reviews</a>
        </p>
        <ErrorBanner error={review.error} context={`Could not load review #${id}`} onRetry={review.reload} />
      </div>
    );
  }
  if (!review.data) {
    return (
      <div className="page" data-testid="review-page">
        <Loading label={`Loading review #${id}…`} />
      </div>
    );
  }
  const r = review.data;
  const open = isOpenState(r.state);
  const due = dueText(r.dueAt, open, now);
  const actions = ACTION_ORDER.filter((a) => r.allowedActions.includes(a));

  const move = async (action: 'submit' | 'resubmit') => {
    setMoving(true);
    setMoveError(undefined);
    const result = await invoke('reviews/move', { id, move: action });
    setMoving(false);
    if (!result.ok) setMoveError(result.error);
    else setNotice(action === 'submit' ? 'Submitted for review.' : 'Resubmitted for review.');
    review.reload();
  };

  return (
    <div className="page review-page" data-testid="review-page">
      <p className="breadcrumb">
        <a href="#/reviews">← Reviews</a>
      </p>
      <header className="review-header">
        <div className="review-title-row">
          <h1 className="page-title">
            Review #{r.id}: <a href={modelHref(r.model, r.version)}>{r.model}</a>
            <span className="muted mono review-version">@{r.version}</span>
          </h1>
          <Status tone={STATE_TONE[r.state]} testId="review-page-state">
            {STATE_LABEL[r.state]}
          </Status>
          <button type="button" className="btn btn-secondary pack-export-button" onClick={() => setExportingPack(true)} data-testid="export-pack-button">
            Export audit pack…
          </button>
        </div>
        <Verdict review={r} />
        <dl className="facts">
          <div>
            <dt>Policy</dt>
            <dd>
              {r.checklist.policy.name} <span className="mono">v{r.checklist.policy.version}</span>
            </dd>
          </div>
          <div>
            <dt>Risk tier</dt>
            <dd>{r.checklist.tier.id}</dd>
          </div>
          <div>
            <dt>Approvals</dt>
            <dd className="num-inline">{r.approvalsNeeded === null ? `${r.approvals} (none required)` : `${r.approvals} of ${r.approvalsNeeded}`}</dd>
          </div>
          <div>
            <dt>Due</dt>
            <dd>
              <span className="mono">{due.date}</span> {due.note && (due.tone === 'bad' || due.tone === 'warn' ? <Status tone={due.tone}>{due.note}</Status> : <span className="muted">{due.note}</span>)}
            </dd>
          </div>
          <div>
            <dt>Assignees</dt>
            <dd>{r.assignees.length > 0 ? r.assignees.join(', ') : <span className="muted">unassigned</span>}</dd>
          </div>
          <div>
            <dt>Opened</dt>
            <dd>
              {formatTimestamp(r.openedAt)} by {r.openedBy}
            </dd>
          </div>
          {r.authors.length > 0 && (
            <div>
              <dt>Authors (cannot approve)</dt>
              <dd>{r.authors.join(', ')}</dd>
            </div>
          )}
        </dl>
        {actions.length > 0 ? (
          <div className="review-actions" role="group" aria-label="Decisions you can make">
            {actions.map((a) =>
              UNSIGNED.includes(a) ? (
                <button key={a} type="button" className="btn btn-secondary" disabled={moving} onClick={() => void move(a as 'submit' | 'resubmit')} data-testid={`action-${a}`}>
                  {ACTION_LABEL[a]} <span className="muted review-unsigned">(not signed)</span>
                </button>
              ) : (
                <button
                  key={a}
                  type="button"
                  className={`btn ${a === 'approve' ? 'btn-primary' : a === 'reject' || a === 'withdraw' ? 'btn-danger-outline' : 'btn-secondary'}`}
                  onClick={() => {
                    setNotice(null);
                    setDialog(a as DecisionKind);
                  }}
                  data-testid={`action-${a}`}
                >
                  {ACTION_LABEL[a]}…
                </button>
              ),
            )}
          </div>
        ) : (
          <p className="muted no-margin">This review is closed: no further decisions can be made.</p>
        )}
        {notice && (
          <p className="review-notice" role="status" data-testid="review-notice">
            <Status tone="ok">{notice}</Status>
          </p>
        )}
        {moveError && <ErrorBanner error={moveError} context="Could not move the review" onDismiss={() => setMoveError(undefined)} />}
        {review.error && <ErrorBanner error={review.error} context="Could not refresh the review" onRetry={review.reload} />}
      </header>

      <div className="review-grid">
        <div className="review-main">
          <Checklist rules={r.checklist.rules} />
          <DiffPanel diff={r.diff} />
          <DecisionsPanel decisions={r.decisions} />
          <CommentsPanel review={r} onAdded={review.reload} />
        </div>
        <aside className="review-side">
          <FairnessSummary review={r} />
          <SpendSummaryPanel review={r} />
          <EvidencePanel review={r} />
        </aside>
      </div>

      {exportingPack && <ExportPackPanel model={r.model} version={r.version} onClose={() => setExportingPack(false)} />}
      {dialog && (
        <DecisionDialog
          review={r}
          kind={dialog}
          onClose={() => setDialog(null)}
          onDecided={(state) => {
            setDialog(null);
            setNotice(`Decision signed and recorded. The review is now ${STATE_LABEL[state as keyof typeof STATE_LABEL] ?? state}.`);
            review.reload();
          }}
        />
      )}
    </div>
  );
}

function Verdict({ review }: { review: ReviewDetail }) {
  const v = reviewVerdict(review);
  return (
    <section className={`review-verdict review-verdict-${v.tone}`} aria-label="Can this be approved?" data-testid="review-verdict" data-tone={v.tone}>
      <span className="review-verdict-icon" aria-hidden="true">
        {v.tone === 'ok' ? '✓' : v.tone === 'bad' ? '✕' : v.tone === 'warn' ? '!' : 'i'}
      </span>
      <div>
        <p className="review-verdict-headline">{v.headline}</p>
        {v.blockers.length > 0 && (
          <ul className="review-verdict-blockers">
            {v.blockers.map((b) => (
              <li key={b.id}>
                <a href={`#rule-${b.id}`} onClick={(e) => { e.preventDefault(); document.getElementById(`rule-${b.id}`)?.scrollIntoView({ block: 'center' }); }}>
                  {b.title}
                </a>{' '}
                <span className="muted">
                  ({RULE_LABEL[b.status].toLowerCase()}): {b.reason}
                </span>
              </li>
            ))}
          </ul>
        )}
        {v.detail && <p className="review-verdict-detail">{v.detail}</p>}
      </div>
    </section>
  );
}

function Checklist({ rules }: { rules: RuleResult[] }) {
  return (
    <section className="panel" aria-labelledby="checklist-h" data-testid="review-checklist">
      <h2 id="checklist-h" className="panel-title">
        Checklist
        <span className="panel-title-note muted">
          {rules.filter((r) => r.status === 'pass' || r.status === 'waived').length} of {rules.length} rules pass or are waived
        </span>
      </h2>
      {rules.length === 0 && <p className="muted">The active policy has no rules for this tier.</p>}
      <ol className="rule-list">
        {rules.map((rule) => (
          <li key={rule.id} id={`rule-${rule.id}`} className={`rule rule-${rule.status}`} data-testid="rule" data-rule-id={rule.id} data-status={rule.status}>
            <div className="rule-head">
              <Status tone={RULE_TONE[rule.status]}>{RULE_LABEL[rule.status]}</Status>
              <span className="rule-title">{rule.title}</span>
              <code className="rule-id muted">{rule.id}</code>
            </div>
            <p className="rule-reason">{rule.reason}</p>
            <div className="rule-controls" aria-label="Controls this rule serves">
              <span className="muted rule-controls-label">Controls</span>
              {rule.controls.map((c) => (
                <span key={c} className="chip chip-kv">
                  {c}
                </span>
              ))}
            </div>
            {rule.evidence.length > 0 && (
              <ul className="rule-evidence" aria-label={`Evidence for ${rule.title}`}>
                {rule.evidence.map((e, i) => (
                  <li key={i}>
                    <a href={e.ref}>{e.label}</a> <span className="muted">{e.detail}</span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function DiffPanel({ diff }: { diff: ReviewDetail['diff'] }) {
  const groups = useMemo(() => {
    const map = new Map<string, NonNullable<ReviewDetail['diff']>['changes']>();
    for (const c of diff?.changes ?? []) map.set(c.section, [...(map.get(c.section) ?? []), c]);
    return [...map.entries()];
  }, [diff]);
  return (
    <section className="panel" aria-labelledby="diff-h" data-testid="review-diff">
      <h2 id="diff-h" className="panel-title">
        What changed
        {diff && <span className="panel-title-note muted">{diff.baseline}</span>}
      </h2>
      {!diff && <p className="muted no-margin">Nothing to compare with yet: no decision has been made in this review, and no earlier version of this model was approved.</p>}
      {diff && diff.changes.length === 0 && (
        <p className="no-margin">
          <Status tone="neutral">No change</Status> The evidence is the same as {diff.baseline.replace(/^since /, 'when ')}.
        </p>
      )}
      {groups.map(([section, changes]) => (
        <div key={section} className="diff-section" data-testid="diff-section" data-section={section}>
          <h3 className="block-title">
            {sectionTitle(section)} <span className="muted">({changes.length} change{changes.length === 1 ? '' : 's'})</span>
          </h3>
          <table className="data-table compact diff-table">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Change</th>
                <th scope="col">Before</th>
                <th scope="col" aria-label="becomes" />
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c, i) => {
                const whole = c.kind === 'added' ? c.after : c.kind === 'removed' ? c.before : undefined;
                const structured = c.kind !== 'changed' && isStructured(whole);
                return (
                  <Fragment key={i}>
                    <tr className={structured ? 'diff-row-with-detail' : undefined}>
                      <td className="mono break-word diff-path">{pathInSection(section, c.path)}</td>
                      <td>
                        <Status tone={c.kind === 'added' ? 'ok' : c.kind === 'removed' ? 'bad' : 'info'}>{c.kind}</Status>
                      </td>
                      <td className="mono break-word old-value">{c.kind === 'added' ? <span className="muted">—</span> : structured ? <span className="muted">the entry below</span> : <DiffValue value={c.before} />}</td>
                      <td aria-hidden="true" className="muted">
                        →
                      </td>
                      <td className="mono break-word new-value">{c.kind === 'removed' ? <span className="muted">—</span> : structured ? <span className="muted">the entry below</span> : <DiffValue value={c.after} />}</td>
                    </tr>
                    {structured && (
                      <tr className="diff-detail-row">
                        <td colSpan={5} className={`mono ${c.kind === 'added' ? 'new-value' : 'old-value'} diff-whole`} aria-label={`${c.kind === 'added' ? 'Added' : 'Removed'} ${pathInSection(section, c.path)}`}>
                          <DiffValue value={whole} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
      {diff?.truncated && <p className="inline-notice">The list was cut at 500 changes.</p>}
    </section>
  );
}

/** A value in the diff: plain values as they are; whole objects as "path: value" lines. */
function DiffValue({ value }: { value: unknown }) {
  if (!isStructured(value)) return <span title={typeof value === 'string' ? value : undefined}>{showValue(value)}</span>;
  const { lines, more } = flattenForDiff(value);
  return (
    <ul className="diff-flat">
      {lines.map((l) => (
        <li key={l.path}>
          <span className="diff-flat-key">{l.path}</span>: <span title={l.full}>{l.text}</span>
        </li>
      ))}
      {more > 0 && <li className="muted">… and {more} more field{more === 1 ? '' : 's'}</li>}
    </ul>
  );
}

function DecisionsPanel({ decisions }: { decisions: DecisionView[] }) {
  return (
    <section className="panel" aria-labelledby="decisions-h" data-testid="review-decisions">
      <h2 id="decisions-h" className="panel-title">
        Signed decisions
      </h2>
      {decisions.length === 0 && <p className="muted no-margin">No decision yet. Decisions are signed with a reviewer key and verified every time this page loads.</p>}
      <ol className="decision-list">
        {decisions.map((d) => (
          <li key={d.id} className="decision-item" data-testid="decision" data-kind={d.kind}>
            <div className="decision-head">
              <strong>{DECISION_LABEL[d.kind]}</strong>
              {d.waiver && (
                <span>
                  <code>{d.waiver.ruleId}</code> until {formatTimestamp(d.waiver.expiresAt)}
                </span>
              )}
              <span>
                by {d.signer} <span className="muted">({d.role})</span>
              </span>
              <span className="muted">
                key <span className="mono" title={d.keyId}>{shortKeyId(d.keyId)}</span>
              </span>
              <span className="muted">{formatTimestamp(d.signedAt)}</span>
              {d.verified ? (
                <Status tone="ok" title={d.verification} testId="decision-verified">
                  Verified
                </Status>
              ) : (
                <Status tone="bad" title={d.verification} testId="decision-verified">
                  NOT verified: {d.verification}
                </Status>
              )}
              {!d.current && (
                <Status tone="warn" title="The evidence has changed since this decision was signed">
                  earlier evidence
                </Status>
              )}
              {d.origin === 'imported' && <span className="chip">imported</span>}
            </div>
            <p className="decision-rationale pre-line">{d.rationale}</p>
            <p className="muted decision-meta">
              Evidence <span className="mono" title={d.evidenceHash}>{shortHash(d.evidenceHash, 16)}</span> · digest <span className="mono" title={d.digest}>{shortHash(d.digest, 16)}</span>
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function CommentsPanel({ review, onAdded }: { review: ReviewDetail; onAdded: () => void }) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (body.trim() === '') return;
    setBusy(true);
    const result = await invoke('reviews/comment', { id: review.id, body });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(undefined);
    setBody('');
    onAdded();
  };
  return (
    <section className="panel" aria-labelledby="comments-h" data-testid="review-comments">
      <h2 id="comments-h" className="panel-title">
        Comments <span className="panel-title-note muted">{review.comments.length}</span>
      </h2>
      {review.comments.length === 0 && <p className="muted">No comments yet. Comments are not signed; use them to ask questions or explain changes.</p>}
      <ol className="comment-list">
        {review.comments.map((c) => (
          <li key={c.id} className="comment" data-testid="comment">
            <p className="comment-meta">
              <strong>{c.author}</strong> <span className="muted">{formatTimestamp(c.at)}</span>
            </p>
            <p className="pre-line no-margin">{c.body}</p>
          </li>
        ))}
      </ol>
      {error && <ErrorBanner error={error} context="Could not add the comment" onDismiss={() => setError(undefined)} />}
      <form onSubmit={(e) => void submit(e)} className="comment-form">
        <label className="field">
          <span className="field-label">Add a comment</span>
          <textarea className="input textarea" rows={2} value={body} onChange={(e) => setBody(e.target.value)} data-testid="comment-body" />
        </label>
        <button type="submit" className="btn btn-secondary" disabled={busy || body.trim() === ''} data-testid="comment-submit">
          {busy ? 'Adding…' : 'Add comment'}
        </button>
      </form>
    </section>
  );
}

function FairnessSummary({ review }: { review: ReviewDetail }) {
  const rules = review.checklist.rules.filter((r) => r.kind === 'fairness' || r.kind === 'evidence-freshness');
  return (
    <section className="panel review-side-panel" aria-labelledby="fairness-sum-h" data-testid="review-fairness">
      <h2 id="fairness-sum-h" className="panel-title">
        Fairness
      </h2>
      {rules.length === 0 && <p className="muted no-margin">The active policy asks for no fairness evidence in tier {review.checklist.tier.id}.</p>}
      {rules.map((rule) => (
        <div key={rule.id} className="side-rule">
          <p className="no-margin">
            <Status tone={RULE_TONE[rule.status]}>{RULE_LABEL[rule.status]}</Status> {rule.title}
          </p>
          {rule.evidence
            .filter((e) => e.kind === 'fairness' && !e.detail.startsWith('not counted'))
            .slice(0, 3)
            .map((e, i) => (
              <p key={i} className="side-evidence">
                <a href={e.ref}>{e.label}</a>
                <br />
                <span className="muted">{e.detail}</span>
              </p>
            ))}
        </div>
      ))}
      <p className="no-margin">
        <a href={modelHref(review.model, review.version, 'fairness')}>Open the fairness tab</a>
      </p>
    </section>
  );
}

function SpendSummaryPanel({ review }: { review: ReviewDetail }) {
  const spend = useQuery('spend/summary', { by: 'model' }, `${review.id}`);
  const rows = (spend.data?.rows ?? []).filter((row) => row.key === review.model);
  const costRules = review.checklist.rules.filter((r) => r.kind === 'cost');
  return (
    <section className="panel review-side-panel" aria-labelledby="spend-sum-h" data-testid="review-spend">
      <h2 id="spend-sum-h" className="panel-title">
        Spend
      </h2>
      {costRules.map((rule) => (
        <p key={rule.id} className="side-rule no-margin">
          <Status tone={RULE_TONE[rule.status]}>{RULE_LABEL[rule.status]}</Status> {rule.title}
          <br />
          <span className="muted">{rule.reason}</span>
        </p>
      ))}
      {spend.error && <p className="muted no-margin">Spend could not be read: {spend.error.message}</p>}
      {spend.data && rows.length === 0 && <p className="muted no-margin">No spend is attributed to {review.model}. Import FOCUS cost data in Spend to see it here.</p>}
      {rows.length > 0 && (
        <dl className="kv">
          {rows.map((row) => (
            <Fragment key={row.currency}>
              <dt>Effective cost ({row.currency})</dt>
              <dd className="num-inline">{formatMoney(row.effectiveCost, row.currency)}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      {spend.data && rows.length > 0 && (
        <p className="muted side-evidence" data-testid="review-spend-range">
          {(spend.data.from ?? spend.data.coverage.firstDay) && (spend.data.to ?? spend.data.coverage.lastDay)
            ? `${spend.data.from ?? spend.data.coverage.firstDay} to ${spend.data.to ?? spend.data.coverage.lastDay} (UTC days), `
            : 'All imported days, '}
          all versions of {review.model}: spend is recorded per model, not per version.
        </p>
      )}
      <p className="no-margin">
        <a href="#/spend">Open Spend</a>
      </p>
    </section>
  );
}

function EvidencePanel({ review }: { review: ReviewDetail }) {
  return (
    <section className="panel review-side-panel" aria-labelledby="evidence-h" data-testid="review-evidence">
      <h2 id="evidence-h" className="panel-title">
        Evidence snapshot
      </h2>
      <dl className="kv">
        <dt>sha256</dt>
        <dd className="mono break-word" title={review.evidenceHash}>
          {shortHash(review.evidenceHash, 24)}
        </dd>
        <dt>Judged at</dt>
        <dd>{formatTimestamp(review.checklist.asOf)}</dd>
        {review.writeBack && (
          <>
            <dt>Write-back</dt>
            <dd data-testid="review-writeback">
              {review.writeBack.ok ? <Status tone="ok">written to MLflow</Status> : <Status tone="bad">failed: {review.writeBack.error}</Status>}
              <br />
              <span className="muted break-word">
                {review.writeBack.url} · {formatTimestamp(review.writeBack.at)}
              </span>
            </dd>
          </>
        )}
      </dl>
      <p className="muted side-evidence">A decision signs this hash: if the evidence changes, earlier decisions are marked “earlier evidence”.</p>
    </section>
  );
}
