import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { lazyView } from '../lazyView';
import type { SpendSummary } from '../../../shared/ipc/contract';
import { invoke, useQuery } from '../ipc';
import { ErrorBanner, Loading, PageHeader, Status } from '../components/ui';
import { modelHref } from '../router';
import { spendChartData } from './chartData';
import { formatMoney, formatPercent, formatSignedMoney } from './format';
import { addDays, daySpan, weekOverWeek } from './movers';
import { LineItems } from './LineItems';
import { AttributionRules } from './AttributionRules';
import { SpendEmpty, SpendImportPanel, type ImportState } from './SpendImportPanel';
import { UnitCosts } from './UnitCosts';
import { RetiredSpendAlarms } from '../lifecycle/RetiredSpendAlarms';
import { defaultSource, estimatedAmong, figureTitle, markEstimated, sourceLines, sourceOptionLabel, sourceOptionTitle } from './provenance';

const SpendChart = lazyView(() => import('./SpendChart').then((m) => m.SpendChart));

/** Loads the spend chart's code (chart.js), so the Spend view does not wait for it. */
export function preloadSpendChart(): Promise<void> {
  return SpendChart.preload();
}

export type SpendGroupBy = SpendSummary['by'];
export const GROUPINGS: { value: SpendGroupBy; label: string }[] = [
  { value: 'model', label: 'Model' },
  { value: 'team', label: 'Team' },
  { value: 'service', label: 'Service' },
  { value: 'provider', label: 'Provider' },
  { value: 'account', label: 'Account' },
];
const UNATTRIBUTED = 'unattributed';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The default range: the last 30 days of the coverage, or all of it when shorter. */
export function defaultRange(coverage: SpendSummary['coverage']): { from: string; to: string } | null {
  if (!coverage.firstDay || !coverage.lastDay) return null;
  const from = addDays(coverage.lastDay, -29);
  return { from: from < coverage.firstDay ? coverage.firstDay : from, to: coverage.lastDay };
}

/** "Source: FOCUS files (N) imported <date>", the latest import date. */
export function sourceLine(coverage: SpendSummary['coverage']): string {
  const n = coverage.files.length;
  const latest = coverage.files.map((f) => f.importedAt).sort().pop();
  return `Source: FOCUS files (${n}) imported ${latest ? latest.slice(0, 10) : 'never'}`;
}

