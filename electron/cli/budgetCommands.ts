import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import type { BudgetDefinitionInput, BudgetPeriod, BudgetScope, Threshold } from '../../shared/budgets/budgetSchema';
import { thresholdSpec } from '../../shared/budgets/thresholds';
import { formatMoney } from '../../shared/format/money';
import { DocketError } from '../../shared/ipc/result';
import { anomalyMethodText, listAnomalies, scanAnomalies, setAnomalyVerdict } from '../core/budgets/anomalyScan';
import { allBudgetStatuses, refreshBudgetStates, utcDay } from '../core/budgets/budgetStatus';
import { deleteBudget, listBudgets, setBudget } from '../core/budgets/budgetStore';
import type { BudgetStatusView } from '../../shared/budgets/budgetViews';
import { EXIT_OK, EXIT_USAGE, storeAction, UsageError, type CommandContext } from './commandContext';
import { formatTable } from './output';
import { pdfIdentity, reviewerKey } from './packCommands';

/**
 * `docket budget set|list|status|delete|export` and `docket anomalies`: budgets with AWS Budgets'
 * thresholds, their forecasts and alert states, and the signed FinOps budget report.
 */

const SET_HELP = `
Scope:      all | model:<name> | team:<tag value> | provider:<name>
Period:     monthly | quarterly | annual | <YYYY-MM-DD>..<YYYY-MM-DD> (custom, inclusive)
Threshold:  <actual|forecasted>:<N>% (a share of the amount) or <actual|forecasted>:<N> (an amount);
            repeatable; default actual:100%. A threshold is in ALARM while its figure is greater
            than its trigger; forecasted thresholds use Docket's forecast of the period-end total.
Planned:    <YYYY-MM>:<amount>, repeatable: a month's own amount (monthly budgets) or share of the period.
Changing an existing budget needs --reason: the change is recorded in the audit log with the old and
new amount.`;

const STATUS_HELP = `
JSON (--json): one object per budget:
  {"name", "period": "<first day>..<last day>", "amount", "actual", "forecast", "forecastLow",
   "forecastHigh", "state": "OK"|"ALARM"}
  forecast, forecastLow and forecastHigh are the period-end total and its prediction interval
  (null when there is too little history). Amounts are in each budget's currency.
Judging the budgets records any threshold that changed state (once) in the audit log.`;

export function parseScope(text: string): BudgetScope {
  if (text === 'all') return { kind: 'all' };
  const match = /^(model|team|provider):(.+)$/.exec(text);
  if (!match) throw new UsageError(`--scope "${text}": use all, model:<name>, team:<value> or provider:<name>`);
  return { kind: match[1] as 'model' | 'team' | 'provider', value: match[2]! };
}

export function parsePeriod(text: string): BudgetPeriod {
  if (text === 'monthly' || text === 'quarterly' || text === 'annual') return { kind: text };
  const match = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (!match) throw new UsageError(`--period "${text}": use monthly, quarterly, annual or <YYYY-MM-DD>..<YYYY-MM-DD>`);
  return { kind: 'custom', from: match[1]!, to: match[2]! };
}

export function parseThreshold(text: string): Threshold {
  const match = /^(actual|forecasted|forecast):(-?\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (!match) throw new UsageError(`--threshold "${text}": use actual:80%, forecasted:100% or actual:5000`);
  return { basis: match[1] === 'actual' ? 'actual' : 'forecasted', kind: match[3] === '%' ? 'percent' : 'absolute', value: Number(match[2]) };
}

function parseAmount(text: string, flag: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(text.trim())) throw new UsageError(`${flag} "${text}" is not a number`);
  return Number(text);
}

function parsePlanned(text: string): { month: string; amount: number } {
  const match = /^(\d{4}-\d{2}):(.+)$/.exec(text);
  if (!match) throw new UsageError(`--planned "${text}": use <YYYY-MM>:<amount>`);
  return { month: match[1]!, amount: parseAmount(match[2]!, '--planned') };
}

const collect = (value: string, previous: string[]) => [...previous, value];
const figure = (n: number | null, currency: string) => (n === null ? '—' : formatMoney(n, currency));

