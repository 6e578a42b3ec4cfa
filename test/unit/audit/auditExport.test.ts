import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportAuditRange, verifyAuditExport, type AuditExportStatement } from '../../../electron/core/store/auditExport';
import { keyStatusAt, keyringResolver } from '../../../electron/core/signing/keyring';
import { exportPublicKeyPem } from '../../../electron/core/signing/keys';
import { queryAudit } from '../../../electron/core/store/auditQueries';
import { openStore } from '../../../electron/core/store/openStore';
import { verifyWorkspace } from '../../../electron/core/store/verifyWorkspace';
import { runDocket } from '../../support/runDocket';
import { buildAuditWorkspace, PASSPHRASE, sqlite3, type AuditWorkspace } from './workspace';

let w: AuditWorkspace;
beforeEach(async () => {
  w = await buildAuditWorkspace();
});
afterEach(() => {
  delete process.env.DOCKET_KEY_PASSPHRASE;
  w.t.cleanup();
});

const trustOf = (w: AuditWorkspace) => ({
  resolvePublicKey: keyringResolver(w.t.store.db),
  isTrusted: (keyId: string, at: string) => {
    const s = keyStatusAt(w.t.store.db, keyId, at);
    return { ok: s.status === 'trusted', reason: s.reason };
  },
});