export function SpendView() {
  const [by, setBy] = useState<SpendGroupBy>('model');
  /** The group whose line items are shown, if any. */
  const [drill, setDrill] = useState<string | null>(null);
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [draft, setDraft] = useState<{ from: string; to: string }>({ from: '', to: '' });
  // One source at a time (FOCUS files, or one Cost Explorer sync): they describe the same bill.
  const sources = useQuery('spend/sources', {});
  const reloadSources = sources.reload;
  const [chosenSource, setChosenSource] = useState<string | null>(null);
  const source = chosenSource ?? defaultSource(sources.data);
  const sourceInfo = sources.data?.find((s) => s.id === source);
  const sourcesWithData = (sources.data ?? []).filter((s) => s.firstDay !== null);
  const supported = useMemo(() => sourceInfo?.groupings ?? GROUPINGS.map((g) => g.value), [sourceInfo]);
  const sourcesSettled = sources.data !== undefined || sources.error !== undefined;
  const input = { by, ...(source !== 'focus' ? { source } : {}), ...(range ? { from: range.from, to: range.to } : {}) };
  const summary = useQuery('spend/summary', input, `${source}|${by}|${range?.from ?? ''}|${range?.to ?? ''}`);
  const reloadSummary = summary.reload;
  const models = useQuery('models/names', {});
  const [importState, setImportState] = useState<ImportState>({ phase: 'idle' });
  /** Bumped when stored spend changes (an import, a rule): panels with their own queries reload. */
  const [revision, setRevision] = useState(0);

  const data = summary.data;
  // The last answer may still be the previous source's while the new one loads.
  const dataSource = data ? (data.source ?? 'focus') : null;
  const coverage = data?.coverage;
  const provenance = data?.provenance;

  // First load (and after a change of source): once the coverage is known, default to its last 30 days.
  useEffect(() => {
    if (range || !coverage || dataSource !== source) return;
    const r = defaultRange(coverage);
    if (r) {
      setRange(r);
      setDraft(r);
    }
  }, [coverage, range, dataSource, source]);

  // A grouping the source cannot answer (e.g. team on Cost Explorer) falls back to model.
  useEffect(() => {
    if (!supported.includes(by)) setBy('model');
  }, [supported, by]);

  // Closing the line items gives focus back to the row's button that opened them.
  const closeDrill = (key: string) => {
    setDrill(null);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="spend-row-drill"][data-drill-key="${CSS.escape(key)}"]`)?.focus());
  };

  const chooseSource = (next: string) => {
    setChosenSource(next);
    setRange(null);
    setDrill(null);
    const groupings = sources.data?.find((s) => s.id === next)?.groupings;
    if (groupings && !groupings.includes(by)) setBy('model');
  };

  const runImport = useCallback(
    async (given: string[] | null, skipBadRows: boolean) => {
      let paths = given;
      if (!paths) {
        setImportState({ phase: 'picking' });
        const picked = await invoke('dialog/pickSpendPaths', {});
        if (!picked.ok) {
          setImportState({ phase: 'failed', error: picked.error });
          return;
        }
        paths = picked.value.paths;
      }
      if (paths.length === 0) {
        setImportState({ phase: 'idle' });
        return;
      }
      setImportState({ phase: 'importing', paths, progress: null });
      const unsubscribe = window.docket.on('spend/importProgress', (progress) =>
        setImportState((st) => (st.phase === 'importing' ? { ...st, progress } : st)),
      );
      const result = await invoke('spend/import', skipBadRows ? { paths, skipBadRows: true } : { paths });
      unsubscribe();
      if (!result.ok) {
        setImportState({ phase: 'failed', error: result.error });
        return;
      }
      setImportState({ phase: 'finished', result: result.value, paths, skipped: skipBadRows });
      setChosenSource('focus'); // show what was just imported
      setRange(null); // re-derive the default range from the new coverage
      reloadSources();
      reloadSummary();
      setRevision((r) => r + 1);
    },
    [reloadSummary, reloadSources],
  );
  const busy = importState.phase === 'picking' || importState.phase === 'importing';
  const startImport = useCallback(() => void runImport(null, false), [runImport]);

  const applyDraft = (next: { from: string; to: string }) => {
    setDraft(next);
    if (DAY.test(next.from) && DAY.test(next.to) && next.from <= next.to) setRange(next);
  };
  const draftInvalid = draft.from !== '' && draft.to !== '' && (!DAY.test(draft.from) || !DAY.test(draft.to) || draft.from > draft.to);

  const totals = useMemo(() => {
    const map = new Map<string, { currency: string; billed: number; effective: number; unattributed: number; estimated: boolean; unattributedEstimated: boolean }>();
    for (const r of data?.rows ?? []) {
      const t = map.get(r.currency) ?? { currency: r.currency, billed: 0, effective: 0, unattributed: 0, estimated: false, unattributedEstimated: false };
      t.billed += r.billedCost;
      t.effective += r.effectiveCost;
      t.estimated ||= r.estimated === true;
      if (r.key === UNATTRIBUTED) {
        t.unattributed += r.effectiveCost;
        t.unattributedEstimated ||= r.estimated === true;
      }
      map.set(r.currency, t);
    }
    return [...map.values()].sort((a, b) => b.effective - a.effective || a.currency.localeCompare(b.currency));
  }, [data]);

  const rangeFrom = data?.from ?? coverage?.firstDay ?? null;
  const rangeTo = data?.to ?? coverage?.lastDay ?? null;
  const chart = useMemo(() => (data ? spendChartData(data, rangeFrom, rangeTo) : null), [data, rangeFrom, rangeTo]);
  const movers = useMemo(() => (data && rangeTo ? weekOverWeek(data.daily, rangeTo).slice(0, 8) : []), [data, rangeTo]);
  const span = daySpan(rangeFrom, rangeTo);
  const modelNames = useMemo(() => new Set(models.data ?? []), [models.data]);
  const groupLabel = GROUPINGS.find((g) => g.value === by)?.label.toLowerCase() ?? by;
  const showUnattributed = by === 'model' || by === 'team';
  const isCe = dataSource !== null && dataSource !== 'focus';
  const hasSpend = !!coverage && coverage.firstDay !== null && (isCe || coverage.files.length > 0);
  const sourceText = provenance ? sourceLines(provenance, coverage).join(' · ') : coverage ? sourceLine(coverage) : '';
  const rangeEstimatedDays = useMemo(() => (rangeFrom && rangeTo ? estimatedAmong(provenance, { from: rangeFrom, to: rangeTo }) : estimatedAmong(provenance)), [provenance, rangeFrom, rangeTo]);
  // Stable, so the chart is not rebuilt on every render.
  const chartTooltipFooter = useCallback((day: string) => figureTitle(provenance, coverage, { estimatedDays: estimatedAmong(provenance, [day]) }).split('\n'), [provenance, coverage]);
  const titleFor = (what: string, estimated: boolean, days: readonly string[] = rangeEstimatedDays) =>
    figureTitle(provenance, coverage, { what, estimated, estimatedDays: estimated ? days : [] });
  // Movers compare the last 14 days of the range: only Estimated days among those count.
  const moverDays = rangeTo ? estimatedAmong(provenance, { from: addDays(rangeTo, -13), to: rangeTo }) : [];
  const groupingLabel = GROUPINGS.find((g) => g.value === by)?.label ?? by;
  // Spend rows (by model) that carry spend of a retired version: marked with words and an icon, not colour alone.
  const retiredByKey = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const a of data?.retiredSpend ?? []) m.set(a.tagValue, [...(m.get(a.tagValue) ?? []), `${a.model}@${a.version} retired ${a.retirementDate}`]);
    return m;
  }, [data]);

  const importButton = (
    <button type="button" className="btn btn-primary" onClick={startImport} disabled={busy} data-testid="spend-import-button">
      {busy ? 'Importing…' : 'Import FOCUS billing file…'}
    </button>
  );

  return (
    <div className="page" data-testid="spend-view">
      <PageHeader title="Spend" subtitle="Where does the money go, and is it growing?" actions={importButton} />
      <SpendImportPanel
        state={importState}
        onDismiss={() => setImportState({ phase: 'idle' })}
        onRetry={startImport}
        onSkipBadRows={() => {
          if (importState.phase === 'finished') void runImport(importState.paths, true);
        }}
      />
      {summary.error && <ErrorBanner error={summary.error} context="Could not load spend" onRetry={summary.reload} />}
      {(!data || !sourcesSettled) && summary.loading && <Loading label="Loading spend…" />}
      {data && sourcesSettled && !hasSpend && <SpendEmpty onImport={startImport} busy={busy} />}
      {data && hasSpend && (
        <>
          <div className="toolbar spend-controls" role="group" aria-label="Spend filters">
            {sourcesWithData.length > 1 && (
              <label className="field-inline">
                Source
                <select
                  aria-label="Spend source"
                  data-testid="spend-source"
                  value={source}
                  title={sourceInfo ? sourceOptionTitle(sourceInfo) : undefined}
                  onChange={(e) => chooseSource(e.target.value)}
                >
                  {sourcesWithData.map((s) => (
                    <option key={s.id} value={s.id} title={sourceOptionTitle(s)}>
                      {sourceOptionLabel(s, sourcesWithData)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="field-inline">
              Group by
              <select
                aria-label="Group spend by"
                data-testid="spend-group-by"
                value={by}
                title={supported.length < GROUPINGS.length ? `This source can group by ${supported.join(', ')}.` : undefined}
                onChange={(e) => {
                setBy(e.target.value as SpendGroupBy);
                setDrill(null);
              }}>
                {GROUPINGS.map((g) => (
                  <option key={g.value} value={g.value} disabled={!supported.includes(g.value)}>
                    {supported.includes(g.value) ? g.label : `${g.label} (n/a)`}
                  </option>
                ))}
              </select>
            </label>
            <label className="field-inline">
              From
              <input
                type="date"
                className="date-input"
                aria-label="From"
                data-testid="spend-from"
                value={draft.from}
                min={coverage?.firstDay ?? undefined}
                max={coverage?.lastDay ?? undefined}
                aria-invalid={draftInvalid || undefined}
                onChange={(e) => applyDraft({ ...draft, from: e.target.value })}
              />
            </label>
            <label className="field-inline">
              To
              <input
                type="date"
                className="date-input"
                aria-label="To"
                data-testid="spend-to"
                value={draft.to}
                min={coverage?.firstDay ?? undefined}
                max={coverage?.lastDay ?? undefined}
                aria-invalid={draftInvalid || undefined}
                onChange={(e) => applyDraft({ ...draft, to: e.target.value })}
              />
            </label>
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                if (coverage?.firstDay && coverage.lastDay) applyDraft({ from: coverage.firstDay, to: coverage.lastDay });
              }}
            >
              All data
            </button>
            {summary.loading && <span className="spinner" role="status" aria-label="Updating" />}
          </div>
          {draftInvalid && (
            <p className="text-bad" role="alert">
              “From” must be on or before “To”.
            </p>
          )}
          <div className="spend-provenance" data-testid="spend-provenance" title={titleFor('Every figure on this page', rangeEstimatedDays.length > 0)}>
            <p className="field-note">
              {sourceText} · <span className="spend-coverage-note">Data covers {coverage?.firstDay} to {coverage?.lastDay}</span>
            </p>
            {(isCe || rangeEstimatedDays.length > 0) && (
              <p className="field-note">
                {rangeEstimatedDays.length > 0 && (
                  <>
                    <Status tone="warn" testId="spend-estimated-badge">
                      Estimated: {rangeEstimatedDays.length} day{rangeEstimatedDays.length === 1 ? '' : 's'} in range
                    </Status>{' '}
                    Figures marked ≈ include days AWS may still restate.{' '}
                  </>
                )}
                {isCe && 'Billed = unblended cost, effective = amortized cost.'}
              </p>
            )}
          </div>

          <RetiredSpendAlarms alarms={data.retiredSpend} testId="spend-retired-alarm" />

          <section className="stat-grid spend-totals" data-testid="spend-totals" aria-label="Totals">
            {totals.length === 0 && <p className="muted">No spend between {rangeFrom} and {rangeTo}.</p>}
            {totals.map((t) => (
              <div className="stat spend-total" key={t.currency} data-testid={`spend-total-${t.currency}`} title={titleFor(`Totals in ${t.currency}, ${rangeFrom} to ${rangeTo}`, t.estimated)}>
                <span className="stat-label">
                  {t.currency} · {rangeFrom} to {rangeTo}
                  {t.estimated && (
                    <>
                      {' '}
                      <Status tone="warn">Estimated</Status>
                    </>
                  )}
                </span>
                <dl className="spend-total-grid">
                  <dt>Effective</dt>
                  <dd className="num spend-total-effective" data-testid={`spend-effective-${t.currency}`} title={titleFor(`Effective cost in ${t.currency}${isCe ? ' (amortized)' : ''}`, t.estimated)}>
                    {markEstimated(formatMoney(t.effective, t.currency), t.estimated)}
                  </dd>
                  <dt>Billed</dt>
                  <dd className="num" data-testid={`spend-billed-${t.currency}`} title={titleFor(`Billed cost in ${t.currency}${isCe ? ' (unblended)' : ''}`, t.estimated)}>
                    {markEstimated(formatMoney(t.billed, t.currency), t.estimated)}
                  </dd>
                  {showUnattributed && (
                    <>
                      <dt>Unattributed</dt>
                      <dd className="num" data-testid={`spend-unattributed-${t.currency}`} title={titleFor(`Unattributed share of effective cost in ${t.currency}`, t.unattributedEstimated)}>
                        {t.effective !== 0 ? markEstimated(formatPercent(t.unattributed / t.effective), t.unattributedEstimated) : '—'} <span className="muted">of effective</span>
                      </dd>
                    </>
                  )}
                </dl>
                {showUnattributed && <span className="stat-note">Unattributed: spend without a {by === 'model' ? (provenance?.kind === 'aws-ce' ? (sourceInfo?.tagKey ?? 'ml:model') : 'ml:model') : 'team'} tag.</span>}
              </div>
            ))}
          </section>

          {chart && chart.series.length > 0 && (
            <Suspense fallback={<Loading label="Loading chart…" />}>
              <SpendChart
                data={chart}
                source={sourceText}
                estimatedDays={rangeEstimatedDays}
                tooltipFooter={chartTooltipFooter}
                groupLabel={groupLabel}
              />
            </Suspense>
          )}

          <div className="spend-grid">
            <section className="panel" aria-labelledby="spend-movers-h" data-testid="spend-movers">
              <h2 id="spend-movers-h" className="panel-title">
                Top movers, week over week
                <span className="panel-title-note muted">
                  {rangeTo ? `${addDays(rangeTo, -6)} to ${rangeTo} vs the 7 days before` : ''}
                </span>
              </h2>
              {span < 14 && <p className="field-note">The range has {span} day{span === 1 ? '' : 's'}; a full comparison needs 14. Missing days count as no spend.</p>}
              {movers.length === 0 ? (
                <p className="muted">No spend in the last two weeks of the range.</p>
              ) : (
                <table className="data-table compact">
                  <thead>
                    <tr>
                      <th scope="col">{GROUPINGS.find((g) => g.value === by)?.label}</th>
                      <th scope="col" className="num">
                        Previous 7 days
                      </th>
                      <th scope="col" className="num">
                        Last 7 days
                      </th>
                      <th scope="col" className="num">
                        Change
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {movers.map((m) => {
                      const estimated = moverDays.length > 0;
                      const weekSplit = rangeTo ? addDays(rangeTo, -7) : '';
                      return (
                        <tr key={`${m.currency}:${m.key}`} data-testid="spend-mover" title={titleFor(`${m.key}: effective cost in ${m.currency}, last 7 days vs the 7 before`, estimated, moverDays)}>
                          <td className="wrap">{m.key}</td>
                          <td className="num">{markEstimated(formatMoney(m.previous, m.currency), moverDays.some((d) => d <= weekSplit))}</td>
                          <td className="num">{markEstimated(formatMoney(m.current, m.currency), moverDays.some((d) => d > weekSplit))}</td>
                          <td className={`num nowrap ${m.delta > 0 ? 'delta-up' : m.delta < 0 ? 'delta-down' : ''}`}>
                            <span aria-hidden="true">{m.delta > 0 ? '▲ ' : m.delta < 0 ? '▼ ' : ''}</span>
                            {markEstimated(formatSignedMoney(m.delta, m.currency), estimated)} <span className="muted">({m.pct === null ? 'new' : formatPercent(m.pct, true)})</span>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              )}
            </section>

            <section className="panel" aria-labelledby="spend-table-h">
              <h2 id="spend-table-h" className="panel-title">
                Spend by {groupLabel}
                <span className="panel-title-note muted">{data.rows.length} rows</span>
              </h2>
              <div className="table-scroll spend-table-scroll">
                <table className="data-table compact sticky" data-testid="spend-table">
                  <thead>
                    <tr>
                      <th scope="col">{GROUPINGS.find((g) => g.value === by)?.label}</th>
                      <th scope="col">Currency</th>
                      <th scope="col" className="num">
                        Billed
                      </th>
                      <th scope="col" className="num">
                        Effective
                      </th>
                      <th scope="col" className="num">
                        Share
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.rows.map((r) => {
                      const total = totals.find((t) => t.currency === r.currency)?.effective ?? 0;
                      const linked = by === 'model' && modelNames.has(r.key);
                      const estimated = r.estimated === true;
                      const title = titleFor(`${groupingLabel} ${r.key}, ${r.currency}`, estimated);
                      const retired = by === 'model' ? retiredByKey.get(r.key) : undefined;
                      return (
                        <tr
                          key={`${r.currency}:${r.key}`}
                          data-testid="spend-row"
                          data-estimated={estimated || undefined}
                          data-retired={retired ? true : undefined}
                          className={[isCe ? '' : 'spend-row-link', retired ? 'spend-row-retired' : ''].join(' ').trim() || undefined}
                          title={isCe ? title : `${title}\nClick to show the line items behind this figure.`}
                          onClick={isCe ? undefined : () => setDrill(r.key)}
                        >
                          <td className="wrap">
                            {linked ? (
                              <a href={modelHref(r.key)} onClick={(e) => e.stopPropagation()}>
                                {r.key}
                              </a>
                            ) : r.key === UNATTRIBUTED ? (
                              <em>{r.key}</em>
                            ) : (
                              r.key
                            )}
                            {retired && (
                              <span className="status status-bad spend-retired-mark" title={`Spend after retirement: ${retired.join('; ')}`} data-testid="spend-row-retired">
                                <span className="status-icon" aria-hidden="true">
                                  ⚠
                                </span>
                                <span className="status-text">spend after retirement</span>
                              </span>
                            )}
                            {!isCe && (
                              // The row's click, for the keyboard: shown on hover and focus.
                              <button
                                type="button"
                                className="btn btn-ghost btn-small spend-drill"
                                onClick={(e) => {
                                  e.stopPropagation();
                                  setDrill(r.key);
                                }}
                                data-testid="spend-row-drill"
                                data-drill-key={r.key}
                              >
                                Line items<span className="visually-hidden"> for {r.key}</span>
                              </button>
                            )}
                          </td>
                          <td className="mono">{r.currency}</td>
                          <td className="num">{markEstimated(formatMoney(r.billedCost, r.currency), estimated)}</td>
                          <td className="num">{markEstimated(formatMoney(r.effectiveCost, r.currency), estimated)}</td>
                          <td className="num">{total !== 0 ? markEstimated(formatPercent(r.effectiveCost / total), estimated) : '—'}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <p className="field-note">
                {isCe
                  ? `Cost Explorer gives daily totals per group, not line items; pick the FOCUS source to drill down. ≈ marks figures that include Estimated days.${by === 'model' ? ' Model names link to their pages.' : ''}`
                  : `Click a row for the line items behind it${by === 'model' ? '; model names link to their pages' : ''}.`}
              </p>
            </section>
            {by === 'model' && dataSource === source && (
              <UnitCosts
                revision={revision}
                source={source}
                from={rangeFrom ?? undefined}
                to={rangeTo ?? undefined}
                estimated={rangeEstimatedDays.length > 0}
                title={(what) => titleFor(what, rangeEstimatedDays.length > 0)}
              />
            )}
            {!isCe && (
              <AttributionRules
                onChanged={() => {
                  reloadSummary();
                  setRevision((r) => r + 1);
                }}
              />
            )}
            {drill !== null && !isCe && <LineItems key={`${by}:${drill}:${rangeFrom}:${rangeTo}`} by={by} groupKey={drill} from={rangeFrom ?? undefined} to={rangeTo ?? undefined} onClose={() => closeDrill(drill)} />}
          </div>
        </>
      )}
    </div>
  );
}
