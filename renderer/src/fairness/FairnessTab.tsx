import { useMemo, type ReactNode } from 'react';
import { DISPARITY_LABELS, type FairnessEvaluationView, type FairnessPolicySummary, type FairnessVersionView } from '../../../shared/domain/fairness';
import { invoke, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, Loading, Status, formatTimestamp, shortHash } from '../components/ui';
import { ImportResultPanel, useImporter, type ImportSource } from '../components/importer';
import { buildMetricChartSpec, chartMetrics } from './chartSpec';
import { MetricChart } from './MetricChart';
import { ByGroupTable, ComparisonPanel, DisparitySummary, ExcludedGroups } from './tables';
import { FAIRNESS_STATUS, FORMAT_LABELS, featureList, formatCount, formatShare, formatThreshold } from './format';

export const CLI_FAIRNESS_IMPORT = 'docket import fairness <file> --model <name>@<version>';

/** The fairness evaluation(s) of one model version, judged against the current policy. */
export function FairnessTab({ name, version }: { name: string; version: string }) {
  const query = useQuery('fairness/show', { name, version }, `${name}\u0000${version}`);
  const view = query.data && query.data.model === name && query.data.version === version ? query.data : undefined;
  const source = useMemo<ImportSource>(
    () => ({
      pick: () => invoke('dialog/pickFairnessPaths', {}),
      run: (paths) => invoke('fairness/import', { paths, model: name, version }),
    }),
    [name, version],
  );
  const importer = useImporter(source, query.reload);

  return (
    <div className="fairness-tab" data-testid="fairness-tab">
      {query.error && <ErrorBanner error={query.error} context={`Could not load the fairness evaluation of ${name}@${version}`} onRetry={query.reload} />}
      {!view && query.loading && <Loading label="Loading fairness evaluation…" />}
      {view && (
        <FairnessHeader
          view={view}
          importButton={
            <button type="button" className="btn btn-primary" onClick={() => void importer.start()} disabled={importer.busy} data-testid="fairness-import-button">
              {importer.busy ? 'Importing…' : 'Import fairness evaluation…'}
            </button>
          }
        />
      )}
      <ImportResultPanel state={importer.state} onDismiss={importer.dismiss} onRetry={() => void importer.start()} />
      {view && view.evaluations.length === 0 && <FairnessEmpty view={view} />}
      {view && view.evaluations.map((e, i) => <EvaluationSection key={e.id} evaluation={e} policy={view.policy} index={i} count={view.evaluations.length} />)}
      {view && (view.evaluations.length > 0 || view.comparison) && <ComparisonPanel comparison={view.comparison} />}
    </div>
  );
}

function FairnessHeader({ view, importButton }: { view: FairnessVersionView; importButton: ReactNode }) {
  const meta = FAIRNESS_STATUS[view.status];
  const p = view.policy;
  return (
    <section className={`panel fairness-header fairness-${view.status}`} aria-label="Fairness status" data-testid="fairness-header">
      <div className="fairness-header-main">
        <p className="fairness-overall">
          <Status tone={meta.tone} testId="fairness-status">
            {meta.label}
          </Status>
          {view.evaluations.length > 0 && (
            <span className="muted">
              {view.evaluations.length} evaluation{view.evaluations.length === 1 ? '' : 's'} of version <span className="mono">{view.version}</span>
            </span>
          )}
        </p>
        <p className="fairness-policy" data-testid="fairness-policy">
          Policy <strong>{p.name}</strong> <span className="muted">version</span> <span className="mono">{p.version}</span>
          <span className="muted">
            {' '}
            · groups under {formatCount(p.minGroupCount)} samples or {formatShare(p.minGroupShare)} of the data are excluded from disparities
          </span>
        </p>
      </div>
      <div className="fairness-header-actions">{importButton}</div>
    </section>
  );
}

function PolicyThresholds({ policy }: { policy: FairnessPolicySummary }) {
  if (policy.thresholds.length === 0) return <p>The current policy sets no thresholds yet.</p>;
  return (
    <ul className="policy-thresholds">
      {policy.thresholds.map((t) => (
        <li key={t.measure}>
          <strong>{DISPARITY_LABELS[t.measure]}</strong> <span className="mono">{formatThreshold(t.comparison, t.bound)}</span> <span className="muted">— {t.basis}</span>
        </li>
      ))}
    </ul>
  );
}

