import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { extname } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ImportResult } from '../../../shared/ipc/contract';
import { collectInputFiles } from '../collectInputFiles';
import { InputFileError } from '../inputFileError';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { finishRun, recordRejectedRun, startRun } from '../store/syncRuns';
import { datasetIdentity, runKey, type NodeIdentity } from './lineageKeys';
import { parseOpenLineageFile, type OpenLineageRunEvent } from './parseOpenLineage';

const LINEAGE_FILES = {
  accept: (name: string) => ['.json', '.ndjson', '.jsonl'].includes(extname(name).toLowerCase()),
  nothingFound: 'no OpenLineage events (*.json, *.ndjson, *.jsonl) found',
};

/** Run facets that carry the MLflow run id, as OpenLineage integrations write it. */
const MLFLOW_RUN_ID_FIELDS = ['mlflowRunId', 'mlflow_run_id', 'mlflow.runId'];

/**
 * Imports OpenLineage RunEvents, all or nothing: every file is parsed first; then one transaction
 * keeps each file as received, records each event (re-importing one is a no-op) and merges new
 * events into the lineage graph.
 */
export function importLineage(store: Store, paths: readonly string[], options: { actor: string; clock: Clock }): ImportResult & { events: number } {
  const db = store.db;
  const at = isoNow(options.clock);
  const { files, rejections } = collectInputFiles(paths, LINEAGE_FILES);
  const parsed: { path: string; bytes: Buffer; events: OpenLineageRunEvent[] }[] = [];
  for (const file of files) {
    try {
      const bytes = readFileSync(file.path);
      parsed.push({ path: file.path, bytes, events: parseOpenLineageFile({ path: file.path, bytes }) });
    } catch (err) {
      if (err instanceof InputFileError) rejections.push({ file: file.path, location: err.location, reason: err.reason });
      else rejections.push({ file: file.path, location: 'file', reason: (err as Error).message });
    }
  }
  if (rejections.length > 0) {
    const syncRunId = recordRejectedRun(db, 'lineage', paths, rejections, options.actor, at);
    return { imported: 0, unchanged: 0, rejected: rejections, syncRunId, events: 0 };
  }
  return db
    .transaction(() => {
      const syncRunId = startRun(db, 'lineage', at, paths);
      const writer = new GraphWriter(db);
      const insertFile = db.prepare('INSERT INTO lineage_files (path, sha256, gzip, imported_at, sync_run_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING');
      const fileId = db.prepare('SELECT id FROM lineage_files WHERE sha256 = ?');
      const insertEvent = db.prepare(
        `INSERT INTO lineage_events (run_id, event_type, event_time, job_namespace, job_name, file_id, location)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      );
      let imported = 0;
      let unchanged = 0;
      let total = 0;
      for (const file of parsed) {
        const sha256 = createHash('sha256').update(file.bytes).digest('hex');
        // Level 1: event logs compress about tenfold even so, at a fraction of the default's time.
        insertFile.run(file.path, sha256, gzipSync(file.bytes, { level: 1 }), at, syncRunId);
        const id = (fileId.get(sha256) as { id: number }).id;
        for (const event of file.events) {
          total += 1;
          if (insertEvent.run(event.run.runId, event.eventType, event.eventTime, event.job.namespace, event.job.name, id, event.location).changes === 0) {
            unchanged += 1;
            continue;
          }
          imported += 1;
          writer.addEvent(event);
        }
      }
      writer.flush();
      finishRun(db, syncRunId, 'ok', { imported, unchanged, rejected: 0 }, { events: total }, at);
      appendAudit(db, { actor: options.actor, action: 'lineage.import', subject: `sync_run:${syncRunId}`, detail: { paths, imported, unchanged } }, at);
      return { imported, unchanged, rejected: [], syncRunId, events: total };
    })
    .immediate();
}

/** Merges events into lineage_nodes / lineage_edges with prepared statements and a key -> id cache. */
class GraphWriter {
  private readonly ids = new Map<string, number>();
  /** Facets gathered per node during the import, written once at the end (later events win per facet). */
  private readonly facets = new Map<number, Record<string, unknown>>();
  private readonly upsertNode;
  private readonly selectNode;
  private readonly mergeFacets;
  private readonly insertEdge;
  private readonly findVersion;
  private readonly findVersionByRun;

  constructor(private readonly db: Database) {
    this.upsertNode = db.prepare(
      'INSERT INTO lineage_nodes (key, kind, label, namespace, model_version_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
    );
    this.selectNode = db.prepare('SELECT id FROM lineage_nodes WHERE key = ?');
    this.mergeFacets = db.prepare('UPDATE lineage_nodes SET facets_json = json_patch(facets_json, ?) WHERE id = ?');
    this.insertEdge = db.prepare('INSERT OR IGNORE INTO lineage_edges (from_id, to_id, kind) VALUES (?, ?, ?)');
    this.findVersion = db.prepare('SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ? AND v.version = ?');
    this.findVersionByRun = db.prepare("SELECT m.name, v.version FROM model_versions v JOIN models m ON m.id = v.model_id WHERE json_extract(v.registry_json, '$.runId') = ?");
  }

  addEvent(event: OpenLineageRunEvent): void {
    const run = this.node({ key: runKey(event.run.runId), kind: 'run', label: event.job.name, namespace: event.job.namespace, model: null });
    // The latest event's facets win per facet name; facets Docket does not interpret are kept as they are.
    this.patch(run, { run: event.run.facets, job: event.job.facets, lastEventType: event.eventType, lastEventTime: event.eventTime, producer: event.producer });
    for (const input of event.inputs) {
      const identity = datasetIdentity(input.namespace, input.name);
      const id = this.node(identity);
      this.patch(id, input.facets);
      this.insertEdge.run(id, run, 'input');
    }
    for (const output of event.outputs) {
      const identity = datasetIdentity(output.namespace, output.name);
      const id = this.node(identity);
      this.patch(id, output.facets);
      this.insertEdge.run(run, id, identity.kind === 'model_version' ? 'produced' : identity.kind === 'deployment' ? 'deployed' : 'output');
    }
    const mlflowRunId = findMlflowRunId(event.run.facets);
    if (mlflowRunId) {
      for (const v of this.findVersionByRun.all(mlflowRunId) as { name: string; version: string }[]) {
        const model = this.node(datasetIdentity('mlflow', `models:/${v.name}/${v.version}`));
        this.insertEdge.run(run, model, 'produced');
      }
    }
  }

  private patch(id: number, facets: Record<string, unknown>): void {
    if (Object.keys(facets).length === 0) return;
    const pending = this.facets.get(id);
    if (pending) Object.assign(pending, facets);
    else this.facets.set(id, { ...facets });
  }

  /** Merges the gathered facets into the stored ones: one UPDATE per touched node, not per event. */
  flush(): void {
    for (const [id, facets] of this.facets) this.mergeFacets.run(JSON.stringify(facets), id);
    this.facets.clear();
  }

  private node(identity: NodeIdentity): number {
    const cached = this.ids.get(identity.key);
    if (cached !== undefined) return cached;
    const versionId = identity.model ? ((this.findVersion.get(identity.model.name, identity.model.version) as { id: number } | undefined)?.id ?? null) : null;
    this.upsertNode.run(identity.key, identity.kind, identity.label, identity.namespace, versionId);
    const id = (this.selectNode.get(identity.key) as { id: number }).id;
    this.ids.set(identity.key, id);
    return id;
  }
}

function findMlflowRunId(facets: Record<string, unknown>): string | null {
  for (const facet of Object.values(facets)) {
    if (typeof facet !== 'object' || facet === null) continue;
    for (const field of MLFLOW_RUN_ID_FIELDS) {
      const value = (facet as Record<string, unknown>)[field];
      if (typeof value === 'string' && value !== '') return value;
    }
  }
  return null;
}
