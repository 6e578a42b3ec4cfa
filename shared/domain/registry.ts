/**
 * What Docket reads from a model registry (MLflow REST 2.0), normalised. A sync fetches a
 * RegistrySnapshot, then compares it with the store and records every change it sees as history.
 */

export interface RegistryTag {
  key: string;
  value: string;
}

export interface RunDatasetInput {
  name: string;
  digest: string | null;
  source: string | null;
  sourceType: string | null;
  /** From the input's tag `mlflow.data.context`: "training", "evaluation", ... or null. */
  context: string | null;
}

export interface RegistryRun {
  runId: string;
  experimentId: string | null;
  status: string | null;
  startTime: number | null;
  endTime: number | null;
  params: RegistryTag[];
  metrics: { key: string; value: number; step: number | null; timestamp: number | null }[];
  tags: RegistryTag[];
  datasetInputs: RunDatasetInput[];
}

export interface RegistryModelVersion {
  version: string;
  status: string | null; // READY, PENDING_REGISTRATION, FAILED_REGISTRATION
  /** Legacy stage: None, Staging, Production, Archived. */
  currentStage: string | null;
  description: string | null;
  source: string | null;
  runId: string | null;
  runLink: string | null;
  userId: string | null;
  createdAt: number | null; // epoch ms, as MLflow gives them
  updatedAt: number | null;
  tags: RegistryTag[];
  aliases: string[];
  /** The producing run, when run_id is set and runs/get answered. */
  run: RegistryRun | null;
}

export interface RegistryModel {
  name: string;
  description: string | null;
  createdAt: number | null;
  updatedAt: number | null;
  tags: RegistryTag[];
  /** alias -> version */
  aliases: { alias: string; version: string }[];
  versions: RegistryModelVersion[];
}

export interface RegistrySnapshot {
  /** The server's base URL, without credentials. */
  url: string;
  models: RegistryModel[];
  /** HTTP requests the fetch made, by endpoint (for the sync run's record). */
  requests: Record<string, number>;
  /** Problems that did not stop the fetch, e.g. a version whose run was deleted (runs/get answered 404). */
  warnings?: string[];
}
