// Deterministic OpenLineage RunEvents as NDJSON, for benchmarks of the lineage import.
// The same (count, options) always gives the same text.
//
// Each cycle is one model version going through an ML pipeline run (a parent run facet links each job run
// to its pipeline run):
//   train    START, then COMPLETE (about 1 in 20 FAIL and end the cycle): reads the model's training features,
//            writes the model as `models:/<model>/<version>` in namespace `mlflow`;
//   evaluate START, COMPLETE: reads the holdout set and the model, writes an evaluation dataset;
//   deploy   START, COMPLETE (about 7 in 10 evaluated versions): reads the model, writes the serving endpoint.
// The text is cut at `count` events, wherever the cycle stands.
import { mulberry32 } from '../support/seededRandom';

const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const AIRFLOW = 'https://github.com/OpenLineage/OpenLineage/tree/1.22.0/integration/airflow';
const MLFLOW = 'https://github.com/OpenLineage/OpenLineage/tree/1.22.0/integration/mlflow';
const DEPLOYER = 'https://github.com/example-org/ml-platform/tree/v3.4.1/deployer';
const FACETS = 'https://openlineage.io/spec/facets';
const DATA_NS = 's3://ml-data';
const DOMAINS = ['fraud-detector', 'credit-risk', 'churn', 'claims-triage', 'demand-forecast', 'doc-classifier', 'ranker', 'anomaly'];

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 4 }, () => Math.floor(random() * 0x100000000).toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function facet(producer: string, schema: string, body: Record<string, unknown>): Record<string, unknown> {
  return { _producer: producer, _schemaURL: `${FACETS}/${schema}`, ...body };
}

function modelName(i: number): string {
  const domain = DOMAINS[i % DOMAINS.length] ?? 'model';
  return i < DOMAINS.length ? domain : `${domain}-${Math.floor(i / DOMAINS.length) + 1}`;
}

export function generateOpenLineageNdjson(count: number, options: { models?: number } = {}): string {
  const models = Math.max(1, Math.floor(options.models ?? 50));
  const random = mulberry32(0x0d0c4e7);
  const versions = new Array<number>(models).fill(0);
  const lines: string[] = [];
  let clock = Date.UTC(2024, 0, 1, 6, 0, 0);
  let cycle = 0;

  const emit = (event: Record<string, unknown>): boolean => {
    if (lines.length >= count) return false;
    lines.push(JSON.stringify(event));
    return lines.length < count;
  };
  const at = (minutes: number): string => {
    clock += Math.round(minutes * 60_000 + random() * 30_000);
    return new Date(clock).toISOString();
  };

  while (lines.length < count) {
    const m = cycle % models;
    const model = modelName(m);
    const version = ++versions[m]!;
    const pipelineRun = uuidFrom(random);
    const parent = facet(AIRFLOW, '1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet', {
      run: { runId: pipelineRun },
      job: { namespace: 'airflow', name: `${model}_pipeline` },
    });
    const jobType = (producer: string, type: string, integration: string) =>
      facet(producer, '2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet', { processingType: 'BATCH', integration, jobType: type });
    const event = (
      eventType: string,
      eventTime: string,
      producer: string,
      runId: string,
      job: Record<string, unknown>,
      inputs: unknown[],
      outputs: unknown[],
      runFacets: Record<string, unknown> = {},
    ) => ({ eventTime, eventType, producer, schemaURL: SCHEMA_URL, run: { runId, facets: { parent, ...runFacets } }, job, inputs, outputs });

    const modelDataset = {
      namespace: 'mlflow',
      name: `models:/${model}/${version}`,
      facets: { version: facet(MLFLOW, '1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet', { datasetVersion: String(version) }) },
    };
    const trainingSet = {
      namespace: DATA_NS,
      name: `features/${model}/train`,
      facets: {
        schema: facet(AIRFLOW, '1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet', {
          fields: Array.from({ length: 4 + (m % 5) }, (_, f) => ({ name: `feature_${f}`, type: f === 0 ? 'STRING' : 'DOUBLE' })),
        }),
        version: facet(AIRFLOW, '1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet', { datasetVersion: `snapshot-${cycle}` }),
      },
    };
    const holdout = { namespace: DATA_NS, name: `holdout/${model}`, facets: {} };

    // train
    const trainRun = uuidFrom(random);
    const trainJob = { namespace: 'ml-training', name: `train_${model}`, facets: { jobType: jobType(MLFLOW, 'TRAINING', 'MLFLOW') } };
    if (!emit(event('START', at(5), MLFLOW, trainRun, trainJob, [trainingSet], []))) break;
    const failed = random() < 0.05;
    if (failed) {
      const errorMessage = facet(MLFLOW, '1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet', {
        message: 'CUDA out of memory',
        programmingLanguage: 'python',
      });
      if (!emit(event('FAIL', at(40), MLFLOW, trainRun, trainJob, [trainingSet], [], { errorMessage }))) break;
      cycle++;
      continue;
    }
    if (!emit(event('COMPLETE', at(60), MLFLOW, trainRun, trainJob, [trainingSet], [modelDataset]))) break;

    // evaluate
    const evalRun = uuidFrom(random);
    const evalJob = { namespace: 'ml-evaluation', name: `evaluate_${model}`, facets: { jobType: jobType(AIRFLOW, 'EVALUATION', 'AIRFLOW') } };
    const rows = 5_000 + Math.floor(random() * 50_000);
    const holdoutRead = {
      ...holdout,
      inputFacets: {
        dataQualityMetrics: facet(AIRFLOW, '1-0-2/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet', {
          rowCount: rows,
          columnMetrics: { label: { nullCount: 0, distinctCount: 2 } },
        }),
      },
    };
    const evaluation = {
      namespace: DATA_NS,
      name: `evaluations/${model}/${version}`,
      facets: {},
      outputFacets: { outputStatistics: facet(AIRFLOW, '1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet', { rowCount: rows }) },
    };
    if (!emit(event('START', at(3), AIRFLOW, evalRun, evalJob, [holdout, modelDataset], []))) break;
    if (!emit(event('COMPLETE', at(8), AIRFLOW, evalRun, evalJob, [holdoutRead, modelDataset], [evaluation]))) break;

    // deploy
    if (random() < 0.7) {
      const deployRun = uuidFrom(random);
      const deployJob = { namespace: 'ml-serving', name: `deploy_${model}`, facets: { jobType: jobType(DEPLOYER, 'DEPLOYMENT', 'CUSTOM') } };
      const endpoint = { namespace: 'serving', name: `endpoints/${model}`, facets: {} };
      if (!emit(event('START', at(2), DEPLOYER, deployRun, deployJob, [modelDataset], []))) break;
      if (!emit(event('COMPLETE', at(4), DEPLOYER, deployRun, deployJob, [modelDataset], [endpoint]))) break;
    }
    cycle++;
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
