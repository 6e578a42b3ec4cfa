import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { startEngineWorker } from '../../../electron/main/engineHost';
import { openStore } from '../../../electron/core/store/openStore';
import { appendAudit, verifyAuditChain } from '../../../electron/core/store/auditLog';
import { backupBeforeMigration } from '../../../electron/core/store/backup';
import { matchesCleanStamp } from '../../../electron/core/store/integrity';
import type { RecoveryOffer } from '../../../electron/core/store/backup';

// The app's side: the engine worker finds the damage, offers the checked backup, and restores it
// when the shell's dialog says so (the dialog itself is replaced here by a function).
let dir: string;
let workerFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-app-recovery-'));
  workerFile = join(dir, 'engineWorker.cjs');
  await build({
    entryPoints: ['electron/core/engineWorker.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['better-sqlite3', 'pdfkit'],
    outfile: workerFile,
    logLevel: 'warning',
    // Built outside the repository: resolve its native modules from the repository's node_modules.
    banner: { js: `module.paths.push(${JSON.stringify(resolve('node_modules'))});` },
  });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function damagedWorkspace(name: string): { dbPath: string; backup: string } {
  const dbPath = join(dir, name, 'docket.db');
  const store = openStore(dbPath);
  store.db.transaction(() => {
    for (let i = 0; i < 200; i++) appendAudit(store.db, { actor: 't', action: 'test', subject: `s${i}`, detail: { pad: 'p'.repeat(300) } }, '2026-11-26T09:00:00.000Z');
  }).immediate();
  const backup = backupBeforeMigration(store.db, dbPath, 16, new Date('2026-11-25T10:00:00.000Z'));
  store.close();
  truncateSync(dbPath, Math.floor(statSync(dbPath).size * 0.6));
  return { dbPath, backup };
}

describe('the app opening a damaged database', () => {
  it('offers the backup, restores it when asked, then answers the calls that waited', async () => {
    const { dbPath, backup } = damagedWorkspace('restore');
    const offers: RecoveryOffer[] = [];
    const engine = startEngineWorker(workerFile, dbPath, resolve('resources'), () => undefined, (offer) => {
      offers.push(offer);
      return Promise.resolve(offer.backup?.file ?? null);
    });
    try {
      expect(await engine.handlers['models/list']({})).toEqual([]);
      expect(offers).toHaveLength(1);
      expect(offers[0]!.message).toBe(`The workspace database at ${dbPath} is damaged (${offers[0]!.reason}). Restore the backup from 2026-11-25T10:00:00.000Z?`);
      expect(offers[0]!.reason).toMatch(/^truncated: /);
      expect(offers[0]!.backup?.file).toBe(backup);
    } finally {
      await engine.stop();
    }
    const db = new Database(dbPath, { readonly: true });
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, checked: 200 });
    db.close();
    // stop() closed the store cleanly: the next start skips the page-by-page check.
    expect(matchesCleanStamp(dbPath)).toBe(true);
  }, 30_000);

  it('fails the waiting calls with the reason when the user quits', async () => {
    const { dbPath } = damagedWorkspace('quit');
    const engine = startEngineWorker(workerFile, dbPath, resolve('resources'), () => undefined, () => Promise.resolve(null));
    try {
      await expect(engine.handlers['models/list']({})).rejects.toThrow(/is damaged \(truncated/);
      await expect(engine.handlers['models/list']({})).rejects.toThrow(/is damaged/); // later calls too, at once
    } finally {
      await engine.stop();
    }
    expect(statSync(dbPath).size).toBeGreaterThan(0); // left as it was
  }, 30_000);
});
