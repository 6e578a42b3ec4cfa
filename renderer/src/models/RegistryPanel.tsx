import type { ModelVersionDetail } from '../../../shared/ipc/contract';
import type { RunDatasetInput } from '../../../shared/domain/registry';
import { Status, formatTimestamp, type Tone } from '../components/ui';
import { ExternalLink, isWebLink } from '../components/ExternalLink';

type Registry = NonNullable<ModelVersionDetail['registry']>;

const TOP = 10;

/** Epoch milliseconds as MLflow gives them, shown as UTC. */
export function formatEpoch(value: number | null | undefined): string | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return formatTimestamp(new Date(value).toISOString());
}

function statusTone(status: string | null): Tone {
  switch ((status ?? '').toUpperCase()) {
    case 'READY':
      return 'ok';
    case 'PENDING_REGISTRATION':
      return 'warn';
    case 'FAILED_REGISTRATION':
      return 'bad';
    default:
      return 'neutral';
  }
}

function stageTone(stage: string | null): Tone {
  switch (stage) {
    case 'Production':
      return 'ok';
    case 'Staging':
      return 'info';
    case 'Archived':
      return 'neutral';
    default:
      return 'neutral';
  }
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

function contextTone(context: string | null): Tone {
  if (context === 'training') return 'info';
  if (context === 'evaluation') return 'ok';
  return 'neutral';
}

function DatasetInputs({ inputs }: { inputs: RunDatasetInput[] }) {
  return (
    <table className="data-table compact" data-testid="registry-datasets">
      <thead>
        <tr>
          <th scope="col">Dataset</th>
          <th scope="col">Context</th>
          <th scope="col">Source</th>
        </tr>
      </thead>
      <tbody>
        {inputs.map((d, i) => (
          <tr key={i}>
            <td className="break-word">
              {d.name}
              {d.digest && (
                <span className="cell-sub mono" title={d.digest}>
                  {d.digest.length > 14 ? `${d.digest.slice(0, 14)}…` : d.digest}
                </span>
              )}
            </td>
            <td>{d.context ? <Status tone={contextTone(d.context)}>{d.context}</Status> : <span className="muted">not stated</span>}</td>
            <td className="mono break-word">
              {d.source ?? <span className="muted">—</span>}
              {d.sourceType && <span className="cell-sub">{d.sourceType}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the MLflow registry says of this version, as last synced. Every value is untrusted text. */
export function RegistryPanel({ registry: r }: { registry: Registry }) {
  const created = formatEpoch(r.createdAt);
  const updated = formatEpoch(r.updatedAt);
  const run = r.run;
  const metrics = run ? [...run.metrics].sort((a, b) => a.key.localeCompare(b.key)) : [];
  const params = run ? [...run.params].sort((a, b) => a.key.localeCompare(b.key)) : [];
  return (
    <section className="panel registry-panel" aria-labelledby="registry-h" data-testid="registry-panel">
      <h2 id="registry-h" className="panel-title">
        Registry <span className="muted panel-title-note">MLflow, as of the last sync</span>
      </h2>
      <dl className="kv registry-facts">
        <dt>Status</dt>
        <dd>{r.status ? <Status tone={statusTone(r.status)}>{r.status}</Status> : <span className="muted">not stated</span>}</dd>
        <dt>Stage</dt>
        <dd>{r.currentStage && r.currentStage !== 'None' ? <Status tone={stageTone(r.currentStage)}>{r.currentStage}</Status> : <span className="muted">None</span>}</dd>
        <dt>Run</dt>
        <dd className="mono wrap" data-testid="registry-run">
          {r.runId ?? <span className="muted">no run recorded</span>}
          {r.runLink && isWebLink(r.runLink) && (
            <>
              {' '}
              <ExternalLink url={r.runLink} className="registry-run-link">
                open run
              </ExternalLink>
            </>
          )}
          {r.runLink && !isWebLink(r.runLink) && <span className="cell-sub">{r.runLink}</span>}
        </dd>
        <dt>Source URI</dt>
        <dd className="mono wrap">{r.source ?? <span className="muted">not stated</span>}</dd>
        <dt>Registered by</dt>
        <dd className="wrap">{r.userId ?? <span className="muted">not stated</span>}</dd>
        <dt>Created</dt>
        <dd>{created ?? <span className="muted">not stated</span>}</dd>
        <dt>Updated</dt>
        <dd>{updated ?? <span className="muted">not stated</span>}</dd>
        <dt>Description</dt>
        <dd className="wrap pre-line">{r.description?.trim() ? r.description : <span className="muted">none</span>}</dd>
        <dt>Tags</dt>
        <dd>
          {r.tags.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            r.tags.map((t) => (
              <span key={t.key} className="chip chip-kv" title={`${t.key}=${t.value}`}>
                {t.key}={t.value}
              </span>
            ))
          )}
        </dd>
      </dl>

      {run && (
        <div className="registry-run-grid">
          <div className="registry-block">
            <h3 className="block-title">
              Metrics <span className="muted num-inline">{metrics.length > TOP ? `top ${TOP} of ${metrics.length}` : metrics.length}</span>
            </h3>
            {metrics.length === 0 ? (
              <p className="muted no-margin">The run logged no metrics.</p>
            ) : (
              <table className="data-table compact" data-testid="registry-metrics">
                <tbody>
                  {metrics.slice(0, TOP).map((m) => (
                    <tr key={m.key}>
                      <th scope="row" className="break-word">
                        {m.key}
                      </th>
                      <td className="num mono">{formatNumber(m.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div className="registry-block">
            <h3 className="block-title">
              Parameters <span className="muted num-inline">{params.length > TOP ? `top ${TOP} of ${params.length}` : params.length}</span>
            </h3>
            {params.length === 0 ? (
              <p className="muted no-margin">The run logged no parameters.</p>
            ) : (
              <table className="data-table compact" data-testid="registry-params">
                <tbody>
                  {params.slice(0, TOP).map((p) => (
                    <tr key={p.key}>
                      <th scope="row" className="break-word">
                        {p.key}
                      </th>
                      <td className="mono break-word">{p.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div className="registry-block registry-block-wide">
            <h3 className="block-title">Dataset inputs</h3>
            {run.datasetInputs.length === 0 ? <p className="muted no-margin">The run declared no dataset inputs.</p> : <DatasetInputs inputs={run.datasetInputs} />}
          </div>
        </div>
      )}
      {!run && r.runId && <p className="muted no-margin">The producing run could not be read from the registry.</p>}
    </section>
  );
}
