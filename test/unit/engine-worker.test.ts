import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEngineWorker } from '../../electron/main/engineHost';
import { DocketError } from '../../shared/ipc/result';
import { isJsonAnswer, readAnswer } from '../../shared/ipc/jsonAnswer';

// The app runs the engine in a worker thread; this drives that worker for real, from a fresh bundle.
const workerFile = resolve('out/test-worker/engineWorker.cjs');
let dir: string;
beforeAll(async () => {
  await build({ entryPoints: ['electron/core/engineWorker.ts'], bundle: true, platform: 'node', format: 'cjs', external: ['better-sqlite3', 'pdfkit'], outfile: workerFile, logLevel: 'warning' });
  dir = mkdtempSync(join(tmpdir(), 'docket-worker-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engine worker', () => {
  it('answers calls, streams import progress and returns typed errors', async () => {
    const events: { event: string; payload: unknown }[] = [];
    const engine = startEngineWorker(workerFile, join(dir, 'w.db'), resolve('resources'), (event, payload) => events.push({ event, payload }));
    try {
      expect(await engine.handlers['models/list']({})).toEqual([]);
      const result = await engine.handlers['cards/import']({ paths: [resolve('test/fixtures/model-cards/model-card-toolkit')] });
      expect(result).toMatchObject({ imported: 1, unchanged: 0, rejected: [] });
      expect(events.some((e) => e.event === 'cards/importProgress')).toBe(true);
      const list = await engine.handlers['models/list']({});
      expect(list).toHaveLength(1);
      // The window's route carries the same answer as JSON text, which the main process never parses.
      const routed = await engine.routes['models/list']({});
      expect(isJsonAnswer(routed)).toBe(true);
      expect(readAnswer(routed)).toEqual(list);
      expect(isJsonAnswer(await engine.routes['db/info']({}))).toBe(false);
      await expect(engine.handlers['models/show']({ name: 'nope' })).rejects.toBeInstanceOf(DocketError);
      await expect(engine.handlers['models/show']({ name: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await engine.stop();
    }
  });
});
