// A child process for the SIGKILL test: imports one FOCUS file into a database and prints a line per
// progress report ("progress <rows>"), so the test can kill it once rows are being written.
import { importFocus } from '../../electron/core/spend/importFocus';
import { openStore } from '../../electron/core/store/openStore';
import { systemClock } from '../../electron/core/store/clock';

async function main(): Promise<void> {
  const [dbPath, file] = process.argv.slice(2);
  if (!dbPath || !file) throw new Error('usage: focusImportChild <db> <file>');
  const store = openStore(dbPath);
  const result = await importFocus(store, [file], { actor: 'child', clock: systemClock, onProgress: (p) => process.stdout.write(`progress ${p.rows}\n`) });
  process.stdout.write(`done ${JSON.stringify(result.files.map((f) => f.status))}\n`);
  store.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
