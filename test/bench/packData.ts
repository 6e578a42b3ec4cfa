// Deterministic input files for the audit-pack benchmark: everything one model needs for a full pack,
// in the formats a user would import. The same options always give the same bytes.
//   - one Hugging Face README card per version (import each with fallbackVersion = its version);
//   - a confusion-count CSV `segment,tp,fp,tn,fn` for the latest version, one row per group;
//   - OpenLineage NDJSON: a training run per version, and around the latest version a feature
//     pipeline upstream (sources -> ingestion runs -> raw and reference tables -> feature runs ->
//     feature tables -> training run) and evaluations and deployments downstream (about 200 nodes);
//   - FOCUS 1.0 rows for every day, tagged `ml:model` with the model (plus some untagged shared rows);
//   - daily usage `day,model,requests,input_tokens,output_tokens` for the same days.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOCUS_BENCH_HEADER } from './focusData';
import { mulberry32 } from '../support/seededRandom';

export interface PackBenchOptions {
  model?: string;
  versions?: number;
  groups?: number;
  /** Feature tables read by the latest version's training run; the lineage graph grows about 4.3 nodes per feature. */
  features?: number;
  days?: number;
  /** First day of spend and usage, 'YYYY-MM-DD'. */
  firstDay?: string;
}

export interface PackBenchInputs {
  model: string;
  latestVersion: string;
  /** One folder per version, in version order: import each with its fallbackVersion. */
  cards: { version: string; dir: string }[];
  fairnessCsv: string;
  lineageNdjson: string;
  focusCsv: string;
  usageCsv: string;
  firstDay: string;
  lastDay: string;
}

