/**
 * How a lineage entity is named in the graph. OpenLineage identifies datasets by (namespace, name);
 * a dataset that names a registered model (`models:/<name>/<version>`, MLflow's URI scheme) is that
 * model version, and one that names a serving endpoint is a deployment.
 */
export type NodeKind = 'dataset' | 'job' | 'run' | 'model_version' | 'deployment';

export interface NodeIdentity {
  key: string;
  kind: NodeKind;
  label: string;
  namespace: string | null;
  model: { name: string; version: string } | null;
}

const MODEL_URI = /^models:\/(.+)\/([^/]+)$/;

export function modelKey(name: string, version: string): string {
  return `model:${name}@${version}`;
}

export function runKey(runId: string): string {
  return `run:${runId}`;
}

export function datasetIdentity(namespace: string, name: string): NodeIdentity {
  const model = MODEL_URI.exec(name);
  if (model?.[1] && model[2]) {
    return { key: modelKey(model[1], model[2]), kind: 'model_version', label: `${model[1]} v${model[2]}`, namespace, model: { name: model[1], version: model[2] } };
  }
  if (name.startsWith('endpoints:/') || namespace.startsWith('serving')) {
    return { key: `deployment:${namespace}|${name}`, kind: 'deployment', label: name.replace(/^endpoints:\//, ''), namespace, model: null };
  }
  return { key: `dataset:${namespace}|${name}`, kind: 'dataset', label: name, namespace, model: null };
}
