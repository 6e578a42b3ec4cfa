import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runDocket } from '../../support/runDocket';
import { generateOpenLineageNdjson } from '../../bench/lineageEvents';

const DEMO_LINEAGE = resolve('resources/demo/lineage/halden-pipelines.ndjson');
const FIXTURES = resolve('test/fixtures/openlineage');
let dir: string;
let db: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-lineage-'));
  db = join(dir, 'w.db');
  const cards = ['v1', 'v2', 'v3'].map((v) => resolve(`resources/demo/cards/credit-default-pd/${v}.model_card.json`));
  expect((await runDocket(['--db', db, 'import', 'cards', ...cards])).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lineageCounts = async () => ((await runDocket(['--db', db, '--json', 'db', 'info'])).json() as { counts: Record<string, number> }).counts;

describe('docket import lineage', () => {
  it('imports the real OpenLineage fixtures and is idempotent', async () => {
    const files = [join(FIXTURES, 'example_full_event.json'), join(FIXTURES, 'serde_example_run_event.json')];
    const first = await runDocket(['--db', db, '--json', 'import', 'lineage', ...files]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ imported: 2, unchanged: 0, rejected: [] });
    const again = await runDocket(['--db', db, '--json', 'import', 'lineage', ...files]);
    expect(again.json()).toMatchObject({ imported: 0, unchanged: 2, rejected: [] });
  });

  it.each([
    ['missing-runid.ndjson', 'line 3', /runId/],
    ['truncated.ndjson', 'line 3', /invalid JSON/],
    ['bad-eventtime.json', '$.eventTime', /eventTime/],
    ['unknown-eventtype.json', '$.eventType', /FINISHED/],
  ])('rejects %s at %s and writes none of the import', async (name, location, reason) => {
    const bad = join(FIXTURES, 'broken', name);
    const result = await runDocket(['--db', db, '--json', 'import', 'lineage', DEMO_LINEAGE, bad]);
    expect(result.code).toBe(1);
    expect(result.json()).toMatchObject({ imported: 0, rejected: [{ file: bad, location, reason: expect.stringMatching(reason) }] });
    expect((await lineageCounts()).lineage_events ?? 0).toBe(0);
  });
});

describe('docket lineage show', () => {
  it('links training, evaluation and deployment runs to the model version and reports completeness', async () => {
    expect((await runDocket(['--db', db, 'import', 'lineage', DEMO_LINEAGE])).code).toBe(0);
    const view = (await runDocket(['--db', db, '--json', 'lineage', 'show', 'credit-default-pd@3'])).json() as {
      focus: string;
      nodes: { id: string; kind: string; facets: Record<string, unknown> }[];
      edges: { from: string; to: string; kind: string }[];
      completeness: Record<string, boolean>;
    };
    expect(view.focus).toBe('model:credit-default-pd@3');
    expect(view.completeness).toEqual({ trainingData: true, evaluationData: true, producingRun: true, codeLocation: true });
    const kinds = new Set(view.nodes.map((n) => n.kind));
    expect([...kinds].sort()).toEqual(['dataset', 'deployment', 'model_version', 'run']);
    expect(view.edges).toContainEqual({ from: expect.stringMatching(/^run:/), to: 'model:credit-default-pd@3', kind: 'produced' });
    expect(view.edges.some((e) => e.kind === 'deployed')).toBe(true);
    // Facets Docket does not interpret are kept as they came.
    const producer = view.nodes.find((n) => n.id === view.edges.find((e) => e.kind === 'produced')!.from)!;
    expect(JSON.stringify(producer.facets)).toContain('SourceCodeLocationJobFacet');
    // A version no event mentions has no lineage: every check is missing.
    const cards = await runDocket(['--db', db, 'import', 'cards', resolve('resources/demo/cards/credit-limit-recommender/v1.model_card.json')]);
    expect(cards.code).toBe(0);
    const bare = (await runDocket(['--db', db, '--json', 'lineage', 'show', 'credit-limit-recommender@1'])).json() as { completeness: Record<string, boolean>; nodes: unknown[] };
    expect(bare.completeness).toEqual({ trainingData: false, evaluationData: false, producingRun: false, codeLocation: false });
    expect(bare.nodes).toHaveLength(1);
  });

  it('imports a generated NDJSON log of a few thousand events into a connected graph', async () => {
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, generateOpenLineageNdjson(3000, { models: 5 }));
    const result = await runDocket(['--db', db, '--json', 'import', 'lineage', file]);
    expect(result.code, result.stdout).toBe(0);
    expect((result.json() as { imported: number }).imported).toBe(3000);
    expect((await lineageCounts()).lineage_events).toBe(3000);
  });
});
