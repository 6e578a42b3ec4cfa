import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { keptAuditVerdict } from '../../../electron/core/store/keptAuditVerdict';
import { verifyWorkspace } from '../../../electron/core/store/verifyWorkspace';
import { commentOnReview } from '../../../electron/core/reviews/reviews';
import { seedAuditRows } from '../../bench/seedAudit';
import { buildAuditWorkspace, sqlite3, type AuditWorkspace } from './workspace';

/**
 * The app's kept audit verdict (keptAuditVerdict.ts): the pages already checked are reused while no
 * other connection has written, and the verdict is always the one a full verification gives.
 */
let ws: AuditWorkspace | undefined;
afterEach(() => {
  ws?.t.cleanup();
  ws = undefined;
});

/** The verdict without the fields that say when and how it was reached. */
function verdictOf(v: object): object {
  const { fullPassAt: _full, fullPassSeq: _seq, verifiedAt: _at, ...rest } = v as { fullPassAt?: string; fullPassSeq?: number; verifiedAt?: string };
  return rest;
}

describe('the kept audit verdict', () => {
  it('matches a full verification as entries are appended, across page boundaries', async () => {
    ws = await buildAuditWorkspace();
    const db = ws.t.store.db;
    const kept = keptAuditVerdict(db);
    for (const more of [0, 1, 126, 300, 1, 5_000]) {
      if (more > 0) seedAuditRows(db, more, { seed: more });
      commentOnReview(ws.deps, ws.reviewId, `after ${more} more`);
      const fast = await kept.verify(ws.now());
      expect(fast.ok).toBe(true);
      expect(verdictOf(fast)).toEqual(verdictOf(verifyWorkspace(db, ws.now())));
    }
  });

  it('reuses what it read while no other connection wrote, and says when it last read everything', async () => {
    ws = await buildAuditWorkspace();
    const kept = keptAuditVerdict(ws.t.store.db);
    const first = await kept.verify(new Date('2026-11-02T10:00:00.000Z'));
    expect(first.fullPassAt).toBe('2026-11-02T10:00:00.000Z');
    commentOnReview(ws.deps, ws.reviewId, 'one more entry');
    const later = await kept.verify(new Date('2026-11-02T11:00:00.000Z'));
    expect(later.fullPassAt).toBe('2026-11-02T10:00:00.000Z');
    expect(later.checked).toBe(first.checked + 1);
    expect(later.fullPassSeq).toBe(first.lastSeq);
    expect(later.lastSeq).toBe(first.lastSeq! + 1);
    const again = await kept.verify(new Date('2026-11-02T12:00:00.000Z'), { full: true });
    expect(again.fullPassAt).toBe('2026-11-02T12:00:00.000Z');
  });

  it('reads everything again when another process changed the file, and finds the edit', async () => {
    ws = await buildAuditWorkspace();
    const kept = keptAuditVerdict(ws.t.store.db);
    expect((await kept.verify(ws.now())).ok).toBe(true);
    // An attacker rewrites an entry already checked, from outside the app (past the append-only trigger).
    sqlite3(ws.t.dbPath, `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = ${ws.commentSeq};`);
    const after = await kept.verify(ws.now());
    expect(after.ok).toBe(false);
    expect(after.bad?.map((b) => b.seq)).toContain(ws.commentSeq);
    expect(verdictOf(after)).toEqual(verdictOf(verifyWorkspace(ws.t.store.db, ws.now())));
  });

  it('finds an entry deleted by another connection in the same process', async () => {
    ws = await buildAuditWorkspace();
    const kept = keptAuditVerdict(ws.t.store.db);
    expect((await kept.verify(ws.now())).ok).toBe(true);
    const other = new Database(ws.t.dbPath);
    other.exec('DROP TRIGGER audit_log_no_delete');
    other.prepare('DELETE FROM audit_log WHERE seq = ?').run(ws.commentSeq);
    other.close();
    const after = await kept.verify(ws.now());
    expect(after.ok).toBe(false);
    expect(after.bad?.some((b) => b.seq === ws!.commentSeq && / is missing/.test(b.reason))).toBe(true);
  });

  it('reads with worker threads for a long log and gives the same verdict; concurrent requests share the pass', async () => {
    ws = await buildAuditWorkspace();
    const db = ws.t.store.db;
    seedAuditRows(db, 20_000, { seed: 7 });
    const kept = keptAuditVerdict(db, { workerMinRows: 1_000, workers: 2 });
    const [a, b] = await Promise.all([kept.verify(ws.now()), kept.verify(ws.now())]);
    expect(a.ok).toBe(true);
    expect(verdictOf(a)).toEqual(verdictOf(b));
    expect(verdictOf(a)).toEqual(verdictOf(verifyWorkspace(db, ws.now())));
  });

  it('a full request reads everything again, even what only this connection could have changed', async () => {
    ws = await buildAuditWorkspace();
    const db = ws.t.store.db;
    const kept = keptAuditVerdict(db);
    expect((await kept.verify(ws.now())).ok).toBe(true);
    // The app never does this (audit_log is append-only by trigger): it stands for a bug in the app itself.
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET subject = 'rewritten' WHERE seq = ?").run(ws.firstDecisionSeq);
    const full = await kept.verify(ws.now(), { full: true });
    expect(full.ok).toBe(false);
    expect(full.bad?.map((b) => b.seq)).toContain(ws.firstDecisionSeq);
  });
});
