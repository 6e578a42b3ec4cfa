import canonicalize from 'canonicalize';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, auditRowAfter, entryBody, entryHash, GENESIS_HASH, scanAuditLog, verifyAuditChain, type AuditRow } from '../../../electron/core/store/auditLog';
import { auditSeqBounds, scanAuditPagesParallel } from '../../../electron/core/store/auditPages';
import { openStore } from '../../../electron/core/store/openStore';
import { verifyWorkspace, verifyWorkspaceParallel } from '../../../electron/core/store/verifyWorkspace';
import type { AuditVerification } from '../../../shared/ipc/contract';
import { seedAuditEvents, seedAuditRows } from '../../bench/seedAudit';
import { buildAuditWorkspace } from './workspace';

/**
 * The fast verification pass (auditPages.ts) is a filter in front of the exact row-by-row checks.
 * These tests hold it to the verifier as it was before it existed (copied below as the oracle):
 * the same verdict, the same first bad entry and reason, the same list of bad entries, for a clean
 * log and for every kind of tampering, in one thread and split across worker threads.
 */

/** verifyAuditChain as it was: every row canonicalized and hashed in order. */
function oracleChain(db: Database.Database): AuditVerification {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const fail = (seq: number, reason: string): AuditVerification => ({ ok: false, checked, head: null, firstBadSeq: seq, reason });
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    if (row.seq !== expectedSeq) return fail(expectedSeq, `entry ${expectedSeq} is missing (next entry is ${row.seq})`);
    if (row.prev_hash !== prevHash) return fail(row.seq, `entry ${row.seq} does not link to the entry before it`);
    let detail: unknown;
    try {
      detail = JSON.parse(row.detail_json);
    } catch {
      return fail(row.seq, `entry ${row.seq} has unreadable detail`);
    }
    const recomputed = entryHash(prevHash, { seq: row.seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject, detail });
    if (recomputed !== row.hash) return fail(row.seq, `entry ${row.seq} was changed after it was written (hash mismatch)`);
    prevHash = row.hash;
    expectedSeq += 1;
    checked += 1;
  }
  return { ok: true, checked, head: checked > 0 ? prevHash : null, firstBadSeq: null, reason: null };
}

/** verifyWorkspace's chain scan as it was (the part of its result that comes from the log alone). */
function oracleScan(db: Database.Database) {
  const bad: { seq: number; reason: string }[] = [];
  const seqRange = (a: number, b: number) => (a === b ? `entry ${a} is missing` : `entries ${a}–${b} are missing`);
  let prevHash = GENESIS_HASH;
  let expected = 1;
  let checked = 0;
  let lastSeq = 0;
  let lastHash: string | null = null;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    checked += 1;
    let afterGap = false;
    if (row.seq !== expected) {
      bad.push({ seq: expected, reason: `${seqRange(expected, row.seq - 1)}: the log was cut` });
      afterGap = true;
    }
    let detail: unknown;
    let readable = true;
    try {
      detail = JSON.parse(row.detail_json);
    } catch {
      readable = false;
    }
    if (!readable) bad.push({ seq: row.seq, reason: `entry ${row.seq} has unreadable detail: it was edited outside Docket` });
    else if (entryHash(row.prev_hash, { seq: row.seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject, detail }) !== row.hash)
      bad.push({ seq: row.seq, reason: `entry ${row.seq} was changed after it was written (hash mismatch)` });
    else if (row.prev_hash !== prevHash)
      bad.push({ seq: row.seq, reason: afterGap ? `entry ${row.seq} links to entry ${row.seq - 1}, which is missing` : `entry ${row.seq} does not link to the entry before it` });
    prevHash = row.hash;
    expected = row.seq + 1;
    lastSeq = row.seq;
    lastHash = row.hash;
  }
  const firstBadSeq = bad[0]?.seq ?? null;
  // verifyWorkspace lists bad entries sorted by seq (stable), after naming the first found.
  return { checked, lastSeq, bad: [...bad].sort((a, b) => a.seq - b.seq), badTotal: bad.length, head: bad.length === 0 ? lastHash : null, firstBadSeq };
}

const ROWS = 1400; // several pages of 256, and several chunks when split across threads
const NOW = new Date('2026-03-01T12:00:00.000Z');
let dir: string;
let template: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'docket-fast-verify-'));
  template = join(dir, 'template.db');
  const store = openStore(template);
  seedAuditRows(store.db, ROWS, { batch: 100 });
  store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let copies = 0;
