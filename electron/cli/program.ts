import { Command, CommanderError, Help, Option } from 'commander';
import { resolve } from 'node:path';
import { version as DOCKET_VERSION } from '../../package.json';
import { defaultDbPath } from '../core/dataDir';
import { systemClock, type Clock } from '../core/store/clock';
import { openStore, type Store } from '../core/store/openStore';
import { createOutput, type CliOutput } from './output';

/** Exit codes: 0 ok, 1 the work failed (rejected input, broken chain), 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CliEnvironment {
  clock?: Clock;
  resourcesDir: string;
}

/** "name@version" -> parts; the last "@" splits, so names may contain "@" (rare, but HF org names do not). */
export function parseModelRef(ref: string): { name: string; version: string | undefined } {
  const at = ref.lastIndexOf('@');
  return at > 0 ? { name: ref.slice(0, at), version: ref.slice(at + 1) || undefined } : { name: ref, version: undefined };
}

/** What a group of commands needs from runCli to register itself. */
export interface CliContext {
  program: Command;
  withStore: (fn: (store: Store, out: CliOutput) => Promise<number> | number) => Promise<void>;
  /** The output and the workspace database path the global options name. */
  context: () => { out: CliOutput; dbPath: string };
  clock: Clock;
  resourcesDir: string;
  setExitCode: (code: number) => void;
}

/**
 * The top-level commands in the order help lists them, by the module that registers them. A module
 * is loaded (with everything it imports: zod schemas, the AWS SDK, node-forge, pdfkit) only when one
 * of its commands is run; help, `help <command>`, no command or an unknown one load them all, so
 * those read exactly as before. Internal modules only: esbuild inlines these imports in the bundle.
 */
const COMMAND_GROUPS: { names: readonly string[]; load: () => Promise<(ctx: CliContext) => void> }[] = [
  { names: ['import', 'fairness', 'spend', 'attribution', 'sync', 'lineage', 'models'], load: async () => (await import('./workspaceCommands')).registerWorkspaceCommands },
  {
    names: ['db'],
    load: async () => {
      const { registerDbCommands } = await import('./dbCommands');
      return (ctx) => registerDbCommands(ctx.program.command('db').description('the workspace database'), ctx);
    },
  },
  {
    names: ['audit'],
    load: async () => {
      const { registerAuditCommands } = await import('./auditCommands');
      return (ctx) => registerAuditCommands(ctx.program.command('audit').description('the tamper-evident audit log: list, verify, export a signed range'), ctx);
    },
  },
  { names: ['demo'], load: async () => (await import('./workspaceCommands')).registerDemoCommand },
  {
    names: ['keys', 'policy', 'sources', 'review', 'decisions'],
    load: async () => {
      const { registerReviewCommands } = await import('./reviewCommands');
      return (ctx) => registerReviewCommands(ctx.program, ctx);
    },
  },
  {
    names: ['budget', 'anomalies', 'anomaly'],
    load: async () => {
      const { registerBudgetCommands } = await import('./budgetCommands');
      return (ctx) => registerBudgetCommands(ctx.program, ctx);
    },
  },
  {
    names: ['sunset'],
    load: async () => {
      const { registerSunsetCommands } = await import('./sunsetCommands');
      return (ctx) => registerSunsetCommands(ctx.program, ctx);
    },
  },
  {
    names: ['export', 'verify'],
    load: async () => {
      const { registerPackCommands } = await import('./packCommands');
      return (ctx) => registerPackCommands(ctx.program, ctx);
    },
  },
];

/** The first word of the command line that is not a global option (or its value): the command. */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return argv[i + 1];
    if (arg === '--db') i += 1;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

interface GlobalOptions {
  db?: string;
  json?: boolean;
}

/** Runs the docket command line and resolves to its exit code (never calls process.exit itself). */
export async function runCli(argv: string[], env: CliEnvironment): Promise<number> {
  const clock = env.clock ?? systemClock;
  let exitCode = EXIT_OK;
  const program = new Command('docket')
    .description('Docket: ML governance, cost and compliance review from the command line')
    .addOption(new Option('--db <path>', 'workspace database file').default(undefined, "the app's own database"))
    .option('--json', 'print machine-readable JSON', false)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // --version is answered before commander parses (see below), so it is listed in the help only.
  const versionHelp = new Option('-V, --version', "print Docket's version");
  program.configureHelp({
    visibleOptions(cmd) {
      const shown = Help.prototype.visibleOptions.call(this, cmd);
      return cmd === program ? [...shown.slice(0, -1), versionHelp, ...shown.slice(-1)] : shown;
    },
  });

  const context = () => {
    const opts = program.opts<GlobalOptions>();
    return { out: createOutput(opts.json === true), dbPath: resolve(opts.db ?? defaultDbPath()) };
  };
  const withStore = async (fn: (store: Store, out: CliOutput) => Promise<number> | number) => {
    const { out, dbPath } = context();
    let store: Store;
    try {
      store = openStore(dbPath);
    } catch (err) {
      out.error((err as Error).message);
      exitCode = EXIT_FAILED;
      return;
    }
    try {
      exitCode = await fn(store, out);
    } catch (err) {
      out.error((err as Error).message);
      exitCode = EXIT_FAILED;
    } finally {
      store.close();
    }
  };

  const ctx: CliContext = { program, withStore, context, clock, resourcesDir: env.resourcesDir, setExitCode: (code) => (exitCode = code) };
  const word = commandWord(argv);
  // Answered here, not with commander's .version(): that option would be recognised anywhere on the
  // line and swallow `import cards --version V`. Only a line naming no command asks for it.
  if (word === undefined && (argv.includes('--version') || argv.includes('-V'))) {
    createOutput(argv.includes('--json')).print(`docket ${DOCKET_VERSION}`, { version: DOCKET_VERSION });
    return EXIT_OK;
  }
  const owning = COMMAND_GROUPS.filter((g) => word !== undefined && g.names.includes(word));
  for (const group of owning.length > 0 ? owning : COMMAND_GROUPS) (await group.load())(ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    throw err;
  }
  return exitCode;
}