export function statusJson(s: BudgetStatusView): { name: string; period: string; amount: number; actual: number; forecast: number | null; forecastLow: number | null; forecastHigh: number | null; state: 'OK' | 'ALARM' } {
  return { name: s.name, period: `${s.periodStart}..${s.periodEnd}`, amount: s.amount, actual: s.actual, forecast: s.forecast?.mean ?? null, forecastLow: s.forecast?.low ?? null, forecastHigh: s.forecast?.high ?? null, state: s.state };
}

/** Budget refusals are the user's input: exit 2 with every field named. */
function refusal(error: unknown): string | null {
  return error instanceof DocketError && (error.code === 'INVALID_INPUT' || (error.code === 'REJECTED' && error.issues !== undefined)) ? error.message : null;
}

export function registerBudgetCommands(program: Command, ctx: CommandContext): void {
  const budget = program.command('budget').description('budgets: spend limits per model, team, provider or everything, with ACTUAL and FORECASTED alert thresholds');

  budget
    .command('set')
    .description('create a budget, or change the one with this name (a change needs --reason)')
    .requiredOption('--name <name>', 'the budget name')
    .option('--scope <scope>', 'all | model:<m> | team:<t> | provider:<p>', 'all')
    .option('--period <period>', 'monthly | quarterly | annual | <from>..<to>', 'monthly')
    .requiredOption('--amount <amount>', 'the budgeted amount per period')
    .option('--currency <code>', 'ISO 4217 currency of the amount', 'USD')
    .option('--threshold <spec>', 'actual:80% | forecasted:100% | actual:5000; repeatable', collect, [] as string[])
    .option('--planned <month:amount>', 'planned amount for a month; repeatable', collect, [] as string[])
    .addOption(new Option('--metric <metric>', 'which cost counts').choices(['effective', 'billed']).default('effective'))
    .option('--source <source>', 'focus or aws-ce:<id> (see docket spend sources)', 'focus')
    .option('--reason <text>', 'why: required to change an existing budget, recorded in the audit log')
    .addHelpText('after', SET_HELP)
    .action((opts: { name: string; scope: string; period: string; amount: string; currency: string; threshold: string[]; planned: string[]; metric: 'effective' | 'billed'; source: string; reason?: string }) =>
      storeAction(ctx, (store, out) => {
        const definition: BudgetDefinitionInput = {
          name: opts.name,
          scope: parseScope(opts.scope),
          period: parsePeriod(opts.period),
          amount: parseAmount(opts.amount, '--amount'),
          currency: opts.currency,
          metric: opts.metric,
          source: opts.source,
          planned: opts.planned.map(parsePlanned),
          ...(opts.threshold.length ? { thresholds: opts.threshold.map(parseThreshold) } : {}),
        };
        try {
          const result = setBudget(store, definition, { actor: userInfo().username, clock: ctx.clock, reason: opts.reason });
          refreshBudgetStates(store, { clock: ctx.clock, actor: userInfo().username });
          const b = result.budget.definition;
          const what = result.outcome === 'created' ? 'Created' : result.outcome === 'changed' ? `Changed (${result.changed.join(', ')})` : 'Unchanged';
          out.print(`${what}: budget "${b.name}", ${formatMoney(b.amount, b.currency)} ${b.period.kind === 'custom' ? `from ${b.period.from} to ${b.period.to}` : b.period.kind}, thresholds ${b.thresholds.map(thresholdSpec).join(', ')}.`, {
            id: result.budget.id,
            outcome: result.outcome,
            changed: result.changed,
            definition: b,
          });
          return EXIT_OK;
        } catch (error) {
          const message = refusal(error);
          if (message === null) throw error;
          out.error(message);
          return EXIT_USAGE;
        }
      }),
    );

  budget
    .command('list')
    .description('every budget with its scope, period, amount and thresholds')
    .action(() =>
      storeAction(ctx, (store, out) => {
        const budgets = listBudgets(store.db);
        out.print(
          budgets.length === 0
            ? 'No budgets yet: create one with docket budget set.'
            : formatTable(
                ['NAME', 'SCOPE', 'PERIOD', 'AMOUNT', 'THRESHOLDS', 'SOURCE'],
                budgets.map((b) => {
                  const d = b.definition;
                  return [b.name, d.scope.kind === 'all' ? 'all' : `${d.scope.kind}:${d.scope.value}`, d.period.kind === 'custom' ? `${d.period.from}..${d.period.to}` : d.period.kind, formatMoney(d.amount, d.currency), d.thresholds.map(thresholdSpec).join(' '), d.source];
                }),
              ),
          budgets.map((b) => ({ id: b.id, ...b.definition })),
        );
        return EXIT_OK;
      }),
    );

  budget
    .command('status')
    .description("where each budget stands in its current period: spend so far, the period-end forecast with its interval, and OK or ALARM")
    .addHelpText('after', STATUS_HELP)
    .action(() =>
      storeAction(ctx, (store, out) => {
        refreshBudgetStates(store, { clock: ctx.clock, actor: userInfo().username });
        const statuses = allBudgetStatuses(store.db, utcDay(ctx.clock));
        const human =
          statuses.length === 0
            ? 'No budgets yet: create one with docket budget set.'
            : [
                formatTable(
                  ['NAME', 'PERIOD', 'AMOUNT', 'ACTUAL', 'FORECAST', 'INTERVAL', 'STATE'],
                  statuses.map((s) => [
                    s.name,
                    s.periodLabel,
                    formatMoney(s.amount, s.currency),
                    formatMoney(s.actual, s.currency),
                    figure(s.forecast?.mean ?? null, s.currency),
                    s.forecast ? `${figure(s.forecast.low, s.currency)}–${figure(s.forecast.high, s.currency)}` : '—',
                    s.state === 'ALARM' ? '⚠ ALARM' : '✓ OK',
                  ]),
                ),
                ...statuses.flatMap((s) => s.thresholds.filter((t) => t.state === 'ALARM').map((t) => `  ${s.name}: ${t.label} is in ALARM${t.changedAt ? ` since ${t.changedAt}` : ''}`)),
                ...statuses.flatMap((s) => s.notes.map((n) => `  ${s.name}: ${n}`)),
              ].join('\n');
        out.print(human, statuses.map(statusJson));
        return EXIT_OK;
      }),
    );

  budget
    .command('delete')
    .description('delete a budget; the reason is recorded in the audit log')
    .requiredOption('--name <name>', 'the budget')
    .requiredOption('--reason <text>', 'why it goes')
    .action((opts: { name: string; reason: string }) =>
      storeAction(ctx, (store, out) => {
        deleteBudget(store, opts.name, { actor: userInfo().username, clock: ctx.clock, reason: opts.reason });
        out.print(`Deleted budget "${opts.name}".`, { deleted: opts.name });
        return EXIT_OK;
      }),
    );

  budget
    .command('export')
    .description('write the signed budget report: one row per budget per month (CSV, XLSX) or a PDF with a chart per budget; a signed manifest goes beside it as <file>.dsse.json')
    .addOption(new Option('--format <format>', 'report format').choices(['csv', 'xlsx', 'pdf']).makeOptionMandatory())
    .requiredOption('--out <file>', 'where to write the report')
    .option('--key <file>', "reviewer key file that signs the manifest (passphrase from DOCKET_KEY_PASSPHRASE or a prompt); default: the workspace's only key")
    .option('--p12 <file>', 'sign the PDF with this organisation PKCS#12 instead of the workspace certificate')
    .option('--p12-pass-env <var>', 'environment variable holding the PKCS#12 passphrase')
    .option('--force', 'replace an existing report at --out', false)
    .addOption(new Option('--passphrase [value]').hideHelp())
    .action((opts: { format: 'csv' | 'xlsx' | 'pdf'; out: string; key?: string; p12?: string; p12PassEnv?: string; force?: boolean; passphrase?: unknown }) =>
      storeAction(ctx, async (store, out) => {
        if (opts.passphrase !== undefined) throw new UsageError('a passphrase is never accepted on the command line (it would stay in shell history and process lists): set DOCKET_KEY_PASSPHRASE or run in a terminal to be asked');
        const key = await reviewerKey(store, opts.key);
        const identity = opts.format === 'pdf' ? pdfIdentity(store, opts, ctx.clock) : undefined;
        // Loaded on use: the PDF renderer pulls in pdfkit.
        const { exportBudgetReport } = await import('../core/budgets/exportBudgetReport');
        const result = await exportBudgetReport(store, { format: opts.format, outPath: resolve(opts.out), resourcesDir: ctx.resourcesDir, clock: ctx.clock, actor: userInfo().username, reviewerKey: key, pdfIdentity: identity, force: opts.force === true });
        out.print(
          [
            `Budget report (${result.report.budgets.length} budgets, as of ${result.report.asOf}) written to ${result.path}`,
            `  sha256:            ${result.sha256}`,
            `  signed manifest:   ${result.envelopePath}`,
            `  signed by:         ${result.manifest.signer.name} (${result.manifest.signer.role}), key ${result.manifest.signer.keyId}`,
            `Check it with: docket verify ${result.path} --trust-key ${result.manifest.signer.keyId.slice(0, 16)}`,
          ].join('\n'),
          { path: result.path, envelopePath: result.envelopePath, sha256: result.sha256, bytes: result.bytes, manifest: result.manifest },
        );
        return EXIT_OK;
      }),
    );

  program
    .command('anomalies')
    .description("days whose spend for a model left its expected band, with the likely driver, releases near it, and the verdict given")
    .option('--from <YYYY-MM-DD>', 'first day (default: 90 days before the data ends)')
    .option('--to <YYYY-MM-DD>', 'last day (default: the last day with data)')
    .option('--source <source>', 'focus or aws-ce:<id>', 'focus')
    .action((opts: { from?: string; to?: string; source: string }) =>
      storeAction(ctx, (store, out) => {
        for (const [flag, day] of [['--from', opts.from], ['--to', opts.to]] as const) {
          if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new UsageError(`${flag} "${day}" is not a date (YYYY-MM-DD)`);
        }
        const scanned = scanAnomalies(store, { source: opts.source, from: opts.from, to: opts.to, clock: ctx.clock });
        const anomalies = scanned ? listAnomalies(store.db, { source: opts.source, from: scanned.from, to: scanned.to }) : [];
        const method = anomalyMethodText(anomalies[0]?.currency);
        const human = !scanned
          ? 'No spend data in this source yet.'
          : [
              `Scanned ${scanned.from} to ${scanned.to}. ${method}`,
              anomalies.length === 0
                ? 'No anomalies.'
                : formatTable(
                    ['ID', 'DAY', 'MODEL', 'ACTUAL', 'EXPECTED', 'IMPACT', 'LIKELY DRIVER', 'NEAR A RELEASE', 'VERDICT'],
                    anomalies.map((a) => [
                      String(a.id),
                      a.day,
                      a.model,
                      formatMoney(a.actual, a.currency),
                      formatMoney(a.expected, a.currency),
                      formatMoney(a.impact, a.currency),
                      a.drivers[0] ? `${a.drivers[0].dimension} ${a.drivers[0].key}` : '—',
                      a.releases.map((r) => r.detail).join('; ') || '—',
                      a.verdict ?? '—',
                    ]),
                  ),
            ].join('\n');
        out.print(human, { method, from: scanned?.from ?? null, to: scanned?.to ?? null, anomalies });
        return EXIT_OK;
      }),
    );

  program
    .command('anomaly')
    .description("record your verdict on an anomaly, as AWS's anomaly feedback has it")
    .argument('<id>', 'the anomaly id (docket anomalies)')
    .addOption(new Option('--verdict <verdict>', 'expected, unexpected or planned').choices(['expected', 'unexpected', 'planned']).makeOptionMandatory())
    .option('--note <text>', 'why')
    .action((id: string, opts: { verdict: 'expected' | 'unexpected' | 'planned'; note?: string }) =>
      storeAction(ctx, (store, out) => {
        if (!/^\d+$/.test(id)) throw new UsageError(`"${id}" is not an anomaly id`);
        const a = setAnomalyVerdict(store, Number(id), opts.verdict, { actor: userInfo().username, clock: ctx.clock, note: opts.note });
        out.print(`Anomaly #${a.id} (${a.model}, ${a.day}) marked ${a.verdict}.`, a);
        return EXIT_OK;
      }),
    );
}