/** A copy of the seeded log with `sql` applied (triggers dropped first), opened as a store. */
function tampered(sql: string) {
  const path = join(dir, `case-${++copies}.db`);
  copyFileSync(template, path);
  const raw = new Database(path);
  raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  raw.exec(sql);
  raw.close();
  return openStore(path, { integrityCheck: 'never' });
}

describe('seeding and appending', () => {
  it('seedAuditRows writes exactly the rows appendAudit writes, one call at a time', () => {
    const count = 300;
    const a = openStore(':memory:');
    const b = openStore(':memory:');
    seedAuditRows(a.db, count, { batch: 64, seed: 7 });
    b.db.transaction(() => {
      for (const { event, at } of seedAuditEvents(count, { seed: 7 })) appendAudit(b.db, event, at);
    })();
    const rowsA = a.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
    const rowsB = b.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
    expect(rowsA).toHaveLength(count);
    expect(rowsA).toEqual(rowsB);
    expect(new Set(rowsA.map((r) => r.action)).size).toBeGreaterThanOrEqual(6);
    // Each hash is the RFC 8785 hash of the entry, and the stored detail is its canonical text.
    for (const r of rowsA) {
      const detail = JSON.parse(r.detail_json) as unknown;
      expect(r.detail_json).toBe(canonicalize(detail));
      expect(r.hash).toBe(entryHash(r.prev_hash, { ...r, detail }));
    }
    expect(verifyAuditChain(a.db)).toEqual(oracleChain(a.db));
    expect(verifyAuditChain(a.db).ok).toBe(true);
    a.close();
    b.close();
  });

  it('entryBody is canonicalize of the whole entry for awkward strings and numbers', () => {
    const details: unknown[] = [
      null,
      { z: 1, a: [3, { y: -0, b: 1e21, c: 1e-7, d: 0.1 + 0.2 }], é: 'é', '\u{1F600}': 'x', '\u2028': '</script>' },
      { lone: '\ud800', ctl: '\u0000\u0001\u001f\u007f', quote: '"\\', undef: undefined },
      'text',
      [1, 'two', { three: 3 }],
    ];
    for (const detail of details) {
      const entry = { seq: 42, at: '2026-01-01T00:00:00.000Z', actor: 'ädmin "root"', action: 'budget.changed', subject: 'team\ttab\n\u2029' };
      const row = auditRowAfter({ seq: 41, hash: 'f'.repeat(64) }, { ...entry, detail }, entry.at);
      expect(entryBody(entry, row.detail_json)).toBe(canonicalize({ ...entry, detail: JSON.parse(JSON.stringify(detail)) as unknown }));
      expect(row.hash).toBe(entryHash('f'.repeat(64), { ...entry, detail: JSON.parse(row.detail_json) as unknown }));
    }
  });
});

