import { Option } from 'commander';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { SECTION_KEYS } from '../../shared/domain/modelCard';
import type { ImportResult } from '../../shared/ipc/contract';
import { importCards } from '../core/cards/importCards';
import { buildDemoWorkspace } from '../core/demo/buildDemo';
import { exportDemoPack } from '../core/demo/demoPack';
import { importFairness } from '../core/fairness/importFairness';
import { fairnessStatusByVersion, fairnessVersionView } from '../core/fairness/fairnessQueries';
import { importLineage } from '../core/lineage/importLineage';
import { lineageView } from '../core/lineage/lineageGraph';
import { syncMlflow } from '../core/mlflow/syncMlflow';
import { modelHistory } from '../core/mlflow/registryHistory';
import { listModels, showModel } from '../core/models/modelQueries';
import { syncAwsCe } from '../core/awsce/syncAwsCe';
import type { CeGroupBy2 } from '../core/awsce/fetchCostAndUsage';
import { loadDefaultPolicy } from '../core/policy/loadPolicy';
import { addRule, listRules, removeRule } from '../core/spend/attribution';
import { importFocus } from '../core/spend/importFocus';
import { importUsage } from '../core/spend/importUsage';
import { SPEND_GROUPINGS, SpendQueryError, spendBy, spendProvenance, unitCosts, type SpendGrouping } from '../core/spend/spendQueries';
import { formatFairness } from './formatFairness';
import { formatFocusImport, formatSpend, resolveSpendSource } from './formatSpend';
import { formatTable } from './output';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseModelRef, type CliContext } from './program';

/**
 * The workspace commands defined with the program itself: import, fairness, spend, attribution,
 * sync, lineage, models, and demo. A module of their own so that runCli loads them (and the
 * importers, the AWS SDK and the demo's PDF code they bring) only when one of them runs.
 */

function omitRunId(result: ImportResult): Omit<ImportResult, 'syncRunId'> {
  const { syncRunId: _run, ...machine } = result;
  return machine;
}

function importSummary(result: ImportResult): string {
  const lines = [`Imported ${result.imported}, unchanged ${result.unchanged}, rejected ${result.rejected.length}.`];
  if (result.rejected.length > 0) {
    lines.push('Nothing from this import was written. Fix these files and import again:');
    for (const r of result.rejected) lines.push(`  ${r.file}: ${r.location}: ${r.reason}`);
  }
  return lines.join('\n');
}

