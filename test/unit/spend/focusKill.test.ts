import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { writeFocusCsv } from '../../bench/focusData';
import { importFocus } from '../../../electron/core/spend/importFocus';
import { openStore } from '../../../electron/core/store/openStore';
import { fixedClock } from '../../support/tempStore';

// A real process, killed with SIGKILL while it is inside the import's write transaction.
const childFile = resolve('out/test-worker/focusImportChild.cjs');
const ROWS = 200_000;
let dir: string;
let csv: string;
beforeAll(async () => {
  await build({ entryPoints: ['test/support/focusImportChild.ts'], bundle: true, platform: 'node', format: 'cjs', external: ['better-sqlite3'], outfile: childFile, logLevel: 'warning' });
  dir = mkdtempSync(join(tmpdir(), 'docket-focus-kill-'));
  csv = join(dir, 'big.csv');
  await writeFocusCsv(csv, ROWS);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a FOCUS import killed midway', () => {
  it('leaves the database intact and holds no row from the file; importing it again then works', async () => {
    const dbPath = join(dir, 'killed.db');
    openStore(dbPath).close();
    const child = spawn(process.execPath, [childFile, dbPath, csv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let rowsWhenKilled = 0;
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
    await new Promise<void>((started, failed) => {
      let buffered = '';
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const m = /progress (\d+)\n/.exec(buffered);
        // Several batches are written by now: the transaction holds rows when the process dies.
        if (m && Number(m[1]) >= 20_000 && rowsWhenKilled === 0) {
          rowsWhenKilled = Number(m[1]);
          child.kill('SIGKILL');
          started();
        }
        if (buffered.includes('done')) failed(new Error('the import finished before it could be killed'));
        buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
      });
      void exit.then(() => (rowsWhenKilled === 0 ? failed(new Error(`child exited early: ${stderr}`)) : undefined));
    });
    expect(await exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(rowsWhenKilled).toBeGreaterThan(0);
    expect(rowsWhenKilled).toBeLessThan(ROWS);

    const db = new Database(dbPath);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect(count('spend_line_items')).toBe(0);
      expect(count('spend_files')).toBe(0);
      expect(count('spend_daily')).toBe(0);
      expect(count('sync_runs')).toBe(0);
    } finally {
      db.close();
    }

    const store = openStore(dbPath);
    try {
      const started = performance.now();
      const result = await importFocus(store, [csv], { actor: 'tester', clock: fixedClock() });
      const seconds = (performance.now() - started) / 1000;
      expect(result.files[0]).toMatchObject({ status: 'imported', rows: ROWS, rejected: [] });
      console.log(`FOCUS import: ${ROWS} rows in ${seconds.toFixed(2)} s (${Math.round(ROWS / seconds)} rows/s)`);
    } finally {
      store.close();
    }
  }, 120_000);
});