describe('fast verification', () => {
  it('clears every page of an untouched log and agrees with the row-by-row verifier', async () => {
    const store = openStore(template);
    try {
      const pages = scanAuditLog(store.db);
      expect(pages.length).toBeGreaterThan(4);
      expect(pages.every((p) => p.ok)).toBe(true);
      expect(pages.reduce((n, p) => n + p.n, 0)).toBe(ROWS);
      expect(verifyAuditChain(store.db)).toEqual(oracleChain(store.db));
      const v = verifyWorkspace(store.db, NOW);
      expect(v).toMatchObject({ ok: true, checked: ROWS, lastSeq: ROWS, head: oracleScan(store.db).head, bad: [] });
      // Split across a worker: the same pages, the same result.
      const split = await scanAuditPagesParallel(store.db, auditSeqBounds(store.db)!, 2);
      expect(split.workers).toBe(1);
      expect(split.pages).toEqual(pages);
      // Chunks of one page claimed by this thread and two workers, or by the workers alone.
      for (const claimHere of [true, false]) {
        const shared = await scanAuditPagesParallel(store.db, auditSeqBounds(store.db)!, 3, { chunkPages: 1, claimHere });
        expect(shared.workers).toBe(2);
        expect(shared.pages).toEqual(pages);
      }
      expect(await verifyWorkspaceParallel(store.db, NOW, { threads: 2, minRows: 1 })).toEqual(v);
    } finally {
      store.close();
    }
  });

  const mid = 333; // in the second page
  const cases: [string, string][] = [
    ['detail altered', `UPDATE audit_log SET detail_json = json_set(detail_json, '$.forged', 1) WHERE seq = ${mid}`],
    ['detail altered in place, same length', `UPDATE audit_log SET detail_json = replace(detail_json, '"', '''') WHERE seq = ${mid}`],
    ['detail made unreadable', `UPDATE audit_log SET detail_json = detail_json || ',"x":1' WHERE seq = ${mid}`],
    ['detail holding the page separator', `UPDATE audit_log SET detail_json = '{"a":"x' || char(30) || 'y"}' WHERE seq = ${mid}`],
    ['detail as a BLOB of the same bytes', `UPDATE audit_log SET detail_json = CAST(detail_json AS BLOB) WHERE seq = ${mid}`],
    ['detail re-serialized (same value, not canonical)', `UPDATE audit_log SET detail_json = ' ' || detail_json WHERE seq = ${mid}`],
    ['action altered', `UPDATE audit_log SET action = 'review.deleted' WHERE seq = ${mid}`],
    ['action as a BLOB of the same bytes', `UPDATE audit_log SET action = CAST(action AS BLOB) WHERE seq = ${mid}`],
    ['actor altered', `UPDATE audit_log SET actor = 'mallory' WHERE seq = ${mid}`],
    ['time altered', `UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = ${mid}`],
    ['subject altered', `UPDATE audit_log SET subject = subject || ' ' WHERE seq = ${mid}`],
    ['subject shifted into the detail', `UPDATE audit_log SET detail_json = detail_json || ',"seq":' || seq || ',"subject":' || json_quote(subject), subject = '' WHERE seq = ${mid}`],
    ['hash altered', `UPDATE audit_log SET hash = substr(hash, 2) || substr(hash, 1, 1) WHERE seq = ${mid}`],
    ['hash in upper case', `UPDATE audit_log SET hash = upper(hash) WHERE seq = ${mid}`],
    ['hash as a BLOB of the same bytes', `UPDATE audit_log SET hash = CAST(hash AS BLOB) WHERE seq = ${mid}`],
    ['hash one character longer', `UPDATE audit_log SET hash = hash || '0' WHERE seq = ${mid}`],
    ['prev_hash altered', `UPDATE audit_log SET prev_hash = '${'0'.repeat(64)}' WHERE seq = ${mid}`],
    ['prev_hash pointing two back', `UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE seq = ${mid - 2}) WHERE seq = ${mid}`],
    ['hash and next prev_hash moved between two rows', `UPDATE audit_log SET hash = hash || substr((SELECT hash FROM audit_log WHERE seq = ${mid + 1}), 1, 1) WHERE seq = ${mid}; UPDATE audit_log SET hash = substr(hash, 2) WHERE seq = ${mid + 1}`],
    ['a middle row deleted', `DELETE FROM audit_log WHERE seq = ${mid}`],
    ['a whole page deleted', `DELETE FROM audit_log WHERE seq BETWEEN 257 AND 512`],
    ['the first row deleted', `DELETE FROM audit_log WHERE seq = 1`],
    ['the last row deleted (undetectable from the log alone)', `DELETE FROM audit_log WHERE seq = ${ROWS}`],
    ['two rows swapped', `UPDATE audit_log SET seq = -1 WHERE seq = ${mid}; UPDATE audit_log SET seq = ${mid} WHERE seq = ${mid + 1}; UPDATE audit_log SET seq = ${mid + 1} WHERE seq = -1`],
    ['a row moved to the end', `UPDATE audit_log SET seq = ${ROWS + 1} WHERE seq = ${mid}`],
    ['a row far beyond the end', `INSERT INTO audit_log SELECT 5000000000, at, actor, action, subject, detail_json, hash, 'zz' || substr(hash, 3) FROM audit_log WHERE seq = ${ROWS}`],
    ['a row before the first', `INSERT INTO audit_log SELECT 0, at, actor, action, subject, detail_json, prev_hash, 'zy' || substr(hash, 3) FROM audit_log WHERE seq = 1`],
    ['a row duplicated at the end', `INSERT INTO audit_log SELECT ${ROWS + 1}, at, actor, action, subject, detail_json, prev_hash, 'zx' || substr(hash, 3) FROM audit_log WHERE seq = ${mid}`],
  ];

  it.each(cases)('agrees with the row-by-row verifier: %s', async (name, sql) => {
    const store = tampered(sql);
    try {
      const chain = verifyAuditChain(store.db);
      expect(chain).toEqual(oracleChain(store.db));
      const oracle = oracleScan(store.db);
      const v = verifyWorkspace(store.db, NOW);
      expect({ checked: v.checked, lastSeq: v.lastSeq, bad: v.bad, badTotal: v.badTotal, head: v.head, firstBadSeq: v.firstBadSeq }).toEqual(oracle);
      expect(await verifyWorkspaceParallel(store.db, NOW, { threads: 2, minRows: 1 })).toEqual(v);
      if (name.startsWith('the last row deleted') || name.startsWith('detail re-serialized') || name.startsWith('detail as a BLOB')) {
        expect(v.ok).toBe(true);
      } else {
        // Every other change fails, naming the entry.
        expect(chain.ok).toBe(false);
        expect(v.ok).toBe(false);
        expect(v.firstBadSeq).not.toBeNull();
        expect(v.reason).toMatch(new RegExp(`entr(y|ies) ${v.firstBadSeq}\\b`));
      }
      // Only pages that hold a changed row leave the fast pass.
      const slow = scanAuditLog(store.db).filter((p) => !p.ok);
      expect(slow.length).toBeLessThanOrEqual(3);
    } finally {
      store.close();
    }
  });
});

