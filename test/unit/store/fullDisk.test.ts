import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importCards } from '../../../electron/core/cards/importCards';
import { importLineage } from '../../../electron/core/lineage/importLineage';
import { importUsage } from '../../../electron/core/spend/importUsage';
import { importFocus } from '../../../electron/core/spend/importFocus';
import { createCoreHandlers } from '../../../electron/core/handlers';
import { openStore, StoreError, StoreFullError } from '../../../electron/core/store/openStore';
import { dispatch, type Handlers } from '../../../shared/ipc/dispatch';
import { generateOpenLineageNdjson } from '../../bench/lineageEvents';
import { generateFocusCsv } from '../../bench/focusData';
import { fixedClock } from '../../support/tempStore';
import { buildCrashChild, differingTables, readDb, restoreDb, runToEnd, saveDb } from '../../support/crashHarness';

/**
 * A full disk, simulated with PRAGMA max_page_count (always) and with a real small tmpfs (when this
 * machine lets the test mount one): a large import that runs out of room midway fails with a
 * StoreFullError saying the disk is full and that nothing was written, the CLI exits 1 with that
 * message, and the database is exactly as before, passes integrity_check and its audit chain.
 */

const DEMO = resolve('resources/demo');
const FULL_MESSAGE = /The disk holding the workspace database .* is full \(or the database reached its size limit\): nothing from this change was written and the database is unchanged\. Free some disk space and try again\./;
let dir: string;
let child: string;
let base: string;
let lineageFile: string;
let cardsDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-full-'));
  child = await buildCrashChild(dir);
  lineageFile = join(dir, 'events.ndjson');
  writeFileSync(lineageFile, generateOpenLineageNdjson(3000, { models: 20 }));
  cardsDir = join(dir, 'cards');
  mkdirSync(cardsDir);
  for (const model of readdirSync(join(DEMO, 'cards'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
    for (const file of readdirSync(join(DEMO, 'cards', model.name)).filter((f) => f.endsWith('.json'))) copyFileSync(join(DEMO, 'cards', model.name, file), join(cardsDir, `${model.name}-${file}`));
  }
  // A workspace with some history: usage rows and their audit entries.
  const dbPath = join(dir, 'seed.db');
  const store = openStore(dbPath);
  importUsage(store, join(DEMO, 'usage/halden-usage-2026q1.csv'), { actor: 'setup', clock: fixedClock() });
  store.close();
  base = join(dir, 'base.db');
  saveDb(dbPath, base);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a full disk (PRAGMA max_page_count)', () => {
  it.each([
    ['OpenLineage (3,000 events)', (store: ReturnType<typeof openStore>) => importLineage(store, [lineageFile], { actor: 'tester', clock: fixedClock() })],
    ['a folder of 23 model cards', (store: ReturnType<typeof openStore>) => importCards(store, [cardsDir], { actor: 'tester', clock: fixedClock() })],
  ])('%s: a StoreFullError that says so; the store is unchanged and intact', (_name, runImport) => {
    const dbPath = join(dir, 'core.db');
    restoreDb(base, dbPath);
    const before = readDb(dbPath);
    const store = openStore(dbPath);
    try {
      const pages = store.db.pragma('page_count', { simple: true }) as number;
      store.db.pragma(`max_page_count = ${pages + 2}`);
      let error: unknown;
      try {
        runImport(store);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(StoreFullError);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreFullError).message).toMatch(FULL_MESSAGE);
      expect((error as StoreFullError).message).toContain(dbPath);
      expect(((error as Error).cause as { code?: string }).code).toBe('SQLITE_FULL');
      // The same connection goes on working once there is room.
      store.db.pragma('max_page_count = 1073741823');
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
    }
    const reading = readDb(dbPath);
    expect(reading.integrity).toBe('ok');
    expect(reading.chain).toMatchObject({ ok: true, checked: before.actions.length });
    expect(differingTables(reading, before)).toEqual([]);
  });

  it('over IPC (the app): a DISK_FULL error with the message, not INTERNAL; the store is unchanged and intact', async () => {
    const dbPath = join(dir, 'ipc.db');
    restoreDb(base, dbPath);
    const before = readDb(dbPath);
    const store = openStore(dbPath);
    let result: unknown;
    try {
      const handlers = createCoreHandlers({ store, resourcesDir: resolve('resources'), actor: 'tester', clock: fixedClock(), emit: () => {} }) as unknown as Handlers;
      const pages = store.db.pragma('page_count', { simple: true }) as number;
      store.db.pragma(`max_page_count = ${pages + 2}`);
      result = await dispatch(handlers, 'cards/import', { paths: [cardsDir] });
    } finally {
      store.close();
    }
    expect(result).toMatchObject({ ok: false, error: { code: 'DISK_FULL', message: expect.stringMatching(FULL_MESSAGE) } });
    const reading = readDb(dbPath);
    expect(reading.integrity).toBe('ok');
    expect(reading.chain).toMatchObject({ ok: true, checked: before.actions.length });
    expect(differingTables(reading, before)).toEqual([]);
  });

  it('a FOCUS import (its own long transaction): the file is rejected with the full-disk message, no line item is written, the store is intact', async () => {
    const dbPath = join(dir, 'focus.db');
    restoreDb(base, dbPath);
    const focusFile = join(dir, 'focus.csv');
    writeFileSync(focusFile, generateFocusCsv(20_000));
    const store = openStore(dbPath);
    let result: Awaited<ReturnType<typeof importFocus>>;
    try {
      const pages = store.db.pragma('page_count', { simple: true }) as number;
      // Room for the record of the refused run, not for 20,000 line items.
      store.db.pragma(`max_page_count = ${pages + 8}`);
      result = await importFocus(store, [focusFile], { actor: 'tester', clock: fixedClock() });
    } finally {
      store.close();
    }
    expect(result.files[0]).toMatchObject({ status: 'rejected', rows: 0 });
    expect(result.files[0]!.rejected[0]!.reason).toMatch(FULL_MESSAGE);
    const reading = readDb(dbPath);
    expect(reading.integrity).toBe('ok');
    expect(reading.chain.ok).toBe(true);
    expect(reading.counts.spend_line_items_coded).toBe(0);
    expect(reading.counts.spend_files).toBe(0);
  });

  it('docket import lineage exits 1 with the message; the database is unchanged', async () => {
    const dbPath = join(dir, 'cli.db');
    restoreDb(base, dbPath);
    const before = readDb(dbPath);
    const run = await runToEnd(child, ['--db', dbPath, 'import', 'lineage', lineageFile], { clock: '2026-11-26T09:00:00.000Z', env: { DOCKET_TEST_PAGE_HEADROOM: '2' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(FULL_MESSAGE);
    expect(run.stderr).not.toMatch(/SqliteError|at .*\.js:\d+/);
    const reading = readDb(dbPath);
    expect(reading.integrity).toBe('ok');
    expect(reading.chain.ok).toBe(true);
    expect(differingTables(reading, before)).toEqual([]);
  }, 90_000);
});

describe('a full disk (a real small tmpfs)', () => {
  let mnt: string | null = null;
  let mountError = '';
  beforeAll(() => {
    const target = join(dir, 'mnt');
    mkdirSync(target);
    // Room for the database and 256 KB more: the import needs several times that.
    const size = Math.ceil(statSync(base).size / 1024) + 256;
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}k`, 'tmpfs', target], { encoding: 'utf8' });
    if (mounted.status === 0) mnt = target;
    else mountError = (mounted.stderr || mounted.error?.message || `exit ${mounted.status}`).trim();
  });
  afterAll(() => {
    if (mnt) spawnSync('umount', [mnt]);
  });

  it('docket import lineage exits 1 with the message; the database is unchanged and intact', async (ctx) => {
    if (!mnt) return ctx.skip(`cannot mount a tmpfs here (needs root and mount permission): ${mountError}`);
    const dbPath = join(mnt, 'docket.db');
    restoreDb(base, dbPath);
    const before = readDb(dbPath);
    const run = await runToEnd(child, ['--db', dbPath, 'import', 'lineage', lineageFile], { clock: '2026-11-26T09:00:00.000Z' });
    expect(run.code, run.stdout).toBe(1);
    expect(run.stderr).toMatch(FULL_MESSAGE);
    const reading = readDb(dbPath);
    expect(reading.integrity).toBe('ok');
    expect(reading.chain.ok).toBe(true);
    expect(differingTables(reading, before)).toEqual([]);
  }, 90_000);
});