describe('signed JSON Lines export', () => {
  it('writes canonical lines and a detached envelope, records audit.exported, and verifies', () => {
    const out = join(w.t.dir, 'exports', 'range');
    const result = exportAuditRange(w.t.store.db, { fromSeq: 3, toSeq: w.secondDecisionSeq }, { outPath: out, key: w.ada.pair, actor: 'reviewer', at: w.now().toISOString() });
    expect(result.jsonlPath).toBe(`${out}.jsonl`);
    expect(result.envelopePath).toBe(`${out}.jsonl.dsse.json`);
    expect(result.count).toBe(w.secondDecisionSeq - 2);
    const lines = readFileSync(result.jsonlPath, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(result.count);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(['action', 'actor', 'at', 'detail', 'hash', 'prev_hash', 'seq', 'subject']);
    expect(first.seq).toBe(3);
    const envelope = JSON.parse(readFileSync(result.envelopePath, 'utf8')) as { payloadType: string; payload: string };
    expect(envelope.payloadType).toBe('application/vnd.docket.audit-export+json');
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as AuditExportStatement;
    expect(statement).toMatchObject({ count: result.count, firstSeq: 3, lastSeq: w.secondDecisionSeq, sha256: result.sha256, exportedBy: { name: 'Ada Lovelace', role: 'ml-lead', actor: 'reviewer' } });

    const [entry] = queryAudit(w.t.store.db, { action: 'audit.', limit: 1 });
    expect(entry).toMatchObject({ action: 'audit.exported', subject: `audit:3-${w.secondDecisionSeq}`, detail: { count: result.count, sha256: result.sha256, file: 'range.jsonl' } });
    expect(verifyWorkspace(w.t.store.db).ok).toBe(true);

    const verified = verifyAuditExport(result.jsonlPath, undefined, trustOf(w));
    expect(verified.ok).toBe(true);
    expect(verified.checks.map((c) => [c.name, c.ok])).toEqual([
      ['Signature', true],
      ['File digest', true],
      ['Chain in range', true],
    ]);
  });

  it('fails an export whose line was edited, or whose lines were dropped, or that an unknown key signed', () => {
    const out = join(w.t.dir, 'x');
    const result = exportAuditRange(w.t.store.db, {}, { outPath: out, key: w.grace.pair, actor: 'reviewer', at: w.now().toISOString() });
    const original = readFileSync(result.jsonlPath, 'utf8');

    writeFileSync(result.jsonlPath, original.replace('"Risk view pending."', '"Nothing to see."').replace('"length":18', '"length":15'));
    let v = verifyAuditExport(result.jsonlPath, undefined, trustOf(w));
    expect(v.ok).toBe(false);
    expect(v.checks.find((c) => c.name === 'File digest')?.detail).toMatch(/^x\.jsonl has sha256 [0-9a-f]{16}…, the signature covers [0-9a-f]{16}…: the file was changed$/);
    expect(v.checks.find((c) => c.name === 'Chain in range')?.detail).toBe(`x.jsonl line ${w.commentSeq}: entry ${w.commentSeq} was changed after it was written (hash mismatch)`);

    const lines = original.trimEnd().split('\n');
    writeFileSync(result.jsonlPath, `${[...lines.slice(0, 4), ...lines.slice(5)].join('\n')}\n`);
    v = verifyAuditExport(result.jsonlPath, undefined, trustOf(w));
    expect(v.checks.find((c) => c.name === 'Chain in range')?.detail).toBe('x.jsonl line 5: expected entry 5, found 6: entry 5 is missing');

    writeFileSync(result.jsonlPath, original);
    v = verifyAuditExport(result.jsonlPath, undefined, { resolvePublicKey: () => null });
    expect(v.ok).toBe(false);
    expect(v.checks[0]?.detail).toMatch(/signature 0 is by key [0-9a-f]{16}, which is not in the keyring/);
  });

  it('refuses to sign a range with a deleted entry', () => {
    w.t.store.close();
    sqlite3(w.t.dbPath, `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = ${w.commentSeq};`);
    w.t.store = openStore(w.t.dbPath);
    expect(() => exportAuditRange(w.t.store.db, {}, { outPath: join(w.t.dir, 'cut'), key: w.ada.pair, actor: 'reviewer', at: w.now().toISOString() })).toThrow(
      `entry ${w.commentSeq} is missing from the log: run "docket audit verify"; an export would sign a cut record`,
    );
    w.t.store.close();
  });

  it('runs from the CLI: export with a key file and DOCKET_KEY_PASSPHRASE, verify-export, list filtered', async () => {
    w.t.store.close();
    process.env.DOCKET_KEY_PASSPHRASE = PASSPHRASE;
    const out = join(w.t.dir, 'cli-export');
    const exported = await runDocket(['--db', w.t.dbPath, 'audit', 'export', '--from-seq', '2', '--to-seq', String(w.secondDecisionSeq), '--out', out, '--key', w.grace.path]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(new RegExp(`^Exported entries 2 to ${w.secondDecisionSeq} \\(${w.secondDecisionSeq - 1}\\), signed by Grace Hopper\\.`));

    const verified = await runDocket(['--db', w.t.dbPath, 'audit', 'verify-export', `${out}.jsonl`]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`Audit export verified: entries 2 to ${w.secondDecisionSeq}`);
    expect(verified.stdout).toContain('✓ Signature: signed by Grace Hopper (model-risk');

    // With only a pinned public key, and no workspace keyring: Ada's key did not sign it.
    const pem = join(w.t.dir, 'ada.pem');
    writeFileSync(pem, exportPublicKeyPem(w.ada.pair.publicKey));
    const pinned = await runDocket(['--db', join(w.t.dir, 'other.db'), 'audit', 'verify-export', `${out}.jsonl`, '--public-key', pem]);
    expect(pinned.code).toBe(1);
    expect(pinned.stdout).toMatch(/✗ Signature: .*which is not in the keyring/);

    const list = await runDocket(['--db', w.t.dbPath, '--json', 'audit', 'list', '--action', 'decision.', '--limit', '1']);
    expect(list.code).toBe(0);
    expect(list.json()).toMatchObject({ total: 2, entries: [{ seq: w.secondDecisionSeq, action: 'decision.approve', detail: { signer: 'Grace Hopper' } }] });
    const text = await runDocket(['--db', w.t.dbPath, 'audit', 'list', '--search', 'Grace']);
    expect(text.stdout).toMatch(/Showing 1–\d+ of \d+ matching entries\./);
    const bad = await runDocket(['--db', w.t.dbPath, 'audit', 'list', '--limit', 'ten']);
    expect(bad.code).toBe(2);
  });
});
