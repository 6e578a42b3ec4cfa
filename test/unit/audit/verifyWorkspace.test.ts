import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryHash, type AuditRow } from '../../../electron/core/store/auditLog';
import { openStore } from '../../../electron/core/store/openStore';
import { verifyWorkspace } from '../../../electron/core/store/verifyWorkspace';
import type { AuditWorkspaceVerification } from '../../../shared/ipc/contract';
import { runDocket } from '../../support/runDocket';
import { buildAuditWorkspace, sqlite3, type AuditWorkspace } from './workspace';

let w: AuditWorkspace;
beforeEach(async () => {
  w = await buildAuditWorkspace();
});
afterEach(() => w.t.cleanup());

/** Closes the engine's handle, tampers with the file in the sqlite3 shell, and verifies a freshly opened store. */
function tamperAndVerify(sql: string): AuditWorkspaceVerification {
  w.t.store.close();
  sqlite3(w.t.dbPath, sql);
  const store = openStore(w.t.dbPath);
  try {
    return verifyWorkspace(store.db);
  } finally {
    store.close();
  }
}

const failing = (v: AuditWorkspaceVerification) => Object.fromEntries((v.checks ?? []).filter((c) => !c.ok).map((c) => [c.name, c.detail]));

describe('verifyWorkspace on a store written by the engine', () => {
  it('passes an untouched store, every check named, every decision signed and verified', async () => {
    const v = verifyWorkspace(w.t.store.db);
    expect(v.ok).toBe(true);
    expect(v.checks?.map((c) => [c.name, c.ok])).toEqual([
      ['Hash chain', true],
      ['No entries missing', true],
      ['Decision signatures', true],
      ['Decisions match the log', true],
      ['Signed log heads', true],
      ['Sunset decisions', true],
    ]);
    expect(v.bad).toEqual([]);
    expect(v.decisions?.map((d) => [d.seq, d.signer, d.verified])).toEqual([
      [w.firstDecisionSeq, 'Ada Lovelace', true],
      [w.secondDecisionSeq, 'Grace Hopper', true],
    ]);
    expect(v.decisions?.[0]?.detail).toMatch(/^signed by Ada Lovelace \(ml-lead\), verified/);

    const cli = await runDocket(['--db', w.t.dbPath, 'audit', 'verify']);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/✓ Hash chain/);
    expect(cli.stdout).toMatch(/✓ Signed log heads/);
  });

  it('fails when one entry\'s detail is altered, naming the entry', async () => {
    const seq = w.commentSeq;
    const v = tamperAndVerify(`DROP TRIGGER audit_log_no_update;
      UPDATE audit_log SET detail_json = replace(detail_json, '"length":18', '"length":1') WHERE seq = ${seq};
      SELECT changes();`);
    expect(v.ok).toBe(false);
    expect(v.firstBadSeq).toBe(seq);
    expect(failing(v)).toEqual({ 'Hash chain': `entry ${seq} was changed after it was written (hash mismatch)` });
    expect(v.bad).toEqual([{ seq, reason: `entry ${seq} was changed after it was written (hash mismatch)` }]);

    const cli = await runDocket(['--db', w.t.dbPath, '--json', 'audit', 'verify']);
    expect(cli.code).toBe(1);
    const out = cli.json() as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    expect(out.ok).toBe(false);
    expect(out.checks.find((c) => c.name === 'Hash chain')).toEqual({ name: 'Hash chain', ok: false, detail: `entry ${seq} was changed after it was written (hash mismatch)` });
  });

  it('fails when a middle entry is deleted, naming the missing entry', async () => {
    const seq = w.commentSeq;
    const v = tamperAndVerify(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = ${seq};`);
    expect(v.ok).toBe(false);
    expect(v.firstBadSeq).toBe(seq);
    expect(failing(v)).toEqual({
      'Hash chain': `entry ${seq + 1} links to entry ${seq}, which is missing`,
      'No entries missing': `entry ${seq} is missing: the log was cut`,
      // The deleted comment was the head the second decision signed.
      'Signed log heads': `decision #2 (approve by Grace Hopper, signed 2026-11-02T09:16:00.000Z) was signed when the log ended at entry ${seq}, which is no longer in the log: the log was cut or that entry deleted`,
    });
    const cli = await runDocket(['--db', w.t.dbPath, 'audit', 'verify']);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`✗ No entries missing: entry ${seq} is missing: the log was cut`);
  });

  it('fails when a decision\'s audit entry is deleted from the middle, naming the decision', () => {
    const seq = w.firstDecisionSeq;
    const v = tamperAndVerify(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = ${seq};`);
    expect(failing(v)['Decisions match the log']).toMatch(/^decision #1 \(approve by Ada Lovelace, signed 2026-11-02T09:06:00.000Z\) has no audit entry/);
    expect(v.decisions?.[0]).toMatchObject({ seq: null, verified: false, detail: 'its audit entry is missing' });
  });

  it('fails when the log is cut cleanly after a decision: the chain still links, but the later decision is orphaned and its signed head is gone', () => {
    // Everything after the first decision's entry goes, including the second decision's entry and the head it signed.
    const v = tamperAndVerify(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > ${w.firstDecisionSeq};`);
    expect(v.ok).toBe(false);
    const f = failing(v);
    expect(Object.keys(f).sort()).toEqual(['Decisions match the log', 'Signed log heads']);
    expect(f['Decisions match the log']).toBe(
      'decision #2 (approve by Grace Hopper, signed 2026-11-02T09:16:00.000Z) has no audit entry: it was deleted from the log, or the decision was inserted outside Docket',
    );
    expect(f['Signed log heads']).toBe(
      `decision #2 (approve by Grace Hopper, signed 2026-11-02T09:16:00.000Z) was signed when the log ended at entry ${w.secondDecisionSeq - 1}, which is no longer in the log: the log was cut or that entry deleted`,
    );
    expect(v.reason).toMatch(/^Decisions match the log: decision #2/);
    expect(v.bad).toEqual([{ seq: w.secondDecisionSeq - 1, reason: `entry ${w.secondDecisionSeq - 1} is missing: decision #2 signed the log when it ended there` }]);
  });

  it('fails when an entry is altered and every later hash recomputed: only the signed log head notices', () => {
    const { db } = w.t.store;
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
    // Rewrite the comment before the second decision, then re-chain everything after it so the chain verifies.
    const statements = ['DROP TRIGGER audit_log_no_update;'];
    let prev = rows.find((r) => r.seq === w.commentSeq - 1)!.hash;
    for (const r of rows.filter((x) => x.seq >= w.commentSeq)) {
      const detail = r.seq === w.commentSeq ? { commentId: 1, length: 1 } : (JSON.parse(r.detail_json) as unknown);
      const hash = entryHash(prev, { ...r, detail });
      statements.push(`UPDATE audit_log SET detail_json = '${JSON.stringify(detail).replace(/'/g, "''")}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${r.seq};`);
      prev = hash;
    }
    const v = tamperAndVerify(statements.join('\n'));
    const f = failing(v);
    expect(Object.keys(f)).toEqual(['Signed log heads']);
    expect(f['Signed log heads']).toMatch(new RegExp(`^decision #2 \\(approve by Grace Hopper, .*\\) was signed when entry ${w.secondDecisionSeq - 1} had hash [0-9a-f]{16}…, but it now has [0-9a-f]{16}…: the log was rewritten$`));
  });

  it('fails when a stored decision is altered, naming the decision', () => {
    const v = tamperAndVerify("DROP TRIGGER decisions_no_update; UPDATE decisions SET kind = 'reject' WHERE id = 2;");
    expect(failing(v)).toEqual({ 'Decision signatures': 'decision #2 (reject by Grace Hopper, signed 2026-11-02T09:16:00.000Z): the stored record does not match what was signed' });
    expect(v.bad).toEqual([{ seq: w.secondDecisionSeq, reason: 'decision #2: the stored record does not match what was signed' }]);
  });
});
