import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type OpenStoreOptions, type Store } from '../../electron/core/store/openStore';

/** A fresh workspace database in its own temp folder; call cleanup() in afterEach. */
export function tempStore(options: OpenStoreOptions = {}): { store: Store; dir: string; dbPath: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'docket-test-'));
  const dbPath = join(dir, 'docket.db');
  const store = openStore(dbPath, options);
  return {
    store,
    dir,
    dbPath,
    cleanup: () => {
      try {
        store.close();
      } catch {
        /* already closed by the test */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const fixedClock = (iso = '2026-11-26T09:00:00.000Z') => () => new Date(iso);
