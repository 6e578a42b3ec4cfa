/** The lineage graph around a model version: where it came from and what it feeds. */

export type LineageNodeKind = 'dataset' | 'job' | 'run' | 'model_version' | 'deployment';

export interface LineageNode {
  /** Stable key, e.g. "dataset:s3://bucket|transactions", "run:<uuid>", "model:fraud@3". */
  id: string;
  kind: LineageNodeKind;
  label: string;
  namespace: string | null;
  /** Facets as the source gave them (OpenLineage facets, MLflow dataset fields), uninterpreted. */
  facets: Record<string, unknown>;
  /** Where Docket learned of it: "openlineage", "mlflow". */
  sources: string[];
}

export type LineageEdgeKind = 'input' | 'output' | 'produced' | 'evaluated' | 'deployed' | 'parent';

export interface LineageEdge {
  from: string;
  to: string;
  kind: LineageEdgeKind;
}

export interface LineageCompleteness {
  trainingData: boolean;
  evaluationData: boolean;
  producingRun: boolean;
  codeLocation: boolean;
}

export interface LineageView {
  model: string;
  version: string;
  /** The node of this model version. */
  focus: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
  completeness: LineageCompleteness;
}

export interface AliasPlacementView {
  kind: 'alias' | 'stage';
  name: string;
  version: string;
  firstSeenAt: string;
  lastSeenAt: string;
  endedAt: string | null;
}

export interface SyncRunView {
  id: number;
  kind: string;
  source: string | null;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'ok' | 'failed';
  added: number;
  unchanged: number;
  rejected: number;
  /** Models whose registry entry changed, for registry syncs. */
  changed: number | null;
  requests: number | null;
  error: string | null;
}