export function registerWorkspaceCommands({ program, withStore, clock, resourcesDir }: CliContext): void {
  const env = { resourcesDir };
  const importCmd = program.command('import').description('import evidence into the workspace');
  importCmd
    .command('cards')
    .description('import model cards (Hugging Face README.md, Model Card Toolkit JSON, CycloneDX ML-BOM) from files or folders')
    .argument('<paths...>', 'files or folders (searched recursively)')
    .option('--version <version>', 'version for cards that do not state one (default "1")')
    .action((paths: string[], opts: { version?: string }) =>
      withStore((store, out) => {
        const result = importCards(store, paths, {
          fallbackVersion: opts.version,
          actor: userInfo().username,
          clock,
          onProgress: (p) => out.progress(p.done, p.total, p.file),
        });
        out.endProgress();
        out.print(importSummary(result), omitRunId(result));
        return result.rejected.length > 0 ? EXIT_FAILED : EXIT_OK;
      }),
    );

  importCmd
    .command('fairness')
    .description('import fairness evaluations (Fairlearn MetricFrame JSON, by-group CSV, confusion-count CSV) for a model version')
    .argument('<files...>', 'files or folders (searched recursively for *.json and *.csv)')
    .option('--model <name@version>', 'the model version they evaluate (unless a file names its own)')
    .option('--dataset <name>', 'evaluation dataset, for files that do not name it')
    .option('--dataset-digest <digest>', "the dataset's digest, for files that do not give it")
    .option('--producer <who>', 'who or what produced the evaluation, for files that do not say')
    .action((files: string[], opts: { model?: string; dataset?: string; datasetDigest?: string; producer?: string }) =>
      withStore((store, out) => {
        let target: { name: string; version: string } | undefined;
        if (opts.model) {
          const ref = parseModelRef(opts.model);
          if (!ref.version) {
            out.error(`--model needs name@version, got "${opts.model}"`);
            return EXIT_USAGE;
          }
          target = { name: ref.name, version: ref.version };
        }
        const result = importFairness(store, files, {
          target,
          dataset: opts.dataset || opts.datasetDigest ? { name: opts.dataset ?? null, digest: opts.datasetDigest ?? null } : undefined,
          producer: opts.producer,
          actor: userInfo().username,
          clock,
        });
        out.print(importSummary(result), omitRunId(result));
        return result.rejected.length > 0 ? EXIT_FAILED : EXIT_OK;
      }),
    );

  program
    .command('fairness')
    .description('fairness evaluations judged against the policy')
    .command('show')
    .description('groups, metrics by group, disparities and pass/fail with the basis of each threshold')
    .argument('<model>', 'model name, optionally with @version (default: latest)')
    .action((ref: string) =>
      withStore((store, out) => {
        const { name, version } = parseModelRef(ref);
        const view = fairnessVersionView(store.db, name, version, loadDefaultPolicy(env.resourcesDir));
        out.print(formatFairness(view), view);
        return EXIT_OK;
      }),
    );

  importCmd
    .command('lineage')
    .description('import OpenLineage RunEvents (a JSON event, a JSON array or NDJSON) into the lineage graph')
    .argument('<files...>', 'files or folders (searched recursively for *.json, *.ndjson, *.jsonl)')
    .action((files: string[]) =>
      withStore((store, out) => {
        const result = importLineage(store, files, { actor: userInfo().username, clock });
        out.print(importSummary(result), omitRunId(result));
        return result.rejected.length > 0 ? EXIT_FAILED : EXIT_OK;
      }),
    );

  importCmd
    .command('focus')
    .description('import FOCUS 1.0-1.2 cost and usage files (CSV or gzip CSV), each file all or nothing')
    .argument('<files...>', 'files or folders (searched recursively for *.csv and *.csv.gz)')
    .option('--skip-bad-rows', 'import the good rows of a file with bad ones, listing every row skipped', false)
    .option('--team-tag <key>', 'tag key that names the team', 'team')
    .option('--model-tag <key>', 'tag key that names the model', 'ml:model')
    .action((files: string[], opts: { skipBadRows: boolean; teamTag: string; modelTag: string }) =>
      withStore(async (store, out) => {
        const result = await importFocus(store, files, {
          actor: userInfo().username,
          clock,
          skipBadRows: opts.skipBadRows,
          tagKeys: { team: opts.teamTag, model: opts.modelTag },
          onProgress: (p) => out.progress(p.bytesRead, p.totalBytes, `${p.rows} rows ${p.file}`),
        });
        out.endProgress();
        out.print(
          formatFocusImport(result.files),
          result.files.map((f) => ({ file: f.file, status: f.status, focusVersion: f.focusVersion, rows: f.rows, rejected: f.rejected, totals: f.totals })),
        );
        return result.files.some((f) => f.status === 'rejected') ? EXIT_FAILED : EXIT_OK;
      }),
    );

  program
    .command('spend')
    .description('cloud spend per model, team, service, provider or account, per currency, from one source (FOCUS files or one Cost Explorer sync)')
    .addOption(new Option('--by <grouping>', 'what to group by').choices([...SPEND_GROUPINGS]).default('model'))
    .option('--from <YYYY-MM-DD>', 'first day (inclusive, UTC)')
    .option('--to <YYYY-MM-DD>', 'last day (inclusive, UTC)')
    .option('--source <source>', 'focus (imported FOCUS files), or aws-ce[:ID] (a Cost Explorer sync; never added to FOCUS, they are the same bill)', 'focus')
    .option('--unit-costs', 'per model: effective cost per 1,000 predictions and per million tokens (needs imported usage)')
    .action((opts: { by: SpendGrouping; from?: string; to?: string; source: string; unitCosts?: boolean }) =>
      withStore((store, out) => {
        try {
          const source = resolveSpendSource(store.db, opts.source);
          if (opts.unitCosts) {
            const units = unitCosts(store.db, { from: opts.from, to: opts.to, source });
            const money = (v: number | null, currency: string) => (v === null ? '—' : `${v.toFixed(4)} ${currency}`);
            out.print(
              units.length === 0
                ? 'No attributed spend in this range.'
                : formatTable(
                    ['MODEL', 'EFFECTIVE COST', 'REQUESTS', 'PER 1K PREDICTIONS', 'TOKENS', 'PER 1M TOKENS'],
                    units.map((u) => [u.model, `${u.effectiveCost.toFixed(2)} ${u.currency}`, u.requests, money(u.costPer1kPredictions, u.currency), u.tokens ?? '—', money(u.costPerMillionTokens, u.currency)]),
                  ),
              units,
            );
            return EXIT_OK;
          }
          const rows = spendBy(store.db, { by: opts.by, from: opts.from, to: opts.to, source });
          out.print(formatSpend(opts.by, rows, spendProvenance(store.db, { source, from: opts.from, to: opts.to })), rows);
          return EXIT_OK;
        } catch (err) {
          // A source or grouping the data cannot answer is a wrong command line: say what would work.
          if (!(err instanceof SpendQueryError)) throw err;
          out.error(err.message);
          return EXIT_USAGE;
        }
      }),
    );

  const attribution = program.command('attribution').description('rules that attribute spend to models (re-applied to stored spend at once)');
  attribution
    .command('list')
    .description('the rules, in the order they are tried')
    .action(() =>
      withStore((store, out) => {
        const rules = listRules(store.db);
        out.print(
          rules.length === 0
            ? 'No rules: spend is attributed by its ml:model tag alone.'
            : formatTable(['ID', 'PRIORITY', 'KIND', 'MATCH', 'MODEL'], rules.map((r) => [r.id, r.priority, r.kind, r.kind === 'tag' ? `${r.tagKey} = ${r.pattern}` : r.pattern, r.model])),
          rules,
        );
        return EXIT_OK;
      }),
    );
  attribution
    .command('add')
    .description('add a rule: spend whose resource id, account or tag matches the pattern (GLOB: * and ?) counts for the model')
    .requiredOption('--model <name>', 'the model the matching spend counts for')
    .option('--resource <pattern>', 'match the resource id or ARN, e.g. "arn:aws:sagemaker:*:endpoint/fraud-*"')
    .option('--account <pattern>', 'match the sub-account (linked account) id')
    .option('--tag <key=pattern>', 'match a tag value, e.g. "project=fraud*"')
    .option('--priority <n>', 'lower numbers are tried first', '100')
    .action((opts: { model: string; resource?: string; account?: string; tag?: string; priority: string }) =>
      withStore((store, out) => {
        const given = [opts.resource, opts.account, opts.tag].filter((v) => v !== undefined);
        const priority = Number(opts.priority);
        if (given.length !== 1 || !Number.isInteger(priority)) {
          out.error('give exactly one of --resource, --account or --tag key=pattern, and an integer --priority');
          return EXIT_USAGE;
        }
        let rule: { kind: 'tag' | 'resource' | 'account'; tagKey: string | null; pattern: string };
        if (opts.tag !== undefined) {
          const eq = opts.tag.indexOf('=');
          if (eq <= 0) {
            out.error('--tag needs key=pattern');
            return EXIT_USAGE;
          }
          rule = { kind: 'tag', tagKey: opts.tag.slice(0, eq), pattern: opts.tag.slice(eq + 1) };
        } else if (opts.resource !== undefined) rule = { kind: 'resource', tagKey: null, pattern: opts.resource };
        else rule = { kind: 'account', tagKey: null, pattern: opts.account! };
        const added = addRule(store.db, { ...rule, model: opts.model, priority }, userInfo().username, clock().toISOString());
        out.print(`Added rule ${added.id}; stored spend re-attributed.`, added);
        return EXIT_OK;
      }),
    );
  attribution
    .command('remove')
    .description('remove a rule and re-attribute stored spend')
    .argument('<id>', 'rule id (see attribution list)')
    .action((id: string) =>
      withStore((store, out) => {
        removeRule(store.db, Number(id), userInfo().username, clock().toISOString());
        out.print(`Removed rule ${id}; stored spend re-attributed.`, { removed: Number(id) });
        return EXIT_OK;
      }),
    );

  importCmd
    .command('usage')
    .description('import daily usage per model from a CSV: day,model,requests[,input_tokens,output_tokens]')
    .argument('<file>', 'the usage CSV')
    .action((file: string) =>
      withStore((store, out) => {
        const result = importUsage(store, file, { actor: userInfo().username, clock });
        out.print(importSummary(result), omitRunId(result));
        return result.rejected.length > 0 ? EXIT_FAILED : EXIT_OK;
      }),
    );

  const syncCmd = program.command('sync').description('sync from external systems');
  syncCmd
    .command('mlflow')
    .description('sync an MLflow Model Registry: models, versions, aliases, stages, tags, runs and their dataset inputs')
    .requiredOption('--url <url>', 'MLflow tracking server URL')
    .option('--token-env <VAR>', 'environment variable holding a bearer token (the token is never stored)', 'MLFLOW_TRACKING_TOKEN')
    .action((opts: { url: string; tokenEnv: string }) =>
      withStore(async (store, out) => {
        const token = process.env[opts.tokenEnv] || undefined;
        const result = await syncMlflow(store, {
          url: opts.url,
          token,
          actor: userInfo().username,
          clock,
          clientOptions: { tokenSource: `$${opts.tokenEnv}` },
          onProgress: (p) => out.progress(p.done, p.total ?? Math.max(p.done, 1), p.phase),
          reviews: { resourcesDir: env.resourcesDir },
        });
        out.endProgress();
        const requests = Object.values(result.requests).reduce((a, b) => a + b, 0);
        out.print(
          [
            `Synced ${result.url}: ${result.models} models, ${result.versions} versions.`,
            `Added ${result.modelsAdded} models and ${result.versionsAdded} versions; ${result.changed} models changed, ${result.unchanged} unchanged; ${result.events} changes recorded; ${requests} requests.`,
            ...result.reviewsOpened.map((r) => `Opened draft review #${r.id} for ${r.model}@${r.version} (${r.trigger}).`),
            ...result.warnings.map((w) => `warning: ${w}`),
          ].join('\n'),
          result,
        );
        return EXIT_OK;
      }),
    );

  syncCmd
    .command('aws-ce')
    .description('sync daily cost from AWS Cost Explorer grouped by a cost-allocation tag (each request costs $0.01; only days not yet final are fetched)')
    .requiredOption('--from <YYYY-MM-DD>', 'first day')
    .requiredOption('--to <YYYY-MM-DD>', 'last day (inclusive)')
    .option('--tag-key <key>', 'cost-allocation tag naming the model', 'ml:model')
    .option('--group-by <dimension>', 'second grouping: SERVICE, LINKED_ACCOUNT, REGION, USAGE_TYPE...', 'SERVICE')
    .option('--profile <name>', 'AWS profile (SSO included); default: the SDK default credential chain')
    .option('--endpoint <url>', 'Cost Explorer endpoint override (tests, proxies)')
    .option('--forecast', "also fetch AWS's forecast for the rest of this month (GetCostForecast, one more request), shown beside Docket's in budgets")
    .action((opts: { from: string; to: string; tagKey: string; groupBy: string; profile?: string; endpoint?: string; forecast?: boolean }) =>
      withStore(async (store, out) => {
        const day = /^\d{4}-\d{2}-\d{2}$/;
        if (!day.test(opts.from) || !day.test(opts.to) || Number.isNaN(Date.parse(opts.from)) || Number.isNaN(Date.parse(opts.to)) || opts.to < opts.from) {
          out.error('--from and --to must be dates (YYYY-MM-DD), --to not before --from');
          return EXIT_USAGE;
        }
        const end = new Date(Date.parse(`${opts.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        const result = await syncAwsCe(store, {
          from: opts.from,
          to: end,
          tagKey: opts.tagKey,
          groupBy2: opts.groupBy as CeGroupBy2,
          profile: opts.profile,
          endpoint: opts.endpoint,
          actor: userInfo().username,
          clock,
          forecast: opts.forecast === true,
        });
        const { syncRunId: _run, window, ...machine } = result;
        out.print(
          window
            ? `Fetched ${window.from} to ${window.to} (exclusive): ${result.days} days, ${result.groups} groups, ${result.restated} restated amounts; ${result.requests} requests ($${(result.requests * 0.01).toFixed(2)}).`
            : 'Every day in the range is final and stored: nothing fetched, no request made ($0.00).',
          machine,
        );
        return EXIT_OK;
      }),
    );

  program
    .command('lineage')
    .description('the lineage graph')
    .command('show')
    .description('nodes, edges and lineage completeness of a model version')
    .argument('<model@version>', 'model name and version')
    .action((ref: string) =>
      withStore((store, out) => {
        const { name, version } = parseModelRef(ref);
        if (!version) {
          out.error(`give a version: ${ref}@<version>`);
          return EXIT_USAGE;
        }
        const view = lineageView(store.db, name, version);
        const c = view.completeness;
        const mark = (ok: boolean) => (ok ? 'yes' : 'MISSING');
        out.print(
          [
            `${name} @ ${version}: ${view.nodes.length} nodes, ${view.edges.length} edges`,
            `Training data: ${mark(c.trainingData)}   Evaluation data: ${mark(c.evaluationData)}   Producing run: ${mark(c.producingRun)}   Code location: ${mark(c.codeLocation)}`,
            ...view.edges.map((e) => `  ${view.nodes.find((n) => n.id === e.from)?.label ?? e.from} --${e.kind}--> ${view.nodes.find((n) => n.id === e.to)?.label ?? e.to}`),
          ].join('\n'),
          view,
        );
        return EXIT_OK;
      }),
    );

  const models = program.command('models').description('the model inventory');
  models
    .command('history')
    .description('which version held which alias or stage, as Docket\'s registry syncs observed it')
    .argument('<model>', 'model name')
    .option('--at <date>', 'a moment (ISO 8601 date or date-time; a date alone means 00:00 UTC that day)')
    .action((name: string, opts: { at?: string }) =>
      withStore((store, out) => {
        let moment: string | undefined;
        if (opts.at !== undefined) {
          const parsed = new Date(opts.at);
          if (Number.isNaN(parsed.getTime())) {
            out.error(`--at: "${opts.at}" is not a date (use e.g. 2026-11-01 or 2026-11-01T12:00:00Z)`);
            return EXIT_USAGE;
          }
          moment = parsed.toISOString();
        }
        const history = modelHistory(store.db, name, moment);
        const lines = [`${name}: alias and stage history (as observed by registry syncs)`];
        lines.push(
          history.placements.length === 0
            ? '  none recorded: run docket sync mlflow --url <server>'
            : formatTable(
                ['KIND', 'NAME', 'VERSION', 'FIRST SEEN', 'LAST SEEN', 'ENDED'],
                history.placements.map((p) => [p.kind, p.name, p.version, p.firstSeenAt, p.lastSeenAt, p.endedAt ?? 'holds']),
              ),
        );
        if (history.at) {
          lines.push('', `At ${history.at.moment}:`);
          for (const h of history.at.held) lines.push(`  ${h.kind} ${h.name} -> version ${h.version} (${h.certainty})`);
          if (history.at.held.length === 0) lines.push('  nothing held');
          lines.push(`  ${history.at.note}`);
        }
        out.print(lines.join('\n'), history);
        return EXIT_OK;
      }),
    );
  models
    .command('list')
    .description('list models with their latest version and card completeness')
    .action(() =>
      withStore((store, out) => {
        const list = listModels(store.db, fairnessStatusByVersion(store.db, loadDefaultPolicy(env.resourcesDir)));
        const rows = list.map((m) => [m.name, m.latestVersion, m.versionCount, m.owners.join(', ') || '—', m.license ?? '—', `${m.completeness.present.length}/${SECTION_KEYS.length}`, m.fairnessStatus]);
        out.print(list.length === 0 ? 'No models yet. Import cards with: docket import cards <path>' : formatTable(['MODEL', 'LATEST', 'VERSIONS', 'OWNERS', 'LICENSE', 'CARD', 'FAIRNESS'], rows), list);
        return EXIT_OK;
      }),
    );
  models
    .command('show')
    .description('show one model version: card sections, metrics, provenance')
    .argument('<model>', 'model name, optionally with @version (default: latest)')
    .action((ref: string) =>
      withStore((store, out) => {
        const { name, version } = parseModelRef(ref);
        const detail = showModel(store.db, name, version);
        const { card } = detail;
        const machine = {
          name: detail.name,
          version: detail.version,
          license: card?.license ?? null,
          owners: card?.owners ?? [],
          sections: { present: detail.completeness.present, empty: detail.completeness.empty, missing: detail.completeness.missing },
          metrics: (card?.metrics ?? []).map((m) => ({ dataset: m.dataset, name: m.name, value: m.value })),
          source: detail.source,
          aliases: detail.aliases,
          registry: detail.registry,
        };
        const human = [
          `${detail.name} @ ${detail.version}   (${detail.versions.length} version${detail.versions.length === 1 ? '' : 's'})${detail.aliases.length > 0 ? `   aliases: ${detail.aliases.join(', ')}` : ''}`,
          card ? `License: ${card.license ?? '—'}   Owners: ${card.owners.map((o) => o.name).join(', ') || '—'}` : 'No model card imported for this version yet: docket import cards <path> --version ' + detail.version,
          `Sections present: ${detail.completeness.present.join(', ') || 'none'}`,
          `Sections empty:   ${detail.completeness.empty.join(', ') || 'none'}`,
          `Sections missing: ${detail.completeness.missing.join(', ') || 'none'}`,
          card && card.metrics.length > 0 ? formatTable(['METRIC', 'VALUE', 'DATASET'], card.metrics.map((m) => [m.name, m.value, m.dataset ?? '—'])) : 'No metrics in the card.',
          detail.source ? `Source: ${detail.source.format} ${detail.source.file} sha256 ${detail.source.sha256}` : 'Source: none',
          ...(detail.registry
            ? [`Registry: status ${detail.registry.status ?? '—'}, stage ${detail.registry.currentStage ?? '—'}, run ${detail.registry.runId ?? '—'}, source ${detail.registry.source ?? '—'}`]
            : []),
        ];
        out.print(human.join('\n'), machine);
        return EXIT_OK;
      }),
    );
}

export function registerDemoCommand({ program, context, clock, resourcesDir, setExitCode }: CliContext): void {
  const env = { resourcesDir };
  program
    .command('demo')
    .description("build the demo workspace from Docket's bundled sample data")
    .option('--out <dir>', 'folder for the demo database and exports', './docket-demo')
    .action(async (opts: { out: string }) => {
      const { out } = context();
      try {
        const summary = await buildDemoWorkspace({ outDir: resolve(opts.out), resourcesDir: env.resourcesDir, clock, actor: 'docket-demo' });
        // The demo ends as a reviewer's day does: the approved release's signed audit pack, verified.
        const pack = await exportDemoPack({ dbPath: summary.machine.dbPath, resourcesDir: env.resourcesDir, clock, subject: summary.reviews.approved, signer: 'Priya Raman' });
        out.print([summary.text, ...pack.lines].join('\n'), { ...summary.machine, pack: { folder: pack.folder, zip: pack.zip, verified: pack.ok } });
        setExitCode(summary.ok && pack.ok ? EXIT_OK : EXIT_FAILED);
      } catch (err) {
        out.error((err as Error).message);
        setExitCode(EXIT_FAILED);
      }
    });
}
