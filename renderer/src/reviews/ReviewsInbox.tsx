import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ReviewSummary } from '../../../shared/reviews/reviewViews';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, Loading, PageHeader, Status } from '../components/ui';
import { panelId, tabId, Tabs, type TabDef } from '../components/Tabs';
import { modelHref, navigate, reviewHref } from '../router';
import { approvalsText, dueText, isOpenState, STATE_LABEL, STATE_TONE } from './format';

export type InboxFilter = 'mine' | 'due-soon' | 'overdue' | 'open' | 'closed';

const FILTERS: readonly TabDef<InboxFilter>[] = [
  { key: 'mine', label: 'Mine' },
  { key: 'due-soon', label: 'Due soon' },
  { key: 'overdue', label: 'Overdue' },
  { key: 'open', label: 'Open' },
  { key: 'closed', label: 'Closed' },
];

const EMPTY: Record<InboxFilter, { title: string; body: string }> = {
  mine: { title: 'Nothing assigned to you', body: 'No open review names you as an assignee. See every open review under Open, or open a review and assign yourself.' },
  'due-soon': { title: 'Nothing due in the next three days', body: 'No open review falls due within three days. Overdue reviews are under Overdue.' },
  overdue: { title: 'No overdue reviews', body: 'Every open review is within its due date.' },
  open: { title: 'No open reviews', body: 'A release review checks a model version against the active policy pack and records signed decisions. Open one for a model version with "Open review" above; reviews also open themselves when a registry sync finds a new version.' },
  closed: { title: 'No closed reviews yet', body: 'Reviews land here once they are approved, rejected or withdrawn.' },
};

/** The Reviews inbox: what waits for a decision, the most urgent first. */
export function ReviewsInbox({ now = new Date() }: { now?: Date }) {
  const [filter, setFilter] = useState<InboxFilter>('open');
  const [showForm, setShowForm] = useState(false);
  const reviews = useQuery('reviews/list', { filter }, filter);
  const me = useQuery('app/info', {});

  return (
    <div className="page" data-testid="reviews-view">
      <PageHeader
        title="Reviews"
        subtitle={`Which releases wait for a decision, and which are late?${me.data?.actor ? ` "Mine" means assigned to ${me.data.actor}.` : ''}`}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setShowForm((v) => !v)} aria-expanded={showForm} aria-controls="open-review-form" data-testid="open-review-toggle">
            {showForm ? 'Cancel' : 'Open review'}
          </button>
        }
      />
      {showForm && <OpenReviewForm onCancel={() => setShowForm(false)} />}
      <Tabs label="Filter reviews" tabs={FILTERS} active={filter} onChange={setFilter} idPrefix="reviews" />
      <div role="tabpanel" id={panelId('reviews', filter)} aria-labelledby={tabId('reviews', filter)} className="tab-panel" tabIndex={0}>
        {reviews.error && <ErrorBanner error={reviews.error} context="Could not load reviews" onRetry={reviews.reload} />}
        {!reviews.data && reviews.loading && <Loading label="Loading reviews…" />}
        {reviews.data && reviews.data.length === 0 && (
          <EmptyState
            title={EMPTY[filter].title}
            testId="reviews-empty"
            actions={
              filter === 'open' && !showForm ? (
                <button type="button" className="btn btn-secondary" onClick={() => setShowForm(true)}>
                  Open a review
                </button>
              ) : undefined
            }
          >
            <p>{EMPTY[filter].body}</p>
          </EmptyState>
        )}
        {reviews.data && reviews.data.length > 0 && <InboxTable rows={reviews.data} now={now} />}
      </div>
    </div>
  );
}

