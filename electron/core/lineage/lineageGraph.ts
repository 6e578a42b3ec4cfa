import type { Database } from 'better-sqlite3';
import type { LineageCompleteness, LineageEdge, LineageNode, LineageView } from '../../../shared/domain/lineage';
import type { RegistryModelVersion } from '../../../shared/domain/registry';
import { DocketError } from '../../../shared/ipc/result';
import { modelKey } from './lineageKeys';
import { prepared } from '../policy/statementCache';

/** Enough for any real model's neighbourhood; the graph view stays readable. */
const MAX_NODES = 400;

/** Tags MLflow sets on a run that say where its code lives. */
const MLFLOW_CODE_TAGS = ['mlflow.source.git.commit', 'mlflow.source.git.repoURL', 'mlflow.source.name'];
/** OpenLineage job facets that say where the code lives. */
const OPENLINEAGE_CODE_FACETS = ['sourceCodeLocation', 'sourceCode'];

interface NodeRow {
  id: number;
  key: string;
  kind: LineageNode['kind'];
  label: string;
  namespace: string | null;
  facets_json: string;
}

/**
 * The lineage of one model version: everything upstream of it (runs, their inputs, their inputs'
 * producers) and downstream (evaluations, deployments), from OpenLineage events and from the
 * MLflow registry's run dataset inputs, in one graph.
 */
export function lineageView(db: Database, name: string, version: string): LineageView {
  const versionRow = prepared(db, 'SELECT v.id, v.registry_json FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ? AND v.version = ?').get(name, version) as
    | { id: number; registry_json: string | null }
    | undefined;
  if (!versionRow) throw new DocketError('NOT_FOUND', `No model version ${name}@${version}`);
  const focus = modelKey(name, version);
  const nodes = new Map<string, LineageNode>();
  const edges: LineageEdge[] = [];
  const edgeKeys = new Set<string>();
  const addEdge = (from: string, to: string, kind: LineageEdge['kind']) => {
    const key = `${from}\u0000${to}\u0000${kind}`;
    if (!edgeKeys.has(key)) {
      edgeKeys.add(key);
      edges.push({ from, to, kind });
    }
  };
  nodes.set(focus, { id: focus, kind: 'model_version', label: `${name} v${version}`, namespace: null, facets: {}, sources: [] });

  collectFromOpenLineage(db, focus, nodes, addEdge);
  const registry = versionRow.registry_json ? (JSON.parse(versionRow.registry_json) as Omit<RegistryModelVersion, 'aliases'>) : null;
  if (registry?.run) addMlflowRun(registry, focus, nodes, addEdge);

  return { model: name, version, focus, nodes: [...nodes.values()], edges, completeness: completenessOf(focus, nodes, edges) };
}

/** Walks stored edges upstream and downstream from the focus, each direction on its own. */
function collectFromOpenLineage(db: Database, focus: string, nodes: Map<string, LineageNode>, addEdge: (from: string, to: string, kind: LineageEdge['kind']) => void): void {
  const start = prepared(db, 'SELECT id, key, kind, label, namespace, facets_json FROM lineage_nodes WHERE key = ?').get(focus) as NodeRow | undefined;
  if (!start) return;
  const byId = prepared(db, 'SELECT id, key, kind, label, namespace, facets_json FROM lineage_nodes WHERE id = ?');
  const upstream = prepared(db, 'SELECT from_id AS other, kind FROM lineage_edges WHERE to_id = ?');
  const downstream = prepared(db, 'SELECT to_id AS other, kind FROM lineage_edges WHERE from_id = ?');
  const rows = new Map<number, NodeRow>([[start.id, start]]);
  const remember = (row: NodeRow) => {
    rows.set(row.id, row);
    if (!nodes.has(row.key)) nodes.set(row.key, { id: row.key, kind: row.kind, label: row.label, namespace: row.namespace, facets: JSON.parse(row.facets_json) as Record<string, unknown>, sources: ['openlineage'] });
    else nodes.get(row.key)!.sources.push('openlineage');
  };
  remember(start);
  for (const direction of ['up', 'down'] as const) {
    const queue = [start.id];
    const visited = new Set<number>([start.id]);
    while (queue.length > 0 && nodes.size < MAX_NODES) {
      const current = queue.shift()!;
      const next = (direction === 'up' ? upstream : downstream).all(current) as { other: number; kind: LineageEdge['kind'] }[];
      for (const { other, kind } of next) {
        const row = rows.get(other) ?? (byId.get(other) as NodeRow);
        remember(row);
        const here = rows.get(current)!.key;
        if (direction === 'up') addEdge(row.key, here, kind);
        else addEdge(here, row.key, kind);
        if (!visited.has(other)) {
          visited.add(other);
          queue.push(other);
        }
      }
    }
  }
  // Runs that read the model (evaluations, deployments) also read other data: the evaluation set.
  // One step upstream from each of them, no further, keeps the graph about this model.
  for (const { other } of downstream.all(start.id) as { other: number }[]) {
    const consumer = rows.get(other);
    if (consumer?.kind !== 'run') continue;
    for (const { other: input, kind } of upstream.all(other) as { other: number; kind: LineageEdge['kind'] }[]) {
      const row = rows.get(input) ?? (byId.get(input) as NodeRow);
      remember(row);
      addEdge(row.key, consumer.key, kind);
    }
  }
}

