import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { findElectronBinary } from '../../scripts/electronBinary.mjs';

// Runs wherever an Electron binary is installed; CI machines here cannot download one.
const binary = findElectronBinary();

describe.skipIf(binary === null)('Electron smoke test', () => {
  it('opens the secure window on app://, with window.docket and no Node in the page', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'docket-electron-'));
    const app = await electron.launch({ executablePath: binary!, args: [resolve('.')], env: { ...process.env, DOCKET_DATA_DIR: dataDir } });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(page.url()).toMatch(/^app:\/\/docket\//);
      const probe = await page.evaluate(() => ({
        hasDocket: typeof (window as unknown as { docket?: unknown }).docket === 'object',
        hasRequire: typeof (window as unknown as { require?: unknown }).require,
        hasProcess: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(probe).toEqual({ hasDocket: true, hasRequire: 'undefined', hasProcess: 'undefined' });
      const list = await page.evaluate(() => (window as unknown as { docket: { invoke(c: string, i: unknown): Promise<unknown> } }).docket.invoke('models/list', {}));
      expect(list).toEqual({ ok: true, value: [] });
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