const DAY_MS = 86_400_000;
const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const AIRFLOW = 'https://github.com/OpenLineage/OpenLineage/tree/1.22.0/integration/airflow';
const SPARK = 'https://github.com/OpenLineage/OpenLineage/tree/1.22.0/integration/spark';
const MLFLOW = 'https://github.com/OpenLineage/OpenLineage/tree/1.22.0/integration/mlflow';
const DEPLOYER = 'https://github.com/example-org/ml-platform/tree/v3.4.1/deployer';
const FACETS = 'https://openlineage.io/spec/facets';

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 4 }, () => Math.floor(random() * 0x100000000).toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function dayOf(firstDay: string, offset: number): string {
  return new Date(Date.parse(`${firstDay}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);
}

/** A Hugging Face README card for one version, with every governance section a high-risk tier asks for. */
export function packBenchCard(model: string, version: number, released: string): string {
  const accuracy = (0.81 + version * 0.004).toFixed(3);
  const auc = (0.86 + version * 0.003).toFixed(3);
  return `---
language:
- en
license: other
license_name: bench-internal-use
library_name: xgboost
pipeline_tag: tabular-classification
tags:
- "team:credit-risk"
- "risk-tier:high"
- "domain:lending"
- "lifecycle:production"
datasets:
- ${model}-train-v${version}
- ${model}-holdout-v${version}
metrics:
- accuracy
- roc_auc
model-index:
- name: ${model}
  results:
  - task:
      type: tabular-classification
      name: Tabular Classification
    dataset:
      type: ${model}-holdout-v${version}
      name: ${model}-holdout-v${version}
      split: test
    metrics:
    - type: accuracy
      value: ${accuracy}
      name: "Accuracy"
    - type: roc_auc
      value: ${auc}
      name: "ROC AUC"
---

# Credit scoring model (v${version})

Model card for \`${model}\` version ${version}, generated for the audit-pack benchmark.

## Model Details

### Model Description

Estimates the probability that a retail credit applicant defaults within twelve months. Version ${version}
retrains on the latest quarter of applications and adds ${version} engineered features.

- **Developed by:** Credit Risk Analytics, Bench Bank
- **Model type:** gradient-boosted trees, calibrated with isotonic regression
- **Released:** ${released}
- **Changes since v${Math.max(1, version - 1)}:** retrained on fresh data; feature set revised.
- **License:** internal use only

## Uses

### Direct Use

Ranks applications for manual underwriting. An underwriter makes every decision.

### Downstream Use

Scores feed the monthly portfolio risk report.

### Out-of-Scope Use

Must not decline an application on its own, set prices, or be used for applicants outside the retail book.

## Bias, Risks, and Limitations

Thin-file applicants (young or recently arrived customers) are scored with less certainty; their
approval rates are monitored by segment every month. Labels reflect past lending decisions.

## Training Details

### Training Data

${model}-train-v${version}: applications from the last eight quarters with twelve-month outcomes.

## Evaluation

### Testing Data, Factors & Metrics

${model}-holdout-v${version}, a time-based holdout of the latest quarter, evaluated by applicant segment.

### Results

Accuracy ${accuracy}, ROC AUC ${auc}.

## Model Card Authors

Dana Whitfield (dana.whitfield@bench.example)

## Model Card Contact

credit-risk-ml@bench.example
`;
}

/** Confusion counts per group: equal-sized groups (each above the policy's 2 % share), rates drifting a little. */
export function packBenchFairnessCsv(groups: number): string {
  const random = mulberry32(0xfa1e);
  const lines = ['segment,tp,fp,tn,fn'];
  for (let g = 0; g < groups; g++) {
    const n = 2_000 + Math.floor(random() * 400);
    const positives = Math.round(n * (0.18 + random() * 0.04));
    const tp = Math.round(positives * (0.78 + random() * 0.06));
    const fp = Math.round((n - positives) * (0.07 + random() * 0.03));
    lines.push(`segment-${String(g + 1).padStart(2, '0')},${tp},${fp},${n - positives - fp},${positives - tp}`);
  }
  return `${lines.join('\n')}\n`;
}

/** OpenLineage events: one training run per version, and the latest version's whole neighbourhood. */
export function packBenchLineageNdjson(model: string, versions: number, features: number, firstDay: string): string {
  const random = mulberry32(0x11ea9e);
  const lines: string[] = [];
  let clock = Date.parse(`${firstDay}T06:00:00Z`);
  const at = (minutes: number): string => {
    clock += Math.round(minutes * 60_000 + random() * 30_000);
    return new Date(clock).toISOString();
  };
  const facet = (producer: string, schema: string, body: Record<string, unknown>) => ({ _producer: producer, _schemaURL: `${FACETS}/${schema}`, ...body });
  const ds = (namespace: string, name: string, facets: Record<string, unknown> = {}) => ({ namespace, name, facets });
  const modelDataset = (version: number) =>
    ds('mlflow', `models:/${model}/${version}`, { version: facet(MLFLOW, '1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet', { datasetVersion: String(version) }) });
  /** A run as START then COMPLETE; inputs and outputs on both, as integrations send them. */
  const run = (producer: string, job: { namespace: string; name: string; facets?: Record<string, unknown> }, inputs: unknown[], outputs: unknown[], minutes: number) => {
    const runId = uuidFrom(random);
    const base = { producer, schemaURL: SCHEMA_URL, run: { runId, facets: {} }, job: { facets: {}, ...job }, inputs, outputs };
    lines.push(JSON.stringify({ eventTime: at(1), eventType: 'START', ...base }));
    lines.push(JSON.stringify({ eventTime: at(minutes), eventType: 'COMPLETE', ...base }));
  };
  const codeLocation = (path: string) => ({
    sourceCodeLocation: facet(AIRFLOW, '1-0-1/SourceCodeLocationJobFacet.json#/$defs/SourceCodeLocationJobFacet', {
      type: 'git',
      url: `https://github.com/example-org/${model}`,
      repoUrl: `https://github.com/example-org/${model}.git`,
      path,
      version: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0',
      branch: 'main',
    }),
  });
  const schema = (fields: number) =>
    facet(SPARK, '1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet', {
      fields: Array.from({ length: fields }, (_, f) => ({ name: `col_${f}`, type: f === 0 ? 'STRING' : 'DOUBLE' })),
    });

  const featureCount = Math.max(1, features);
  const rawCount = featureCount;
  const referenceCount = Math.max(1, Math.ceil(featureCount / 2));
  const ingestionCount = Math.max(1, Math.ceil(rawCount / 2));
  const sourceCount = Math.max(1, Math.ceil(ingestionCount / 2));
  const featureTables = Array.from({ length: featureCount }, (_, i) => ds('s3://bench-features', `features/${model}/f${i}`, { schema: schema(3 + (i % 6)) }));
  const rawTables = Array.from({ length: rawCount }, (_, i) => ds('s3://bench-raw', `raw/applications/part-${i}`, { schema: schema(12) }));
  const referenceTables = Array.from({ length: referenceCount }, (_, i) => ds('postgres://refdata:5432', `refdata.public.table_${i}`));
  const sources = Array.from({ length: sourceCount }, (_, i) => ds('kafka://events:9092', `applications.topic-${i}`));

  // Upstream of the feature tables: ingestion writes raw tables from sources; feature runs join raw and reference tables.
  for (let j = 0; j < ingestionCount; j++) {
    const outputs = rawTables.slice(2 * j, 2 * j + 2);
    run(SPARK, { namespace: 'ingestion', name: `ingest_applications_${j}` }, [sources[j % sourceCount]], outputs, 20);
  }
  for (let i = 0; i < featureCount; i++) {
    run(SPARK, { namespace: 'features', name: `build_feature_f${i}`, facets: codeLocation(`features/f${i}.py`) }, [rawTables[i], referenceTables[i % referenceCount]], [featureTables[i]], 15);
  }
  // One training run per version; each version reads a growing share of the features, the latest all of them.
  for (let v = 1; v <= versions; v++) {
    const reads = v === versions ? featureTables : featureTables.slice(0, Math.max(1, Math.round((featureCount * v) / versions)));
    run(MLFLOW, { namespace: 'ml-training', name: `train_${model}`, facets: codeLocation('training/train.py') }, reads, [modelDataset(v)], 60);
  }
  // Downstream of the latest version: evaluations on segment holdouts, and deployments.
  const latest = modelDataset(versions);
  for (let k = 0; k < 8; k++) {
    const holdout = ds('s3://bench-eval', `holdout/${model}/slice-${k}`);
    run(AIRFLOW, { namespace: 'ml-evaluation', name: `evaluate_${model}_slice_${k}` }, [holdout, latest], [ds('s3://bench-eval', `evaluations/${model}/${versions}/slice-${k}`)], 8);
  }
  for (const region of ['eu-west-1', 'us-east-1']) {
    run(DEPLOYER, { namespace: 'ml-serving', name: `deploy_${model}_${region}` }, [latest], [ds(`serving-${region}`, `endpoints:/${model}`)], 4);
  }
  return `${lines.join('\n')}\n`;
}

/** An integer count of 1e-10 units as a decimal string with 10 places. */
function decimal(units: number): string {
  const sign = units < 0 ? '-' : '';
  const s = String(Math.abs(units)).padStart(11, '0');
  return `${sign}${s.slice(0, -10)}.${s.slice(-10)}`;
}

const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

const PACK_SERVICES = [
  { name: 'Amazon SageMaker', category: 'AI and Machine Learning', unit: 'Hrs', usage: 'USE1-Host:ml.m5.xlarge', desc: 'ml.m5.xlarge hosting instance hour', tagged: true },
  { name: 'Amazon Elastic Compute Cloud', category: 'Compute', unit: 'Hrs', usage: 'BoxUsage:g5.2xlarge', desc: 'g5.2xlarge On Demand Linux hour', tagged: true },
  { name: 'Amazon Simple Storage Service', category: 'Storage', unit: 'GB-Mo', usage: 'TimedStorage-ByteHrs', desc: 'Standard storage GB-month', tagged: true },
  { name: 'AmazonCloudWatch', category: 'Management and Governance', unit: 'Metrics', usage: 'CW:MetricMonitorUsage', desc: 'metric-month', tagged: false },
];

/** FOCUS 1.0 rows: per day, one row per service; the model's services carry `ml:model`, the rest are shared. */
export function packBenchFocusCsv(model: string, days: number, firstDay: string): string {
  const random = mulberry32(0xf0c5);
  const start = Date.parse(`${firstDay}T00:00:00Z`);
  const lines = [FOCUS_BENCH_HEADER.join(',')];
  for (let d = 0; d < days; d++) {
    for (const service of PACK_SERVICES) {
      const startMs = start + d * DAY_MS;
      const date = new Date(startMs);
      const billingStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
      const billingEnd = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
      const listUnits = Math.floor((5 + random() * 40) * 1e10);
      const effectiveUnits = Math.round(listUnits * 0.8);
      const quantityUnits = Math.floor(random() * 24e10) + 1;
      const tags = service.tagged ? { 'ml:model': model, team: 'credit-risk' } : { team: 'platform' };
      const account = '111122223333';
      lines.push(
        [
          decimal(listUnits),
          '"123456789012"',
          '"Bench Bank"',
          '"USD"',
          quote(stamp(billingEnd)),
          quote(stamp(billingStart)),
          '"Usage"',
          'NULL',
          quote(service.desc),
          quote(stamp(startMs + DAY_MS)),
          quote(stamp(startMs)),
          decimal(quantityUnits),
          decimal(listUnits),
          decimal(effectiveUnits),
          '"Amazon Web Services, Inc."',
          decimal(listUnits),
          decimal(quantityUnits),
          quote(service.unit),
          '"AWS"',
          '"Amazon Web Services, Inc."',
          '"us-east-1"',
          quote(`arn:aws:sagemaker:us-east-1:${account}:endpoint/${service.tagged ? model : 'shared'}`),
          quote(service.category),
          quote(service.name),
          quote(account),
          quote(JSON.stringify(tags)),
          quote(service.usage),
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function packBenchUsageCsv(model: string, days: number, firstDay: string): string {
  const random = mulberry32(0x05a9e);
  const lines = ['day,model,requests,input_tokens,output_tokens'];
  for (let d = 0; d < days; d++) lines.push(`${dayOf(firstDay, d)},${model},${40_000 + Math.floor(random() * 20_000)},,`);
  return `${lines.join('\n')}\n`;
}

/** Writes every input file under `dir` and says where each is. */
export function writePackBenchInputs(dir: string, options: PackBenchOptions = {}): PackBenchInputs {
  const model = options.model ?? 'bench-credit-scorer';
  const versions = Math.max(1, options.versions ?? 20);
  const groups = Math.max(2, options.groups ?? 40);
  const features = Math.max(1, options.features ?? 40);
  const days = Math.max(1, options.days ?? 365);
  const firstDay = options.firstDay ?? '2025-01-01';
  const lastDay = dayOf(firstDay, days - 1);
  mkdirSync(dir, { recursive: true });

  const cards: PackBenchInputs['cards'] = [];
  for (let v = 1; v <= versions; v++) {
    const cardDir = join(dir, 'cards', `v${v}`, model);
    mkdirSync(cardDir, { recursive: true });
    writeFileSync(join(cardDir, 'README.md'), packBenchCard(model, v, dayOf(firstDay, Math.floor(((days - 1) * (v - 1)) / Math.max(1, versions - 1)))));
    cards.push({ version: String(v), dir: join(dir, 'cards', `v${v}`) });
  }
  const fairnessCsv = join(dir, `${model}-v${versions}.confusion.csv`);
  writeFileSync(fairnessCsv, packBenchFairnessCsv(groups));
  const lineageNdjson = join(dir, 'lineage.ndjson');
  writeFileSync(lineageNdjson, packBenchLineageNdjson(model, versions, features, firstDay));
  const focusCsv = join(dir, 'focus.csv');
  writeFileSync(focusCsv, packBenchFocusCsv(model, days, firstDay));
  const usageCsv = join(dir, 'usage.csv');
  writeFileSync(usageCsv, packBenchUsageCsv(model, days, firstDay));
  return { model, latestVersion: String(versions), cards, fairnessCsv, lineageNdjson, focusCsv, usageCsv, firstDay, lastDay };
}