function FairnessEmpty({ view }: { view: FairnessVersionView }) {
  return (
    <EmptyState title="No fairness evaluation yet" testId="fairness-empty">
      <p>
        Import a by-group evaluation of <span className="mono">{view.model}@{view.version}</span> and Docket computes the disparities and judges
        them against the policy. Accepted formats:
      </p>
      <ul className="format-list">
        <li>
          <strong>Fairlearn MetricFrame JSON</strong> — <code>MetricFrame.by_group</code> exported with its sensitive features
        </li>
        <li>
          <strong>By-group CSV</strong> — columns <code>group,metric,value,count</code>
        </li>
        <li>
          <strong>Confusion CSV</strong> — columns <code>group,tp,fp,tn,fn</code>; Docket computes the rates
        </li>
      </ul>
      <p>
        From a terminal: <code>{CLI_FAIRNESS_IMPORT}</code>
      </p>
      <p>What the policy {view.policy.name} will check:</p>
      <PolicyThresholds policy={view.policy} />
    </EmptyState>
  );
}

function Provenance({ e }: { e: FairnessEvaluationView }) {
  return (
    <p className="fairness-provenance" data-testid="fairness-provenance">
      <span>
        <span className="prov-key">Dataset</span> {e.dataset.name ?? <span className="muted">not stated</span>}
        {e.dataset.digest && (
          <span className="mono muted" title={e.dataset.digest}>
            {' '}
            ({shortHash(e.dataset.digest.replace(/^sha256:/i, ''), 12)})
          </span>
        )}
      </span>
      <span>
        <span className="prov-key">Producer</span> {e.producer ?? <span className="muted">not stated</span>}
      </span>
      <span>
        <span className="prov-key">Evaluated</span> {e.evaluatedAt ? formatTimestamp(e.evaluatedAt) : <span className="muted">not stated</span>}
      </span>
      <span className="prov-file">
        <span className="prov-key">File</span>{' '}
        <span className="mono" title={e.sourceFile}>
          {e.sourceFile}
        </span>{' '}
        <span className="muted">({FORMAT_LABELS[e.format] ?? e.format})</span>
      </span>
      <span>
        <span className="prov-key">SHA-256</span>{' '}
        <span className="mono" title={e.sha256}>
          {shortHash(e.sha256, 12)}
        </span>
      </span>
      <span>
        <span className="prov-key">Imported</span> {formatTimestamp(e.importedAt)}
      </span>
    </p>
  );
}

function EvaluationSection({ evaluation: e, policy, index, count }: { evaluation: FairnessEvaluationView; policy: FairnessPolicySummary; index: number; count: number }) {
  const specs = useMemo(() => chartMetrics(e).map((m) => buildMetricChartSpec(e, m, policy)), [e, policy]);
  const meta = FAIRNESS_STATUS[e.status];
  const id = `fairness-eval-${e.id}`;
  const plural = e.sensitiveFeatures.length === 1 ? 'feature' : 'features';
  return (
    <section className="panel fairness-evaluation" aria-labelledby={`${id}-h`} data-testid="fairness-evaluation" data-status={e.status}>
      <div className="evaluation-head">
        <h3 id={`${id}-h`} className="evaluation-title">
          {count > 1 && <span className="muted">{index + 1}/{count} · </span>}
          Sensitive {plural}: {featureList(e.sensitiveFeatures)}
          {e.controlFeatures.length > 0 && <span className="muted"> · controlling for {featureList(e.controlFeatures)}</span>}
        </h3>
        <Status tone={meta.tone}>{meta.label}</Status>
      </div>
      <Provenance e={e} />
      <DisparitySummary evaluation={e} headingId={`${id}-disparities`} />
      <ExcludedGroups evaluation={e} />
      {specs.length > 0 && (
        <div className="chart-grid">
          {specs.map((s) => (
            <MetricChart key={s.metric} spec={s} />
          ))}
        </div>
      )}
      <ByGroupTable evaluation={e} headingId={`${id}-groups`} />
    </section>
  );
}
