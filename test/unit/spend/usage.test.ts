import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDocket } from '../../support/runDocket';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'docket-usage-'));
  db = join(dir, 'w.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('usage and unit costs', () => {
  it('divides effective cost by requests and by tokens over the same days', async () => {
    // The demo holds FOCUS spend and usage for the same quarter.
    const demo = await runDocket(['--json', 'demo', '--out', join(dir, 'demo')]);
    expect(demo.code, demo.stderr).toBe(0);
    const demoDb = join(dir, 'demo', 'docket.db');
    const units = (await runDocket(['--db', demoDb, '--json', 'spend', '--unit-costs', '--from', '2026-01-01', '--to', '2026-03-31'])).json() as {
      model: string;
      effectiveCost: number;
      requests: number;
      costPer1kPredictions: number | null;
      tokens: number | null;
      costPerMillionTokens: number | null;
    }[];
    const ocr = units.find((u) => u.model === 'doc-ocr-extractor')!;
    expect(ocr.requests).toBeGreaterThan(0);
    expect(ocr.costPer1kPredictions).toBeCloseTo((ocr.effectiveCost / ocr.requests) * 1000, 10);
    expect(ocr.costPerMillionTokens).toBeCloseTo((ocr.effectiveCost / ocr.tokens!) * 1e6, 10);
    const fraud = units.find((u) => u.model === 'fraud-score-card-txn')!;
    expect(fraud.tokens).toBeNull(); // not an LLM: no token figures
  });

  it('replaces a corrected day, and rejects a bad file whole with its line', async () => {
    const good = write('usage.csv', 'day,model,requests\n2026-01-01,m,1000\n2026-01-02,m,2000\n');
    expect((await runDocket(['--db', db, '--json', 'import', 'usage', good])).json()).toMatchObject({ imported: 2, unchanged: 0 });
    const corrected = write('usage2.csv', 'day,model,requests\n2026-01-01,m,1000\n2026-01-02,m,2500\n');
    expect((await runDocket(['--db', db, '--json', 'import', 'usage', corrected])).json()).toMatchObject({ imported: 1, unchanged: 1 });
    const bad = write('bad.csv', 'day,model,requests\n2026-01-03,m,10\n2026-01-04,m,-5\n');
    const result = await runDocket(['--db', db, '--json', 'import', 'usage', bad]);
    expect(result.code).toBe(1);
    expect(result.json()).toMatchObject({ imported: 0, rejected: [{ file: bad, location: 'line 3', reason: expect.stringMatching(/requests/) }] });
    const missing = write('missing.csv', 'day,model\n2026-01-03,m\n');
    expect((await runDocket(['--db', db, '--json', 'import', 'usage', missing])).json()).toMatchObject({ rejected: [{ location: 'line 1' }] });
  });
});
