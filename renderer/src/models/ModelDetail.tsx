import { Suspense, useMemo, useState } from 'react';
import { lazyView } from '../lazyView';
import { GOVERNANCE_SECTIONS, type SectionState } from '../../../shared/domain/sections';
import type { ModelVersionDetail } from '../../../shared/ipc/contract';
import { invoke, useQuery } from '../ipc';
import { modelHref, navigate, type ModelTab } from '../router';
import { EmptyState, ErrorBanner, Loading, Status, formatTimestamp, shortHash, type Tone } from '../components/ui';
import { ImportResultPanel, useImporter, type ImportSource } from '../components/importer';
import { RegistryPanel } from './RegistryPanel';
import { ExportPackPanel } from '../pack/ExportPackPanel';
import { Markdown } from '../components/Markdown';
import { ModelSpend } from '../spend/ModelSpend';
import { Tabs, panelId, tabId, type TabDef } from '../components/Tabs';
import { ScrollRegion } from '../components/ScrollRegion';

// The fairness tab carries chart.js: its code stays out of the first bundle (lazyView.ts).
const FairnessTab = lazyView(() => import('../fairness/FairnessTab').then((m) => m.FairnessTab));
const LineageTab = lazyView(() => import('../lineage/LineageTab').then((m) => m.LineageTab));
const HistoryTab = lazyView(() => import('../history/HistoryTab').then((m) => m.HistoryTab));

/** Loads the code of the model page's tabs, so opening one does not wait for it. */
export function preloadModelTabs(): Promise<unknown> {
  return Promise.all([FairnessTab.preload(), LineageTab.preload(), HistoryTab.preload()]);
}

export const CLI_CARD_IMPORT = 'docket import cards <path> --version <v>';

const TABS: readonly TabDef<ModelTab>[] = [
  { key: 'card', label: 'Card' },
  { key: 'fairness', label: 'Fairness' },
  { key: 'lineage', label: 'Lineage' },
  { key: 'history', label: 'History' },
];
const TAB_PREFIX = 'model-detail';

const FORMAT_LABELS: Record<string, string> = {
  huggingface: 'Hugging Face README',
  'model-card-toolkit': 'Model Card Toolkit JSON',
  cyclonedx: 'CycloneDX ML-BOM',
};

const STATE_TONE: Record<SectionState, Tone> = { present: 'ok', empty: 'warn', missing: 'bad' };

function sectionState(detail: ModelVersionDetail, key: string): SectionState {
  if (detail.completeness.present.includes(key)) return 'present';
  if (detail.completeness.empty.includes(key)) return 'empty';
  if (detail.completeness.missing.includes(key)) return 'missing';
  if (!detail.card) return 'missing';
  const text = (detail.card.sections as Record<string, string | null | undefined>)[key];
  return text === null || text === undefined ? 'missing' : text.trim() === '' ? 'empty' : 'present';
}

function formatMetricValue(value: number | string): string {
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 4 });
  return value;
}

function sectionId(key: string): string {
  return `section-${key}`;
}

export function ModelDetail({ name, version, tab = 'card' }: { name: string; version: string | undefined; tab?: ModelTab }) {
  const input = version === undefined ? { name } : { name, version };
  const detail = useQuery('models/show', input, `${name}\u0000${version ?? ''}`);
  const d = detail.data && detail.data.name === name && (version === undefined || detail.data.version === version) ? detail.data : undefined;

  return (
    <div className="page" data-testid="model-detail">
      <p className="breadcrumb">
        <a href="#/models">← All models</a>
      </p>
      {detail.error && <ErrorBanner error={detail.error} context={`Could not load ${name}${version ? `@${version}` : ''}`} onRetry={detail.reload} />}
      {!d && detail.loading && <Loading label={`Loading ${name}…`} />}
      {d && <DetailBody d={d} tab={tab} reload={detail.reload} />}
    </div>
  );
}

function TabContent({ d, tab, reload }: { d: ModelVersionDetail; tab: ModelTab; reload: () => void }) {
  switch (tab) {
    case 'fairness':
      return (
        <Suspense fallback={<Loading label="Loading fairness view…" />}>
          <FairnessTab name={d.name} version={d.version} />
        </Suspense>
      );
    case 'lineage':
      return (
        <Suspense fallback={<Loading label="Loading lineage view…" />}>
          <LineageTab name={d.name} version={d.version} />
        </Suspense>
      );
    case 'history':
      return (
        <Suspense fallback={<Loading label="Loading history…" />}>
          <HistoryTab name={d.name} version={d.version} />
        </Suspense>
      );
    default:
      return <CardTab d={d} reload={reload} />;
  }
}

