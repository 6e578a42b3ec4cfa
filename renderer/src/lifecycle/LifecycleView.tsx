import { useState } from 'react';
import { formatMoney } from '../../../shared/format/money';
import type { SunsetCandidate, SunsetView } from '../../../shared/lifecycle/lifecycleViews';
import type { SunsetReasonCode } from '../../../shared/lifecycle/reasons';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { useQuery } from '../ipc';
import { EmptyState, ErrorBanner, Loading, PageHeader, Status } from '../components/ui';
import { modelHref } from '../router';
import { RetiredSpendAlarms } from './RetiredSpendAlarms';
import { NO_FILTER, type CandidateFilter } from '../../../shared/lifecycle/candidateList';
import {
  formatPer1k,
  horizonText,
  LIFECYCLE_LABEL,
  LIFECYCLE_TONE,
  newSunsetHref,
  perMonthText,
  reasonLabel,
  SUNSET_STATE_LABEL,
  SUNSET_STATE_TONE,
  sunsetHref,
} from './format';

/** Candidate rows drawn at first, and added per "Show more". */
const ROWS_PER_STEP = 100;

/** Lifecycle: what should go, and what does it save? Candidates ranked by saving, then the sunsets decided or open. */
export function LifecycleView() {
  const [filter, setFilter] = useState<CandidateFilter>(NO_FILTER);
  // A large registry has tens of thousands of candidates: the engine ranks and filters them and sends
  // the best savings first, more on request.
  const [rowsShown, setRowsShown] = useState(ROWS_PER_STEP);
  const q = useQuery('lifecycle/candidates', { filter, limit: rowsShown }, `${JSON.stringify(filter)}|${rowsShown}`);
  const sunsets = useQuery('sunsets/list', {});
  const changeFilter = (next: CandidateFilter) => {
    setFilter(next);
    setRowsShown(ROWS_PER_STEP);
  };

  const shown = q.data?.candidates ?? [];
  const total = q.data?.total ?? 0;
  const matching = q.data?.matching ?? 0;
  const options = q.data?.options ?? { reasons: [], teams: [], providers: [] };
  const filtered = filter.reason !== '' || filter.team !== '' || filter.provider !== '';

  return (
    <div className="page lifecycle-view" data-testid="lifecycle-view">
      <PageHeader title="Lifecycle" subtitle="What should go, and what does it save?" />
      {q.error && <ErrorBanner error={q.error} context="Could not judge the sunset candidates" onRetry={q.reload} />}
      {!q.data && q.loading && <Loading label="Judging sunset candidates…" />}
      <RetiredSpendAlarms alarms={q.data?.retiredSpend} />

      {q.data && (
        <p className="lifecycle-headline" data-testid="lifecycle-headline">
          <span className="lifecycle-stake">
            Savings at stake: <strong data-testid="lifecycle-stake">{perMonthText(q.data.savingsAtStake)}</strong>
          </span>
          <span className="muted">
            {total.toLocaleString('en-US')} candidate{total === 1 ? '' : 's'} · <span data-testid="lifecycle-horizon">{horizonText(q.data.dataThrough)}</span> · as of {q.data.asOf} (UTC)
          </span>
        </p>
      )}

      {q.data && total === 0 && (
        <EmptyState title="No sunset candidates" testId="lifecycle-empty">
          <p>Nothing is idle, superseded, stale, failing or costly for its traffic. Candidates appear as cards, lineage, usage and spend are imported.</p>
        </EmptyState>
      )}

      {total > 0 && (
        <section className="panel table-wrap lifecycle-panel" aria-labelledby="candidates-h" data-testid="lifecycle-candidates">
          <div className="lifecycle-panel-head">
            <h2 id="candidates-h" className="panel-title">
              Sunset candidates
              <span className="panel-title-note muted">ranked by monthly saving</span>
            </h2>
            <div className="toolbar lifecycle-filters" role="group" aria-label="Filter candidates">
              <FilterSelect label="Reason" any="Any reason" value={filter.reason} options={options.reasons} onChange={(reason) => changeFilter({ ...filter, reason: reason as SunsetReasonCode | '' })} testId="lifecycle-filter-reason" />
              <FilterSelect label="Team" any="Any team" value={filter.team} options={options.teams} onChange={(team) => changeFilter({ ...filter, team })} testId="lifecycle-filter-team" />
              <FilterSelect label="Provider" any="Any provider" value={filter.provider} options={options.providers} onChange={(provider) => changeFilter({ ...filter, provider })} testId="lifecycle-filter-provider" />
              {filtered && (
                <button type="button" className="btn btn-ghost btn-small" onClick={() => changeFilter(NO_FILTER)} data-testid="lifecycle-filter-clear">
                  Clear filters
                </button>
              )}
              <p className="result-count" role="status" data-testid="lifecycle-count">
                {filtered ? `${matching.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} candidates` : `${total.toLocaleString('en-US')} candidates`} · {perMonthText(q.data?.matchingSavings ?? [])}
              </p>
            </div>
          </div>
          {matching === 0 ? (
            <p className="muted lifecycle-none">No candidate matches these filters.</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table lifecycle-table" data-testid="candidates-table">
                <caption className="visually-hidden">Sunset candidates with why they are candidates, their spend and the monthly saving</caption>
                <thead>
                  <tr>
                    <th scope="col">Model version</th>
                    <th scope="col">Why it is a candidate</th>
                    <th scope="col" className="num">
                      Spend / month
                    </th>
                    <th scope="col" className="num">
                      Per 1k predictions
                    </th>
                    <th scope="col" className="num">
                      Saving / month
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">Action</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((c) => (
                    <CandidateRow key={`${c.model}@${c.version}`} c={c} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {matching > shown.length && (
            <p className="lifecycle-more" data-testid="lifecycle-more">
              <span className="muted">
                Showing the first {shown.length.toLocaleString('en-US')} of {matching.toLocaleString('en-US')} candidates, by saving.
              </span>{' '}
              <button type="button" className="btn btn-secondary btn-small" onClick={() => setRowsShown(shown.length + ROWS_PER_STEP)} disabled={q.loading} data-testid="lifecycle-show-more">
                Show {Math.min(ROWS_PER_STEP, matching - shown.length).toLocaleString('en-US')} more
              </button>
            </p>
          )}
          <p className="table-note muted">
            Saving: the attributed spend per month that would stop, before shared costs and commitments (a sunset plan subtracts those). Spend per month scales the last 30 days of spend data to an average month.
          </p>
        </section>
      )}

      <SunsetsPanel list={sunsets.data} error={sunsets.error} loading={sunsets.loading} onRetry={sunsets.reload} />
    </div>
  );
}

function CandidateRow({ c }: { c: SunsetCandidate }) {
  return (
    <tr data-testid="candidate-row" data-model={c.model} data-version={c.version}>
      <th scope="row" className="lifecycle-name-cell">
        <a href={modelHref(c.model, c.version)}>
          {c.model}
          <span className="mono muted">@{c.version}</span>
        </a>
        <span className="cell-sub">
          team {c.team ?? <em>none</em>} · {c.providers.length > 0 ? c.providers.join(', ') : 'no provider spend'}
        </span>
      </th>
      <td className="lifecycle-reasons-cell">
        <ul className="lifecycle-reasons">
          {c.reasons.map((r) => (
            <li key={r.code} data-testid="candidate-reason" data-code={r.code}>
              <span className={`chip lifecycle-reason-chip reason-${r.code}`}>{reasonLabel(r.code)}</span>
              <span className="lifecycle-reason-detail">{r.detail}</span>
            </li>
          ))}
        </ul>
      </td>
      <td className="num nowrap">{formatMoney(c.monthlySpend, c.currency)}</td>
      <td className="num nowrap">{formatPer1k(c.costPer1k, c.currency)}</td>
      <td className="num nowrap lifecycle-saving" data-testid="candidate-saving">
        <strong>{formatMoney(c.monthlySaving, c.currency)}</strong>
      </td>
      <td>
        <a className="btn btn-secondary btn-small nowrap" href={newSunsetHref(c.model, c.version)} data-testid="plan-sunset" aria-label={`Plan sunset of ${c.model}@${c.version}`}>
          Plan sunset…
        </a>
      </td>
    </tr>
  );
}

function lastSigner(s: SunsetView): string | null {
  const d = s.decisions[s.decisions.length - 1];
  return d ? `${d.signer} (${d.role})` : null;
}

function SunsetsPanel({ list, error, loading, onRetry }: { list: SunsetView[] | undefined; error: IpcErrorBody | undefined; loading: boolean; onRetry: () => void }) {
  return (
    <section className="panel table-wrap lifecycle-panel" aria-labelledby="sunsets-h" data-testid="lifecycle-sunsets">
      <h2 id="sunsets-h" className="panel-title lifecycle-sunsets-title">
        Sunsets
        <span className="panel-title-note muted">proposed and decided, newest first</span>
      </h2>
      {error && <ErrorBanner error={error} context="Could not load sunsets" onRetry={onRetry} />}
      {!list && loading && <Loading label="Loading sunsets…" />}
      {list && list.length === 0 && <p className="muted lifecycle-none">No sunset proposed yet. Plan one from a candidate above.</p>}
      {list && list.length > 0 && (
        <div className="table-scroll">
          <table className="data-table compact" data-testid="sunsets-table">
            <thead>
              <tr>
                <th scope="col">Sunset</th>
                <th scope="col">Decision</th>
                <th scope="col">Version is</th>
                <th scope="col">Retirement</th>
                <th scope="col" className="num">
                  Net saving / month
                </th>
                <th scope="col">Signed by</th>
              </tr>
            </thead>
            <tbody>
              {[...list]
                .sort((a, b) => b.id - a.id)
                .map((s) => (
                  <tr key={s.id} data-testid="sunset-row" data-model={s.model} data-version={s.version} data-state={s.state} data-lifecycle={s.lifecycle.state}>
                    <th scope="row">
                      <a href={sunsetHref(s.id)} data-testid="sunset-link">
                        #{s.id} {s.model}
                        <span className="mono muted">@{s.version}</span>
                      </a>
                      <span className="cell-sub">
                        {s.plan.replacement ? `replaced by ${s.plan.replacement.model}@${s.plan.replacement.version}` : 'no replacement'} · owner {s.plan.owner}
                      </span>
                    </th>
                    <td>
                      <Status tone={SUNSET_STATE_TONE[s.state]} testId="sunset-row-state">
                        {SUNSET_STATE_LABEL[s.state]}
                      </Status>
                    </td>
                    <td>
                      <Status tone={LIFECYCLE_TONE[s.lifecycle.state]} testId="sunset-row-lifecycle">
                        {LIFECYCLE_LABEL[s.lifecycle.state]}
                      </Status>
                      {s.lifecycle.since && <span className="cell-sub">since {s.lifecycle.since.slice(0, 10)}</span>}
                    </td>
                    <td className="mono nowrap">{s.plan.retirementDate}</td>
                    <td className="num nowrap">{formatMoney(s.saving.net, s.saving.currency)}</td>
                    <td>{lastSigner(s) ?? <span className="muted">not decided</span>}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** One filter of the candidates list: a labelled select whose options carry their counts. */
function FilterSelect(props: { label: string; any: string; value: string; options: readonly { value: string; label: string; count: number }[]; onChange: (value: string) => void; testId: string }) {
  return (
    <label className="field-inline">
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        <option value="">{props.any}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label} ({o.count})
          </option>
        ))}
      </select>
    </label>
  );
}
