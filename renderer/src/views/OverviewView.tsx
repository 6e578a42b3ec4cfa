import { useMemo } from 'react';
import { useQuery } from '../ipc';
import { EmptyState, ErrorBanner, Loading, PageHeader, Status } from '../components/ui';
import { modelHref } from '../router';
import { completenessCounts, sectionTitle } from '../../../shared/models/filterSort';
import { AuditVerdict } from './auditStatus';
import { ANOMALIES_HREF, BUDGETS_HREF, budgetHref } from '../budgets/format';
import { formatMoney } from '../../../shared/format/money';
import { LIFECYCLE_HREF } from '../lifecycle/format';

export function OverviewView() {
  // Figures, not lists: the engine counts (models/stats, lifecycle/summary), so a registry of 20,000
  // models does not travel to the window to be counted here.
  // Asked first: the engine hands the sunset judgement to its judge worker and answers the rest on its
  // own thread meanwhile; asked last, the judgement would start only once the rest was done.
  const lifecycle = useQuery('lifecycle/summary', {});
  const models = useQuery('models/stats', {});
  const audit = useQuery('audit/verify', {});
  const reviews = useQuery('reviews/list', { filter: 'open' });
  const mine = useQuery('reviews/list', { filter: 'mine' });
  const budgets = useQuery('budgets/list', {});
  const alarms = (budgets.data?.budgets ?? []).filter((b) => b.state === 'ALARM');
  // budgets/list scans for anomalies before it counts the open ones: one query, one definition of "open".
  const openAnomalies = budgets.data?.openAnomalies;
  const sunsets = useQuery('sunsets/list', {});
  // The saving already decided: approved sunsets' net per month, per currency (never added across currencies).
  const decided = useMemo(() => {
    const approved = (sunsets.data ?? []).filter((s) => s.state === 'approved');
    const by = new Map<string, number>();
    for (const s of approved) by.set(s.saving.currency, (by.get(s.saving.currency) ?? 0) + s.saving.net);
    return { count: approved.length, savings: [...by].map(([currency, monthly]) => ({ currency, monthly })) };
  }, [sunsets.data]);
  const lifecycleCounts = lifecycle.data ?? { deprecated: 0, retired: 0, stillSpending: 0 };
  const stats = models.data ?? { models: 0, versions: 0, incomplete: 0, incompleteFirst: [], failingFairness: 0, failingFairnessFirst: [] };
  const shown = stats.incompleteFirst;

  return (
    <div className="page" data-testid="overview-view">
      <PageHeader title="Overview" subtitle="What needs your attention today." />
      {models.error && <ErrorBanner error={models.error} context="Could not load models" onRetry={models.reload} />}
      {audit.error && <ErrorBanner error={audit.error} context="Could not verify the audit chain" onRetry={audit.reload} />}

      <div className="stat-grid">
        <div className="stat" data-testid="stat-models">
          <span className="stat-label">Models</span>
          <span className="stat-value num">{models.data ? stats.models.toLocaleString('en-US') : '…'}</span>
        </div>
        <div className="stat" data-testid="stat-versions">
          <span className="stat-label">Versions</span>
          <span className="stat-value num">{models.data ? stats.versions.toLocaleString('en-US') : '…'}</span>
        </div>
        <div className="stat" data-testid="stat-incomplete">
          <span className="stat-label">Cards missing sections</span>
          <span className="stat-value num">{models.data ? stats.incomplete.toLocaleString('en-US') : '…'}</span>
          <span className="stat-note">latest version missing or leaving empty a governance section</span>
        </div>
        <div className="stat" data-testid="stat-fairness">
          <span className="stat-label">Failing fairness policy</span>
          <span className="stat-value num">{models.data ? stats.failingFairness.toLocaleString('en-US') : '…'}</span>
          <span className="stat-note">
            {stats.failingFairness === 0
              ? 'no latest version fails a threshold'
              : stats.failingFairnessFirst.map((m, i) => (
                  <span key={m.name}>
                    {i > 0 && ', '}
                    <a href={modelHref(m.name, m.latestVersion, 'fairness')}>{m.name}</a>
                  </span>
                ))}
          </span>
        </div>
        <div className="stat" data-testid="stat-reviews">
          <span className="stat-label">Open release reviews</span>
          <span className="stat-value num">{reviews.data ? reviews.data.length.toLocaleString('en-US') : reviews.error ? '?' : '…'}</span>
          {reviews.data && reviews.data.some((r) => r.overdue) && <Status tone="bad">{reviews.data.filter((r) => r.overdue).length.toLocaleString('en-US')} overdue</Status>}
          {reviews.data && reviews.data.some((r) => r.dueSoon) && <Status tone="warn">{reviews.data.filter((r) => r.dueSoon).length.toLocaleString('en-US')} due within 3 days</Status>}
          <span className="stat-note">
            {mine.data ? `${mine.data.length.toLocaleString('en-US')} assigned to you` : ''}
            {reviews.data && !reviews.data.some((r) => r.overdue || r.dueSoon) ? `${mine.data ? '; ' : ''}${reviews.data.length === 0 ? 'nothing waits for a decision' : 'none overdue or due within 3 days'}` : ''}
          </span>
          <a href="#/reviews" className="stat-link">
            Open the Reviews inbox
          </a>
        </div>
        <div className="stat" data-testid="stat-budgets">
          <span className="stat-label">Budgets in ALARM</span>
          <span className="stat-value num">{budgets.data ? alarms.length.toLocaleString('en-US') : budgets.error ? '?' : '…'}</span>
          {budgets.data && budgets.data.budgets.length === 0 && <span className="stat-note">no budgets yet</span>}
          {budgets.data && budgets.data.budgets.length > 0 && alarms.length === 0 && <Status tone="ok">all {budgets.data.budgets.length.toLocaleString('en-US')} OK</Status>}
          {alarms.length > 0 && (
            <ul className="stat-list" data-testid="stat-budgets-alarms">
              {alarms.slice(0, 5).map((b) => (
                <li key={b.id}>
                  <span className="status status-bad stat-list-icon" aria-hidden="true">
                    ⚠
                  </span>
                  <a href={budgetHref(b.id)}>{b.name}</a>
                </li>
              ))}
              {alarms.length > 5 && <li className="muted">and {alarms.length - 5} more</li>}
            </ul>
          )}
          {openAnomalies !== undefined && (
            <a href={ANOMALIES_HREF} className="stat-link" data-testid="stat-anomalies">
              Open spend anomalies: {openAnomalies.toLocaleString('en-US')}
            </a>
          )}
          <a href={BUDGETS_HREF} className="stat-link">
            Open Budgets
          </a>
        </div>
        <div className="stat" data-testid="stat-savings">
          <span className="stat-label">Savings at stake</span>
          <span className="stat-value num" data-testid="stat-savings-value">
            {lifecycle.data
              ? lifecycle.data.savingsAtStake.length === 0
                ? formatMoney(0, 'USD')
                : lifecycle.data.savingsAtStake.map((s, i) => (
                    <span key={s.currency} className="nowrap">
                      {i > 0 && ' + '}
                      {formatMoney(s.monthly, s.currency)}
                    </span>
                  ))
              : lifecycle.error
                ? '?'
                : '…'}
          </span>
          {lifecycle.data && (
            <span className="stat-note" data-testid="stat-savings-note">
              per month, {lifecycle.data.candidates === 0 ? 'no sunset candidates' : `from ${lifecycle.data.candidates.toLocaleString('en-US')} sunset candidate${lifecycle.data.candidates === 1 ? '' : 's'}`}
              {'; '}
              <span data-testid="stat-lifecycle-counts">
                {lifecycleCounts.deprecated.toLocaleString('en-US')} deprecated, {lifecycleCounts.retired.toLocaleString('en-US')} retired
              </span>
            </span>
          )}
          {decided.count > 0 && (
            <span className="stat-note" data-testid="stat-savings-decided">
              Decided: {decided.savings.map((d) => formatMoney(d.monthly, d.currency)).join(' + ')} / month from {decided.count} approved sunset{decided.count === 1 ? '' : 's'}
            </span>
          )}
          {lifecycleCounts.stillSpending > 0 && (
            <Status tone="bad" testId="stat-retired-spend">
              {lifecycleCounts.stillSpending.toLocaleString('en-US')} retired version{lifecycleCounts.stillSpending === 1 ? '' : 's'} still spending
            </Status>
          )}
          <a href={LIFECYCLE_HREF} className="stat-link">
            Open Lifecycle
          </a>
        </div>
        <div className="stat" data-testid="stat-audit">
          <span className="stat-label">Audit chain</span>
          <span className="stat-status">{audit.data ? <AuditVerdict v={audit.data} /> : audit.loading ? '…' : <Status tone="neutral">unknown</Status>}</span>
          <a href="#/audit" className="stat-link">
            Open audit log
          </a>
        </div>
      </div>

      <section className="panel" aria-labelledby="incomplete-h" data-testid="incomplete-cards">
        <h2 id="incomplete-h" className="panel-title">
          Cards with missing governance sections
        </h2>
        {!models.data && models.loading && <Loading label="Loading models…" />}
        {models.data && stats.models === 0 && (
          <EmptyState title="No models yet" testId="overview-empty" actions={<a className="btn btn-primary" href="#/models">Go to Models to import cards</a>}>
            <p>
              Import model cards (Hugging Face README.md, Model Card Toolkit JSON, CycloneDX ML-BOM) from the Models view, or run{' '}
              <code>docket import cards &lt;path&gt;</code>.
            </p>
          </EmptyState>
        )}
        {models.data && stats.models > 0 && stats.incomplete === 0 && <Status tone="ok">Every card has all six governance sections.</Status>}
        {shown.length > 0 && (
          <ul className="gap-list">
            {shown.map((m) => {
              const { present, total } = completenessCounts(m);
              return (
                <li key={m.name} data-testid="incomplete-card">
                  <a href={modelHref(m.name, m.latestVersion)} className="gap-name">
                    {m.name} <span className="muted mono">@{m.latestVersion}</span>
                  </a>
                  <span className="num gap-ratio">
                    {present}/{total}
                  </span>
                  <span className="gap-sections">
                    {m.completeness.missing.length > 0 && <Status tone="bad">missing: {m.completeness.missing.map(sectionTitle).join(', ')}</Status>}
                    {m.completeness.empty.length > 0 && <Status tone="warn">empty: {m.completeness.empty.map(sectionTitle).join(', ')}</Status>}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
        {stats.incomplete > shown.length && (
          <p className="muted">
            And {(stats.incomplete - shown.length).toLocaleString('en-US')} more: sort the <a href="#/models">Models</a> table by card completeness to see them all.
          </p>
        )}
      </section>
    </div>
  );
}
