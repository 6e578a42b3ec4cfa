import type { Command } from 'commander';
import { resolve } from 'node:path';
import { copyDatabase, restoreBackup, RestoreError } from '../core/store/backup';
import { dbInfo } from '../core/store/dbInfo';
import type { Store } from '../core/store/openStore';
import { formatTable, type CliOutput } from './output';

/** `docket db …`: info, a consistent backup while others write, restore a checked backup. */

export interface DbCommandDeps {
  withStore: (fn: (store: Store, out: CliOutput) => Promise<number> | number) => Promise<void>;
  /** The output and the workspace database path the global options name. */
  context: () => { out: CliOutput; dbPath: string };
  setExitCode: (code: number) => void;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;

export function registerDbCommands(db: Command, deps: DbCommandDeps): void {
  const { withStore } = deps;
  db.command('info')
    .description('path, schema version and row counts')
    .action(() =>
      withStore((store, out) => {
        const info = dbInfo(store);
        out.print([`Database: ${info.path}`, `Schema version: ${info.schemaVersion}`, formatTable(['TABLE', 'ROWS'], Object.entries(info.counts))].join('\n'), info);
        return EXIT_OK;
      }),
    );

  db.command('backup')
    .description('a consistent copy (one committed state, even while the app writes), written with VACUUM INTO')
    .requiredOption('--out <file>', 'where to write the backup (must not exist)')
    .action((opts: { out: string }) =>
      withStore((store, out) => {
        const target = resolve(opts.out);
        const { pages, bytes } = copyDatabase(store.db, target);
        out.print(`Backed up ${store.path} to ${target} (${pages} pages).`, { source: store.path, backup: target, pages, bytes });
        return EXIT_OK;
      }),
    );

  db.command('restore')
    .description('replace the workspace database with a backup, after checking the backup (integrity, schema version, audit chain)')
    .argument('<file>', 'the backup, e.g. one in the backups/ folder beside the database')
    .option('--force', 'replace even a healthy database that has audit entries the backup lacks', false)
    .action((file: string, opts: { force: boolean }) => {
      const { out, dbPath } = deps.context();
      try {
        const r = restoreBackup(dbPath, resolve(file), { force: opts.force });
        const lines = [
          `Checked ${r.restored.file}: integrity ok, schema version ${r.restored.schemaVersion}, audit chain intact (${r.restored.auditEntries} entries).`,
          r.replacedMovedTo
            ? `Moved the previous database (${r.replacedDamage ? `damaged: ${r.replacedDamage}` : `healthy, ${r.replacedAuditEntries ?? 0} audit entries`}) to ${r.replacedMovedTo}.`
            : 'There was no database to replace.',
          `Restored ${dbPath}; its audit chain verifies (${r.restored.auditEntries} entries, head ${r.restored.auditHead ?? '(empty)'}).`,
        ];
        out.print(lines.join('\n'), {
          database: dbPath,
          backup: r.restored.file,
          schemaVersion: r.restored.schemaVersion,
          auditEntries: r.restored.auditEntries,
          auditHead: r.restored.auditHead,
          replacedMovedTo: r.replacedMovedTo,
          replacedDamage: r.replacedDamage,
        });
        deps.setExitCode(EXIT_OK);
      } catch (err) {
        if (!(err instanceof RestoreError)) throw err;
        out.error(`Not restored: ${err.message}`);
        deps.setExitCode(EXIT_FAILED);
      }
    });
}