/** The MLflow run that produced the version, and its dataset inputs, as graph nodes. */
function addMlflowRun(
  registry: Omit<RegistryModelVersion, 'aliases'>,
  focus: string,
  nodes: Map<string, LineageNode>,
  addEdge: (from: string, to: string, kind: LineageEdge['kind']) => void,
): void {
  const run = registry.run!;
  const runNode = `run:mlflow:${run.runId}`;
  nodes.set(runNode, {
    id: runNode,
    kind: 'run',
    label: `MLflow run ${run.runId.slice(0, 8)}`,
    namespace: 'mlflow',
    facets: { params: run.params, metrics: run.metrics, tags: run.tags, status: run.status, source: registry.source },
    sources: ['mlflow'],
  });
  addEdge(runNode, focus, 'produced');
  for (const input of run.datasetInputs) {
    const key = `dataset:${input.sourceType ?? 'mlflow'}|${input.name}`;
    if (!nodes.has(key)) nodes.set(key, { id: key, kind: 'dataset', label: input.name, namespace: input.sourceType, facets: {}, sources: [] });
    const node = nodes.get(key)!;
    node.sources.push('mlflow');
    node.facets = { ...node.facets, mlflow: { digest: input.digest, source: input.source, context: input.context } };
    if (input.context === 'evaluation') addEdge(key, focus, 'evaluated');
    else addEdge(key, runNode, 'input');
  }
}

function completenessOf(focus: string, nodes: Map<string, LineageNode>, edges: LineageEdge[]): LineageCompleteness {
  const producers = edges.filter((e) => e.to === focus && e.kind === 'produced').map((e) => e.from);
  const isDataset = (key: string) => nodes.get(key)?.kind === 'dataset';
  const trainingData = edges.some((e) => producers.includes(e.to) && isDataset(e.from));
  // Evaluation data: a dataset marked as evaluation input, or a run that reads the model and a dataset.
  const evaluators = edges.filter((e) => e.from === focus && nodes.get(e.to)?.kind === 'run').map((e) => e.to);
  const evaluationData = edges.some((e) => e.kind === 'evaluated' && e.to === focus) || edges.some((e) => evaluators.includes(e.to) && isDataset(e.from));
  const codeLocation = producers.some((key) => {
    const facets = nodes.get(key)?.facets ?? {};
    const job = (facets.job ?? {}) as Record<string, unknown>;
    const tags = (facets.tags ?? []) as { key: string }[];
    return OPENLINEAGE_CODE_FACETS.some((f) => f in job) || (Array.isArray(tags) && tags.some((t) => MLFLOW_CODE_TAGS.includes(t.key)));
  });
  return { trainingData, evaluationData, producingRun: producers.length > 0, codeLocation };
}
