import {
  DISPARITY_LABELS,
  DISPARITY_MEASURES,
  FAIRNESS_METRIC_LABELS,
  type DisparityChange,
  type FairnessEvaluationView,
  type FairnessVerdict,
} from '../../../shared/domain/fairness';
import { Status } from '../components/ui';
import { chartMetrics } from './chartSpec';
import { FAIRNESS_STATUS, VERDICT_LABEL, featureList, fmt3, formatCount, formatDelta, formatShare, formatThreshold, formatWithInterval } from './format';
import { ScrollRegion } from '../components/ScrollRegion';

function VerdictStatus({ verdict }: { verdict: FairnessVerdict }) {
  return <Status tone={FAIRNESS_STATUS[verdict.status].tone}>{VERDICT_LABEL[verdict.status]}</Status>;
}

/** One row per policy threshold: the value, the bound, the verdict, why the bound exists and why it failed. */
export function DisparitySummary({ evaluation, headingId }: { evaluation: FairnessEvaluationView; headingId: string }) {
  const judged = new Set(evaluation.verdicts.map((v) => v.measure));
  const others = DISPARITY_MEASURES.filter((m) => !judged.has(m));
  return (
    <div className="fairness-block">
      <h4 id={headingId} className="block-title">
        Disparities against the policy
      </h4>
      {evaluation.verdicts.length === 0 ? (
        <p className="muted">The policy sets no thresholds, so nothing here is judged.</p>
      ) : (
        <ScrollRegion className="table-wrap" labelledBy={headingId}>
          <table className="data-table disparity-table" data-testid="disparity-summary" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Measure</th>
                <th scope="col" className="num">
                  Value
                </th>
                <th scope="col">Threshold</th>
                <th scope="col">Status</th>
                <th scope="col">Basis</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {evaluation.verdicts.map((v) => {
                const between = evaluation.report.measures[v.measure]?.between;
                return (
                  <tr key={v.measure} data-status={v.status} data-measure={v.measure} className={`verdict-row verdict-${v.status}`}>
                    <th scope="row" className="measure-cell">
                      {DISPARITY_LABELS[v.measure]}
                      {between && (
                        <span className="cell-sub">
                          between {between[0]} and {between[1]}
                        </span>
                      )}
                    </th>
                    <td className="num mono">{fmt3(v.value)}</td>
                    <td className="mono nowrap">{formatThreshold(v.comparison, v.bound)}</td>
                    <td className="nowrap">
                      <VerdictStatus verdict={v} />
                    </td>
                    <td className="basis-cell">{v.basis}</td>
                    <td className="reason-cell">{v.reason ?? <span className="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {others.length > 0 && (
        <p className="fairness-note muted" data-testid="unjudged-measures">
          Also computed, no threshold in the policy:{' '}
          {others.map((m, i) => {
            const value = evaluation.report.measures[m]?.value ?? null;
            return (
              <span key={m} className="nowrap">
                {DISPARITY_LABELS[m]} <span className="mono">{fmt3(value)}</span>
                {i < others.length - 1 ? ' · ' : ''}
              </span>
            );
          })}
        </p>
      )}
    </div>
  );
}

/** Groups left out of the disparities: always listed, with the numbers that decided it. */
export function ExcludedGroups({ evaluation }: { evaluation: FairnessEvaluationView }) {
  const excluded = evaluation.report.excludedGroups;
  if (excluded.length === 0) return null;
  return (
    <div className="excluded-groups" data-testid="excluded-groups" role="note">
      <p className="excluded-lead">
        <Status tone="warn">
          {excluded.length} group{excluded.length === 1 ? '' : 's'} excluded from disparities
        </Status>
        <span className="muted"> Too small to compare reliably; still shown in the table and charts.</span>
      </p>
      <ul className="excluded-list">
        {excluded.map((g) => (
          <li key={g.label} data-testid="excluded-group">
            <strong>{g.label}</strong> <span className="muted">·</span> n = <span className="mono">{formatCount(g.count)}</span>{' '}
            <span className="muted">·</span> share <span className="mono">{formatShare(g.share)}</span> <span className="muted">·</span> {g.reason}{' '}
            <span className="muted">(excluded from disparities)</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Every group with its count, share, metrics and impact ratio; excluded groups stay in, marked. */
export function ByGroupTable({ evaluation, headingId }: { evaluation: FairnessEvaluationView; headingId: string }) {
  const metrics = chartMetrics(evaluation);
  const excluded = new Map(evaluation.report.excludedGroups.map((g) => [g.label, g]));
  const total = evaluation.totalCount;
  const hasOverall = metrics.some((m) => typeof evaluation.overall[m] === 'number');
  return (
    <div className="fairness-block">
      <h4 id={headingId} className="block-title">
        By group
      </h4>
      <ScrollRegion className="table-wrap" labelledBy={headingId}>
        <table className="data-table by-group-table" data-testid="by-group-table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">Group ({featureList(evaluation.sensitiveFeatures)})</th>
              <th scope="col" className="num">
                Count
              </th>
              <th scope="col" className="num">
                Share
              </th>
              {metrics.map((m) => (
                <th key={m} scope="col" className="num">
                  {FAIRNESS_METRIC_LABELS[m]}
                </th>
              ))}
              <th scope="col" className="num" title="Selection rate divided by the highest group's selection rate">
                Impact ratio
              </th>
            </tr>
          </thead>
          <tbody>
            {evaluation.groups.map((g) => {
              const ex = excluded.get(g.label);
              const share = ex?.share ?? (g.count !== null && total ? g.count / total : null);
              const ratio = evaluation.report.impactRatios[g.label];
              return (
                <tr key={g.label} data-testid="group-row" data-group={g.label} data-excluded={ex ? 'true' : undefined} className={ex ? 'group-excluded' : undefined}>
                  <th scope="row" className="group-cell">
                    {g.label}
                    {ex && (
                      <span className="cell-sub">
                        <Status tone="neutral" title={ex.reason}>
                          excluded
                        </Status>
                      </span>
                    )}
                  </th>
                  <td className="num mono">{formatCount(g.count)}</td>
                  <td className="num mono">{formatShare(share)}</td>
                  {metrics.map((m) => (
                    <td key={m} className="num mono nowrap">
                      {formatWithInterval(g.metrics[m], g.intervals?.[m])}
                    </td>
                  ))}
                  <td className="num mono">{ex ? <span className="muted">excluded</span> : fmt3(ratio ?? null)}</td>
                </tr>
              );
            })}
          </tbody>
          {hasOverall && (
            <tfoot>
              <tr className="overall-row">
                <th scope="row">Overall</th>
                <td className="num mono">{formatCount(total)}</td>
                <td className="num mono">{total ? '100%' : '—'}</td>
                {metrics.map((m) => (
                  <td key={m} className="num mono">
                    {fmt3(evaluation.overall[m])}
                  </td>
                ))}
                <td className="num muted">—</td>
              </tr>
            </tfoot>
          )}
        </table>
      </ScrollRegion>
    </div>
  );
}

function changeStatus(c: DisparityChange) {
  if (c.worsened)
    return (
      <Status tone="bad" testId="gap-grew">
        gap grew
      </Status>
    );
  if (c.delta === null) return <span className="muted">not comparable</span>;
  if (Number(c.delta.toFixed(3)) === 0) return <Status tone="neutral">unchanged</Status>;
  return <Status tone="ok">gap narrowed</Status>;
}

/** How each disparity moved since the previous version that has an evaluation. */
export function ComparisonPanel({ comparison }: { comparison: { previousVersion: string; changes: DisparityChange[] } | null }) {
  return (
    <section className="panel" aria-labelledby="fairness-comparison-h" data-testid="fairness-comparison">
      <h3 id="fairness-comparison-h" className="panel-title">
        {comparison ? (
          <span>
            Compared with version <span className="mono">{comparison.previousVersion}</span>
          </span>
        ) : (
          'Compared with earlier versions'
        )}
      </h3>
      {!comparison ? (
        <p className="muted no-margin">No earlier version with a fairness evaluation.</p>
      ) : comparison.changes.length === 0 ? (
        <p className="muted no-margin">The two versions share no disparity measure to compare.</p>
      ) : (
        <ScrollRegion className="table-wrap" labelledBy="fairness-comparison-h">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Measure</th>
                <th scope="col">Sensitive features</th>
                <th scope="col" className="num">
                  Previous ({comparison.previousVersion})
                </th>
                <th scope="col" className="num">
                  Current
                </th>
                <th scope="col" className="num">
                  Change
                </th>
                <th scope="col">Trend</th>
              </tr>
            </thead>
            <tbody>
              {comparison.changes.map((c, i) => (
                <tr key={i} data-testid="comparison-row" data-measure={c.measure} data-worsened={c.worsened ? 'true' : 'false'} className={c.worsened ? 'verdict-row verdict-fail' : undefined}>
                  <th scope="row" className="measure-cell">
                    {DISPARITY_LABELS[c.measure]}
                  </th>
                  <td>{featureList(c.sensitiveFeatures)}</td>
                  <td className="num mono">{fmt3(c.previous)}</td>
                  <td className="num mono">{fmt3(c.current)}</td>
                  <td className="num mono">{formatDelta(c.delta)}</td>
                  <td className="nowrap">{changeStatus(c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
