import { useMemo, useState } from 'react';
import type { LineageCompleteness, LineageEdge, LineageNode, LineageView } from '../../../shared/domain/lineage';
import { useQuery } from '../ipc';
import { EmptyState, ErrorBanner, Loading, Status } from '../components/ui';
import { LineageGraph } from './LineageGraph';
import { EDGE_KIND_LABELS, NODE_KIND_GLYPHS, NODE_KIND_LABELS } from './kinds';

export const CLI_LINEAGE_IMPORT = 'docket import lineage <file>';

const CHECKS: { key: keyof LineageCompleteness; label: string; missing: string }[] = [
  { key: 'trainingData', label: 'Training data', missing: 'No dataset is linked as training input' },
  { key: 'evaluationData', label: 'Evaluation data', missing: 'No dataset is linked as evaluation input' },
  { key: 'producingRun', label: 'Producing run', missing: 'No run or job is known to have produced this version' },
  { key: 'codeLocation', label: 'Code location', missing: 'No source code location (git, notebook) is recorded' },
];

const MAX_FACET_CHARS = 100_000;

/** Facets as pretty JSON, for display as text only (they are untrusted). */
export function facetsText(facets: Record<string, unknown>): string {
  let text: string;
  try {
    text = JSON.stringify(facets, null, 2) ?? '{}';
  } catch {
    text = '(facets could not be shown)';
  }
  return text.length > MAX_FACET_CHARS ? `${text.slice(0, MAX_FACET_CHARS)}\n… (truncated: ${text.length.toLocaleString('en-US')} characters in all)` : text;
}

export function LineageTab({ name, version }: { name: string; version: string }) {
  const query = useQuery('lineage/show', { name, version }, `${name}\u0000${version}`);
  const view = query.data && query.data.model === name && query.data.version === version ? query.data : undefined;
  return (
    <div className="lineage-tab" data-testid="lineage-tab">
      {query.error && <ErrorBanner error={query.error} context={`Could not load the lineage of ${name}@${version}`} onRetry={query.reload} />}
      {!view && query.loading && <Loading label="Loading lineage…" />}
      {view && <LineageBody view={view} />}
    </div>
  );
}

function LineageCompletenessPanel({ completeness }: { completeness: LineageCompleteness }) {
  const known = CHECKS.filter((c) => completeness[c.key]).length;
  return (
    <section className="panel lineage-completeness" aria-labelledby="lineage-completeness-h" data-testid="lineage-completeness">
      <h2 id="lineage-completeness-h" className="panel-title">
        Lineage completeness <span className="num muted">{known}/{CHECKS.length}</span>
      </h2>
      <ul className="lineage-checks">
        {CHECKS.map((c) => {
          const ok = completeness[c.key];
          return (
            <li key={c.key} data-check={c.key} data-state={ok ? 'known' : 'missing'}>
              <Status tone={ok ? 'ok' : 'bad'}>
                {c.label}: {ok ? 'known' : 'missing'}
              </Status>
              {!ok && <span className="muted check-note">{c.missing}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function LineageBody({ view }: { view: LineageView }) {
  const [selected, setSelected] = useState<string | null>(null);
  const node = selected ? view.nodes.find((n) => n.id === selected) : undefined;
  const empty = view.edges.length === 0 && view.nodes.filter((n) => n.id !== view.focus).length === 0;
  return (
    <>
      <LineageCompletenessPanel completeness={view.completeness} />
      {empty ? (
        <EmptyState title="No lineage yet" testId="lineage-empty">
          <p>
            Docket knows nothing yet about the data, runs or jobs behind <span className="mono">{view.model}@{view.version}</span>, nor where it is
            deployed.
          </p>
          <p>
            Import OpenLineage events with <code>{CLI_LINEAGE_IMPORT}</code> or sync MLflow runs with dataset inputs (see <a href="#/sources">Sources</a>).
          </p>
        </EmptyState>
      ) : (
        <div className="lineage-layout">
          <section className="panel lineage-graph-panel" aria-label="Lineage graph">
            <LineageGraph nodes={view.nodes} edges={view.edges} focus={view.focus} selected={selected} onSelect={setSelected} />
          </section>
          <aside className="panel lineage-side" aria-label="Selected node">
            {node ? (
              <NodePanel node={node} view={view} onSelect={setSelected} onClose={() => setSelected(null)} />
            ) : (
              <p className="muted no-margin">Select a node (click it, or Tab to it and press Enter) to see its kind, namespace, sources and facets.</p>
            )}
          </aside>
        </div>
      )}
    </>
  );
}

function Neighbours({ title, edges, view, other, onSelect }: { title: string; edges: LineageEdge[]; view: LineageView; other: (e: LineageEdge) => string; onSelect: (id: string) => void }) {
  const byId = useMemo(() => new Map(view.nodes.map((n) => [n.id, n])), [view.nodes]);
  if (edges.length === 0) return null;
  return (
    <>
      <dt>{title}</dt>
      <dd>
        <ul className="neighbour-list">
          {edges.map((e, i) => {
            const n = byId.get(other(e));
            return (
              <li key={i}>
                <span className="muted">{EDGE_KIND_LABELS[e.kind] ?? e.kind}</span>{' '}
                <button type="button" className="link-button" onClick={() => onSelect(other(e))}>
                  {n ? n.label : other(e)}
                </button>
              </li>
            );
          })}
        </ul>
      </dd>
    </>
  );
}

function NodePanel({ node, view, onSelect, onClose }: { node: LineageNode; view: LineageView; onSelect: (id: string) => void; onClose: () => void }) {
  const incoming = view.edges.filter((e) => e.to === node.id);
  const outgoing = view.edges.filter((e) => e.from === node.id);
  const facets = facetsText(node.facets);
  const facetCount = Object.keys(node.facets ?? {}).length;
  return (
    <section className="lineage-node-panel" data-testid="lineage-node-panel" aria-labelledby="lineage-node-h" data-node-id={node.id}>
      <div className="lineage-node-head">
        <h2 id="lineage-node-h" className="panel-title wrap">
          {node.label}
        </h2>
        <button type="button" className="btn btn-ghost" onClick={onClose} aria-label="Close node details">
          ✕
        </button>
      </div>
      <dl className="kv">
        <dt>Kind</dt>
        <dd data-testid="lineage-node-kind">
          <span aria-hidden="true">{NODE_KIND_GLYPHS[node.kind]} </span>
          {NODE_KIND_LABELS[node.kind] ?? node.kind}
          {node.id === view.focus && <span className="chip chip-alias node-focus-chip">this version</span>}
        </dd>
        <dt>Namespace</dt>
        <dd className="mono wrap">{node.namespace ?? <span className="muted">none</span>}</dd>
        <dt>Id</dt>
        <dd className="mono wrap">{node.id}</dd>
        <dt>Sources</dt>
        <dd>
          {node.sources.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            node.sources.map((s) => (
              <span key={s} className="chip">
                {s}
              </span>
            ))
          )}
        </dd>
        <Neighbours title="From" edges={incoming} view={view} other={(e) => e.from} onSelect={onSelect} />
        <Neighbours title="To" edges={outgoing} view={view} other={(e) => e.to} onSelect={onSelect} />
      </dl>
      <h3 className="block-title facets-title">
        Facets <span className="muted">{facetCount === 0 ? 'none' : `${facetCount} as the source gave them`}</span>
      </h3>
      {/* Untrusted: rendered as a text node, never as HTML. */}
      <pre className="facets" data-testid="lineage-node-facets" tabIndex={0}>
        {facets}
      </pre>
    </section>
  );
}