function DetailBody({ d, tab, reload }: { d: ModelVersionDetail; tab: ModelTab; reload: () => void }) {
  const card = d.card;
  const [exportingPack, setExportingPack] = useState(false);
  return (
    <>
      <header className="detail-header">
        <div className="detail-title-row">
          <h1 className="page-title" data-testid="model-name">
            {d.name}
          </h1>
          <label className="version-select">
            <span>Version</span>
            <select aria-label="Version" value={d.version} onChange={(e) => navigate(modelHref(d.name, e.target.value, tab))} data-testid="version-select">
              {d.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version} — imported {formatTimestamp(v.importedAt)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn btn-secondary pack-export-button" onClick={() => setExportingPack(true)} data-testid="export-pack-button">
            Export audit pack…
          </button>
          {exportingPack && <ExportPackPanel model={d.name} version={d.version} onClose={() => setExportingPack(false)} />}
        </div>
        {card?.summary && <Markdown text={card.summary} className="detail-summary" />}
        {!card && d.registry?.description?.trim() && <p className="detail-summary pre-line">{d.registry.description}</p>}
        <dl className="facts">
          {!card && (
            <div>
              <dt>Model card</dt>
              <dd>
                <Status tone="bad" testId="no-card-status">
                  Not imported
                </Status>
              </dd>
            </div>
          )}
          <div>
            <dt>License</dt>
            <dd>{card ? (card.license ?? <Status tone="warn">Not declared</Status>) : <span className="muted">Unknown (no card)</span>}</dd>
          </div>
          <div>
            <dt>Owners</dt>
            <dd>
              {!card ? (
                <span className="muted">Unknown (no card)</span>
              ) : card.owners.length === 0 ? (
                <Status tone="warn">None named</Status>
              ) : (
                card.owners.map((o, i) => (
                  <span key={i} className="owner">
                    {o.name}
                    {o.contact ? <span className="muted"> ({o.contact})</span> : null}
                    {i < card.owners.length - 1 ? ', ' : ''}
                  </span>
                ))
              )}
            </dd>
          </div>
          <div>
            <dt>Tags</dt>
            <dd>
              {d.tags.length === 0 ? (
                <span className="muted">None</span>
              ) : (
                // Registry-style key/value tags; a card's plain tags are keys with an empty value.
                d.tags.map((t) => (
                  <span key={t.key} className={t.value ? 'chip chip-kv' : 'chip'}>
                    {t.value ? `${t.key}=${t.value}` : t.key}
                  </span>
                ))
              )}
            </dd>
          </div>
          <div>
            <dt>Spend</dt>
            <dd>
              <ModelSpend model={d.name} />
            </dd>
          </div>
          <div>
            <dt>Aliases</dt>
            <dd>
              {d.aliases.length === 0 ? (
                <span className="muted">None</span>
              ) : (
                d.aliases.map((a) => (
                  <span key={a} className="chip chip-alias">
                    @{a}
                  </span>
                ))
              )}
            </dd>
          </div>
          {card && card.datasets.length > 0 && (
            <div>
              <dt>Datasets</dt>
              <dd>{card.datasets.join(', ')}</dd>
            </div>
          )}
        </dl>
      </header>

      <Tabs label={`${d.name} ${d.version}`} tabs={TABS} active={tab} onChange={(key) => navigate(modelHref(d.name, d.version, key))} idPrefix={TAB_PREFIX} />
      <div role="tabpanel" id={panelId(TAB_PREFIX, tab)} aria-labelledby={tabId(TAB_PREFIX, tab)} tabIndex={0} className="tab-panel" data-testid={`tabpanel-${tab}`}>
        <TabContent d={d} tab={tab} reload={reload} />
      </div>
    </>
  );
}

function NoCard({ d, reload }: { d: ModelVersionDetail; reload: () => void }) {
  const source = useMemo<ImportSource>(
    () => ({
      pick: () => invoke('dialog/pickCardPaths', {}),
      run: (paths) => invoke('cards/import', { paths, version: d.version }),
      progressEvent: 'cards/importProgress',
    }),
    [d.version],
  );
  const importer = useImporter(source, reload);
  return (
    <>
      <EmptyState
        title="No model card yet"
        testId="no-card"
        actions={
          <button type="button" className="btn btn-primary" onClick={() => void importer.start()} disabled={importer.busy} data-testid="no-card-import-button">
            {importer.busy ? 'Importing…' : `Import a card for version ${d.version}…`}
          </button>
        }
      >
        <p>
          No model card imported for this version yet. Docket knows <span className="mono">{d.name}@{d.version}</span>
          {d.registry ? ' from the model registry' : ''}, but nothing documents its intended use, limits, training data or evaluation.
        </p>
        <p>
          Import one with the button below, or from a terminal: <code>{CLI_CARD_IMPORT.replace('<v>', d.version)}</code>
        </p>
      </EmptyState>
      <ImportResultPanel state={importer.state} onDismiss={importer.dismiss} onRetry={() => void importer.start()} />
    </>
  );
}

function CardTab({ d, reload }: { d: ModelVersionDetail; reload: () => void }) {
  const card = d.card;
  const presentCount = d.completeness.present.length;
  const total = GOVERNANCE_SECTIONS.length;
  return (
    <>
      <div className="detail-grid">
        <div className="detail-main">
          {!card && <NoCard d={d} reload={reload} />}
          {d.registry && <RegistryPanel registry={d.registry} />}
          {card && GOVERNANCE_SECTIONS.map((s) => {
            const text = card.sections[s.key];
            const state = sectionState(d, s.key);
            return (
              <section key={s.key} className="card-section" id={sectionId(s.key)} aria-labelledby={`${sectionId(s.key)}-h`} data-testid="card-section">
                <div className="card-section-head">
                  <h2 id={`${sectionId(s.key)}-h`}>{s.title}</h2>
                  <Status tone={STATE_TONE[state]}>{state}</Status>
                </div>
                {state === 'present' && text ? (
                  <Markdown text={text} />
                ) : state === 'empty' ? (
                  <p className="muted">The card has this heading but says nothing under it.</p>
                ) : (
                  <p className="muted">The card has no “{s.title}” section. Ask the owners to add it before review.</p>
                )}
              </section>
            );
          })}

          {card && (
            <section className="card-section" aria-labelledby="metrics-h">
              <div className="card-section-head">
                <h2 id="metrics-h">Metrics</h2>
              </div>
              {card.metrics.length === 0 ? (
                <p className="muted">The card reports no metrics.</p>
              ) : (
                <ScrollRegion className="table-wrap" labelledBy="metrics-h">
                  <table className="data-table" data-testid="metrics-table">
                    <thead>
                      <tr>
                        <th scope="col">Metric</th>
                        <th scope="col" className="num">
                          Value
                        </th>
                        <th scope="col">Dataset</th>
                        <th scope="col">Split</th>
                        <th scope="col">Task</th>
                        <th scope="col">Verified</th>
                      </tr>
                    </thead>
                    <tbody>
                      {card.metrics.map((m, i) => (
                        <tr key={i}>
                          <td>
                            {m.name}
                            {m.name !== m.type && <span className="muted"> ({m.type})</span>}
                            {m.slice ? <span className="muted"> · slice {m.slice}</span> : null}
                          </td>
                          <td className="num mono">{formatMetricValue(m.value)}</td>
                          <td>{m.dataset ?? <span className="muted">not stated</span>}</td>
                          <td>{m.split ?? <span className="muted">—</span>}</td>
                          <td>{m.task ?? <span className="muted">—</span>}</td>
                          <td>{m.verified === true ? <Status tone="ok">verified</Status> : m.verified === false ? <Status tone="neutral">unverified</Status> : <span className="muted">not stated</span>}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollRegion>
              )}
            </section>
          )}
        </div>

        <aside className="detail-side">
          <section className="panel" aria-labelledby="completeness-h" data-testid="card-completeness">
            <h2 id="completeness-h" className="panel-title">
              Card completeness <span className="num muted">{presentCount}/{total}</span>
            </h2>
            <ul className="section-states">
              {GOVERNANCE_SECTIONS.map((s) => {
                const state = sectionState(d, s.key);
                return (
                  <li key={s.key} data-section={s.key} data-state={state}>
                    <a href={`#${sectionId(s.key)}`} onClick={(e) => { e.preventDefault(); document.getElementById(sectionId(s.key))?.scrollIntoView({ block: 'start' }); }}>
                      {s.title}
                    </a>
                    <Status tone={STATE_TONE[state]}>{state}</Status>
                  </li>
                );
              })}
            </ul>
          </section>

          <section className="panel" aria-labelledby="provenance-h" data-testid="provenance">
            <h2 id="provenance-h" className="panel-title">
              Source provenance
            </h2>
            {!d.source ? (
              <p className="muted no-margin" data-testid="provenance-none">
                No card file imported for this version.
              </p>
            ) : (
              <dl className="kv">
                <dt>Format</dt>
                <dd>{FORMAT_LABELS[d.source.format] ?? d.source.format}</dd>
                <dt>File</dt>
                <dd className="mono wrap" title={d.source.file}>
                  {d.source.file}
                </dd>
                <dt>SHA-256</dt>
                <dd className="mono" title={d.source.sha256}>
                  {shortHash(d.source.sha256, 16)}
                </dd>
                <dt>Imported at</dt>
                <dd>{formatTimestamp(d.source.importedAt)}</dd>
                <dt>Sync run</dt>
                <dd className="num-inline">#{d.source.syncRunId}</dd>
              </dl>
            )}
          </section>
        </aside>
      </div>
    </>
  );
}
