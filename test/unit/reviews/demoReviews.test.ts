import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDemoWorkspace, type DemoSummary } from '../../../electron/core/demo/buildDemo';
import { listReviews, reviewDetail } from '../../../electron/core/reviews/reviewQueries';
import { openStore, type Store } from '../../../electron/core/store/openStore';

const clock = () => new Date('2026-04-20T09:00:00.000Z');
let dir: string;
let demo: DemoSummary;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-demo-reviews-'));
  demo = await buildDemoWorkspace({ outDir: dir, resourcesDir: resolve('resources'), clock, actor: 'demo' });
  store = openStore(demo.machine.dbPath);
}, 60_000);
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo workspace has reviews to show', () => {
  it('one release approved with a verified signature, one waiting, one sent back', () => {
    expect(demo.ok, demo.text).toBe(true);
    const approved = reviewDetail(store, resolve('resources'), demo.reviews.approved.reviewId, clock());
    expect(approved).toMatchObject({ model: 'claims-triage-nlp', version: '3', state: 'approved' });
    expect(approved.checklist.result).toBe('pass');
    expect(approved.decisions).toEqual([expect.objectContaining({ kind: 'approve', signer: 'Priya Raman', verified: true })]);
    expect(listReviews(store.db, 'open', 'demo', clock()).map((r) => [r.model, r.state])).toEqual(
      expect.arrayContaining([
        ['fraud-score-card-txn', 'in_review'],
        ['doc-ocr-extractor', 'changes_requested'],
      ]),
    );
    // The reviewers' encrypted key files sit beside the database, never inside it.
    expect(existsSync(join(dir, 'keys'))).toBe(true);
    expect(JSON.stringify(store.db.prepare('SELECT * FROM reviewer_keys').all())).not.toContain('PRIVATE KEY');
  });
});