export function InboxTable({ rows, now }: { rows: ReviewSummary[]; now: Date }) {
  return (
    <div className="table-wrap">
      <table className="data-table sticky review-table" data-testid="reviews-table" aria-label="Reviews">
        <thead>
          <tr>
            <th scope="col">Review</th>
            <th scope="col">Model version</th>
            <th scope="col">State</th>
            <th scope="col">Checklist</th>
            <th scope="col" className="num">
              Approvals
            </th>
            <th scope="col">Due</th>
            <th scope="col">Assignees</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const due = dueText(r.dueAt, isOpenState(r.state), now);
            return (
              <tr key={r.id} data-testid="review-row" data-review-id={r.id}>
                <td className="nowrap">
                  <a href={reviewHref(r.id)} className="review-link">
                    Review #{r.id}
                  </a>
                </td>
                <td>
                  <a href={modelHref(r.model, r.version)} className="model-link">
                    {r.model}
                    <span className="muted mono">@{r.version}</span>
                  </a>
                </td>
                <td>
                  <Status tone={STATE_TONE[r.state]} testId="review-state">
                    {STATE_LABEL[r.state]}
                  </Status>
                </td>
                <td className="nowrap">
                  {r.checklistResult === null ? (
                    <Status tone="neutral">not checked</Status>
                  ) : r.checklistResult === 'pass' ? (
                    <Status tone="ok" testId="review-checklist">
                      pass
                    </Status>
                  ) : r.evidenceResult === 'pass' ? (
                    <Status tone="warn" testId="review-checklist" title="Every evidence rule passes; approvals are still missing">
                      awaiting approval
                    </Status>
                  ) : (
                    <Status tone="bad" testId="review-checklist" title="At least one evidence rule does not pass yet">
                      fail
                    </Status>
                  )}
                </td>
                <td className="num nowrap" data-testid="review-approvals">
                  {approvalsText(r.approvals, r.approvalsNeeded)}
                </td>
                <td className="nowrap" data-testid="review-due">
                  <span className="mono">{due.date}</span>
                  {due.note && (
                    <>
                      <br />
                      {due.tone === 'bad' || due.tone === 'warn' ? <Status tone={due.tone}>{due.note}</Status> : <span className="muted review-due-note">{due.note}</span>}
                    </>
                  )}
                </td>
                <td>{r.assignees.length === 0 ? <span className="muted">unassigned</span> : r.assignees.join(', ')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Opens a review for one model version: model, version (from the model's versions), due date, assignees. */
export function OpenReviewForm({ onCancel }: { onCancel: () => void }) {
  const models = useQuery('models/names', {});
  const [model, setModel] = useState('');
  const [version, setVersion] = useState('');
  const [versions, setVersions] = useState<string[]>([]);
  const [due, setDue] = useState(() => isoDay(new Date(Date.now() + 7 * 86_400_000)));
  const [assignees, setAssignees] = useState('');
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const names = useMemo(() => [...(models.data ?? [])].sort((a, b) => a.localeCompare(b)), [models.data]);

  useEffect(() => {
    let live = true;
    setVersions([]);
    setVersion('');
    if (!model) return;
    void invoke('models/show', { name: model }).then((result) => {
      if (!live) return;
      if (!result.ok) {
        setError(result.error);
        return;
      }
      const list = result.value.versions.map((v) => v.version);
      setVersions(list);
      setVersion(result.value.version);
    });
    return () => {
      live = false;
    };
  }, [model]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!model || !version) return;
    setBusy(true);
    setError(undefined);
    const people = assignees
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '');
    const result = await invoke('reviews/open', { model, version, ...(due ? { dueAt: due } : {}), ...(people.length > 0 ? { assignees: people } : {}) });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    navigate(reviewHref(result.value.id));
  };

  return (
    <form id="open-review-form" className="panel review-open-form" onSubmit={(e) => void submit(e)} aria-labelledby="open-review-h" data-testid="open-review-form">
      <h2 id="open-review-h" className="panel-title">
        Open a release review
      </h2>
      {models.error && <ErrorBanner error={models.error} context="Could not load models" onRetry={models.reload} />}
      {error && <ErrorBanner error={error} context="Could not open the review" onDismiss={() => setError(undefined)} />}
      {models.data && names.length === 0 ? (
        <p className="muted">
          There is no model to review yet: import model cards in <a href="#/models">Models</a> first.
        </p>
      ) : (
        <div className="review-form-grid">
          <label className="field">
            <span className="field-label">Model</span>
            <select className="input" value={model} onChange={(e) => setModel(e.target.value)} required data-testid="open-review-model">
              <option value="">Choose a model…</option>
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Version</span>
            <select className="input" value={version} onChange={(e) => setVersion(e.target.value)} required disabled={versions.length === 0} data-testid="open-review-version">
              {versions.length === 0 && <option value="">{model ? 'Loading versions…' : 'Choose a model first'}</option>}
              {versions.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Due date (UTC, end of day)</span>
            <input className="input" type="date" value={due} onChange={(e) => setDue(e.target.value)} data-testid="open-review-due" />
          </label>
          <div className="field review-form-wide">
            <label className="field-label" htmlFor="open-review-assignees">
              Assignees
            </label>
            <input id="open-review-assignees" className="input" type="text" value={assignees} onChange={(e) => setAssignees(e.target.value)} placeholder="e.g. maria.lopez, risk-team" aria-describedby="assignees-note" data-testid="open-review-assignees" />
            <span id="assignees-note" className="field-note">
              Comma-separated names. Their reviews show under Mine.
            </span>
          </div>
        </div>
      )}
      <div className="review-form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || !model || !version} data-testid="open-review-submit">
          {busy ? 'Opening…' : 'Open review'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