describe('what the fast pass reads from the entry bytes', () => {
  /** A fresh log of 300 seeded entries, `middle` appended by appendAudit, then 300 more. */
  function logAround(middle: { action: string; detail: unknown }[]) {
    const path = join(dir, `bytes-${++copies}.db`);
    const store = openStore(path);
    seedAuditRows(store.db, 300, { batch: 100 });
    store.db.transaction(() => {
      for (const m of middle) appendAudit(store.db, { actor: 'alice', subject: 'model:x', ...m }, '2026-02-01T00:00:00.000Z');
    })();
    seedAuditRows(store.db, 300, { batch: 100, seed: 9 });
    return { store, path };
  }

  it('finds decision and sunset entries as SQLite LIKE does (ASCII case ignored, prefix only)', () => {
    const actions = ['decision.approved', 'Decision.Rejected', 'DECISION.', 'decision', 'decisionx.approved', 'xdecision.approved', 'sunset.decision.retire', 'SUNSET.Decision.keep', 'sunset.decisions', 'sunset.decisio', 'décision.approved'];
    const { store } = logAround(actions.map((action) => ({ action, detail: { n: 1 } })));
    try {
      const pages = scanAuditLog(store.db);
      expect(pages.every((p) => p.ok)).toBe(true);
      const like = (pattern: string) => store.db.prepare('SELECT seq FROM audit_log WHERE action LIKE ? ORDER BY seq').pluck().all(pattern);
      expect(pages.flatMap((p) => p.decisions)).toEqual(like('decision.%'));
      expect(pages.flatMap((p) => p.sunsets)).toEqual(like('sunset.decision.%'));
      expect(like('decision.%')).toHaveLength(3);
      expect(like('sunset.decision.%')).toHaveLength(2);
    } finally {
      store.close();
    }
  });

  it('agrees with the row-by-row verifier on a detail stored as a number rather than as JSON text', async () => {
    // SQLite writes a REAL back as the shortest text that reads as the same number, as JSON does, so
    // 0.1 stored as a number is still the 0.1 that was logged; one ulp more is not.
    for (const [value, ok] of [
      [0.1, true],
      [0.1 + Number.EPSILON / 8, false],
    ] as const) {
      const { store, path } = logAround([{ action: 'review.commented', detail: 0.1 }]);
      store.close();
      const raw = new Database(path);
      raw.exec('DROP TRIGGER audit_log_no_update');
      raw.prepare('UPDATE audit_log SET detail_json = ? WHERE seq = 301').run(value);
      raw.close();
      const opened = openStore(path, { integrityCheck: 'never' });
      try {
        const chain = verifyAuditChain(opened.db);
        expect(chain).toEqual(oracleChain(opened.db));
        expect(chain.ok).toBe(ok);
        expect(await verifyWorkspaceParallel(opened.db, NOW, { threads: 2, minRows: 1 })).toEqual(verifyWorkspace(opened.db, NOW));
      } finally {
        opened.close();
      }
    }
  });

  it('does not clear a prev_hash that swallowed the start of its entry, leaving the hashed bytes as they were', async () => {
    // An entry whose detail holds an object that starts like an entry. Moving the entry's own start
    // into prev_hash, and its tail into an unreadable detail_json, keeps every hashed byte: only
    // the prev_hash's length gives it away to the fast pass.
    const inner = { action: 'a', actor: 'b', at: 'c', detail: 1, seq: 2, subject: 'd' };
    const { store, path } = logAround([{ action: 'review.commented', detail: { x: inner } }]);
    const seq = 301;
    const row = store.db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(seq) as AuditRow;
    store.close();
    const bytes = row.prev_hash + entryBody(row, row.detail_json);
    const cut = bytes.indexOf('{"action":"a"');
    const tail = bytes.slice(cut).match(/^\{"action":"a","actor":"b","at":"c","detail":(.*),"seq":301,"subject":"model:x"\}$/s);
    expect(tail).not.toBeNull();
    const raw = new Database(path);
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare('UPDATE audit_log SET prev_hash = ?, action = ?, actor = ?, at = ?, detail_json = ?, subject = ? WHERE seq = ?').run(bytes.slice(0, cut), 'a', 'b', 'c', tail![1], 'model:x', seq);
    const forged = raw.prepare('SELECT * FROM audit_log WHERE seq = ?').get(seq) as AuditRow;
    expect(forged.prev_hash + entryBody(forged, forged.detail_json)).toBe(bytes);
    raw.close();
    const opened = openStore(path, { integrityCheck: 'never' });
    try {
      expect(scanAuditLog(opened.db).find((p) => p.lo <= seq && seq <= p.hi)!.ok).toBe(false);
      const chain = verifyAuditChain(opened.db);
      expect(chain).toEqual(oracleChain(opened.db));
      expect(chain).toMatchObject({ ok: false, firstBadSeq: seq });
      expect(await verifyWorkspaceParallel(opened.db, NOW, { threads: 2, minRows: 1 })).toEqual(verifyWorkspace(opened.db, NOW));
    } finally {
      opened.close();
    }
  });
});

