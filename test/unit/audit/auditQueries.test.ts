import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../../electron/core/store/auditLog';
import { auditPage, countAudit, queryAudit } from '../../../electron/core/store/auditQueries';
import { tempStore } from '../../support/tempStore';

let t: ReturnType<typeof tempStore>;
beforeEach(() => {
  t = tempStore();
  const { db } = t.store;
  const add = (action: string, actor: string, subject: string, detail: unknown, at: string) => db.transaction(() => appendAudit(db, { action, actor, subject, detail }, at)).immediate();
  add('cards.import', 'ana', 'sync_run:1', { files: 3 }, '2026-11-01T08:00:00.000Z');
  add('review.opened', 'ana', 'review:1', { model: 'fraud' }, '2026-11-02T09:00:00.000Z');
  add('decision.approve', 'bo', 'review:1', { signer: 'Bo 100%_sure', digest: 'ab' }, '2026-11-02T10:00:00.000Z');
  add('decisions.bundle-imported', 'bo', 'bundle', { file: 'x' }, '2026-11-03T10:00:00.000Z');
  add('key.added', 'ana', 'key:1', { name: 'Ana' }, '2026-11-04T23:59:59.999Z');
});
afterEach(() => t.cleanup());

describe('audit queries', () => {
  it('filters by action prefix (one or several), actor, subject, seq range; newest first with a total', () => {
    const { db } = t.store;
    expect(queryAudit(db, { action: 'decision.' }).map((e) => e.seq)).toEqual([3]);
    expect(queryAudit(db, { action: 'decision' }).map((e) => e.seq)).toEqual([4, 3]);
    expect(queryAudit(db, { action: 'key.,cards.' }).map((e) => e.seq)).toEqual([5, 1]);
    expect(queryAudit(db, { actor: 'ana', subject: 'review:1' }).map((e) => e.action)).toEqual(['review.opened']);
    expect(auditPage(db, { fromSeq: 2, toSeq: 4, limit: 2 })).toMatchObject({ total: 3, entries: [{ seq: 4 }, { seq: 3 }] });
    expect(queryAudit(db, { fromSeq: 2, toSeq: 4, limit: 2, offset: 2 }).map((e) => e.seq)).toEqual([2]);
    expect(queryAudit(db, { limit: 100_000 })).toHaveLength(5);
  });

  it('searches literally: % and _ are not wildcards', () => {
    const { db } = t.store;
    expect(queryAudit(db, { search: '100%_sure' }).map((e) => e.seq)).toEqual([3]);
    expect(countAudit(db, { search: '%' })).toBe(1);
    expect(queryAudit(db, { search: '_' }).map((e) => e.seq)).toEqual([3, 1]); // "100%_sure" and the subject sync_run:1
    expect(countAudit(db, { search: 'fraud' })).toBe(1);
  });

  it('takes dates as whole UTC days, inclusive', () => {
    const { db } = t.store;
    expect(queryAudit(db, { from: '2026-11-02', to: '2026-11-02' }).map((e) => e.seq)).toEqual([3, 2]);
    expect(queryAudit(db, { from: '2026-11-04' }).map((e) => e.seq)).toEqual([5]);
    expect(queryAudit(db, { to: '2026-11-01T08:00:00Z' }).map((e) => e.seq)).toEqual([1]);
    expect(() => queryAudit(db, { from: 'yesterday' })).toThrow('"from" must be a date (YYYY-MM-DD) or an ISO time, got "yesterday"');
    expect(() => queryAudit(db, { from: '2026-11-05', to: '2026-11-01' })).toThrow('"from" (2026-11-05) is after "to" (2026-11-01)');
  });
});