describe('threads claiming chunks', () => {
  it('a chunk a worker claimed but never returned is scanned by the calling thread', async () => {
    const store = openStore(template);
    try {
      const bounds = auditSeqBounds(store.db)!;
      // A worker cannot open an in-memory database (read-only in-memory is refused): it fails at
      // start, and every chunk comes back to this thread.
      const alone = new Database(':memory:');
      alone.exec(store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'audit_log'").pluck().get() as string);
      alone.exec(`ATTACH '${template}' AS src; INSERT INTO audit_log SELECT * FROM src.audit_log; DETACH src`);
      try {
        const split = await scanAuditPagesParallel(alone, bounds, 3, { chunkPages: 1, claimHere: false });
        expect(split.workers).toBe(0);
        expect(split.pages).toEqual(scanAuditLog(store.db));
      } finally {
        alone.close();
      }
    } finally {
      store.close();
    }
  });

  it('sparse seqs (a row far beyond the end) make a bounded number of chunks, with the same verdict', async () => {
    const store = tampered(`INSERT INTO audit_log SELECT 9000000000000, at, actor, action, subject, detail_json, hash, 'zw' || substr(hash, 3) FROM audit_log WHERE seq = ${ROWS}`);
    try {
      const started = Date.now();
      const v = await verifyWorkspaceParallel(store.db, NOW, { threads: 2, minRows: 1 });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(v).toEqual(verifyWorkspace(store.db, NOW));
      expect(v.ok).toBe(false);
    } finally {
      store.close();
    }
  });
});

describe('a workspace with signed decisions', () => {
  it('verifyWorkspaceParallel loads the decision verifiers and agrees with verifyWorkspace', async () => {
    const w = await buildAuditWorkspace();
    try {
      const v = verifyWorkspace(w.t.store.db, NOW);
      expect(v.ok).toBe(true);
      expect(v.decisions).toHaveLength(2);
      expect(await verifyWorkspaceParallel(w.t.store.db, NOW)).toEqual(v);
      expect(await verifyWorkspaceParallel(w.t.store.db, NOW, { threads: 2, minRows: 1 })).toEqual(v);
      // A decision whose signature no longer verifies is reported the same way on both paths.
      const triggers = w.t.store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'decisions'").pluck().all() as string[];
      for (const name of triggers) w.t.store.db.exec(`DROP TRIGGER "${name}"`);
      w.t.store.db.exec("UPDATE decisions SET envelope_json = '{}' WHERE id = (SELECT min(id) FROM decisions)");
      const bad = verifyWorkspace(w.t.store.db, NOW);
      expect(bad.ok).toBe(false);
      expect(await verifyWorkspaceParallel(w.t.store.db, NOW, { threads: 2, minRows: 1 })).toEqual(bad);
    } finally {
      w.t.cleanup();
    }
  });
});
