import { resolve } from 'node:path';
import { Argument, type Command } from 'commander';
import { activePolicy, activatePolicyPack, importUserPolicyPack, listPolicyPacks } from '../core/reviews/activePolicy';
import { reviewEvidence, versionRef } from '../core/reviews/reviewEvidence';
import { normaliseMlflowUrl } from '../core/mlflow/mlflowClient';
import { setWriteBack } from '../core/reviews/reviewWriteBack';
import { isoNow } from '../core/store/clock';
import { actor, EXIT_FAILED, EXIT_OK, storeAction, UsageError, versionArgument, type CommandContext } from './commandContext';
import { formatTable } from './output';
import { formatPolicyCheck, policyCheckJson } from './reviewFormat';

/** `docket policy …` (the packs reviews are judged by) and `docket sources write-back`. */

const CHECK_HELP = `
JSON (--json):
  {"policy": "<pack name>@<pack version>", "result": "pass"|"fail",
   "rules": [{"id", "controls": [...], "status": "pass"|"fail"|"missing"|"waived",
              "evidence": [{"kind", "ref", "label", "detail"}], "title", "kind", "reason"}],
   "tier": "<risk tier id>", "evidenceHash": "<sha256 of the evidence snapshot>",
   "model": {"name", "version"}, "awaitingApprovals": true|false, "asOf": "<ISO time>"}
  "result" judges the evidence rules: a check runs outside any review, where no approval can count
  yet, so approvals rules are listed (status "missing" until a review gathers them) without failing
  it. Whether a release is approved is "docket review show".
Human output marks each rule ✓ pass, ✗ fail, – missing, ≈ waived, with its reason.
Exit status: 0 pass, 1 fail, 2 a wrong command line.`;

export function registerPolicyCommands(program: Command, ctx: CommandContext): void {
  const policy = program.command('policy').description('the policy pack reviews are judged by: check a version against it, list, import and activate packs');

  policy
    .command('check')
    .description('judge a model version\'s evidence against the active policy pack: a checklist of rules with reasons; exit 0 on pass, 1 on fail')
    .argument('<model@version>', 'model name and version')
    .addHelpText('after', CHECK_HELP)
    .action((ref: string) =>
      storeAction(ctx, (store, out) => {
        const { model, version } = versionArgument(ref);
        const version_ = versionRef(store.db, model, version);
        const evidence = reviewEvidence(store, activePolicy(store, ctx.resourcesDir).pack, version_, null, ctx.clock());
        out.print(formatPolicyCheck(evidence.checklist, evidence.hash), policyCheckJson(evidence.checklist, evidence.hash));
        return evidence.checklist.evidenceResult === 'pass' ? EXIT_OK : EXIT_FAILED;
      }),
    );

  policy
    .command('list')
    .description('the shipped default pack and every imported pack, marking the active one')
    .action(() =>
      storeAction(ctx, (store, out) => {
        const packs = listPolicyPacks(store, ctx.resourcesDir);
        out.print(
          formatTable(
            ['ID', 'NAME', 'VERSION', 'ACTIVE', 'SOURCE', 'IMPORTED'],
            packs.map((p) => [p.id === null ? 'default' : String(p.id), p.name, p.version, p.active ? '*' : '', p.sourcePath, p.importedAt ?? '—']),
          ),
          packs,
        );
        return EXIT_OK;
      }),
    );

  policy
    .command('import')
    .description('validate a policy pack (YAML or JSON) against the control catalog and store it whole; it becomes active unless --no-activate')
    .argument('<file>', 'the policy pack file')
    .option('--no-activate', 'store the pack without making it the active one')
    .action((file: string, opts: { activate: boolean }) =>
      storeAction(ctx, (store, out) => {
        const pack = importUserPolicyPack(store, resolve(file), { resourcesDir: ctx.resourcesDir, actor: actor(), at: isoNow(ctx.clock), activate: opts.activate });
        out.print(`Stored policy pack #${pack.id} "${pack.name}" version ${pack.version}${pack.active ? ', now active' : ' (not active: docket policy activate ' + pack.id + ')'}.`, pack);
        return EXIT_OK;
      }),
    );

  policy
    .command('activate')
    .description('make a stored pack (or the shipped default) the one reviews and checks are judged by')
    .argument('<id>', 'a pack id from docket policy list, or "default"')
    .action((given: string) =>
      storeAction(ctx, (store, out) => {
        if (given !== 'default' && !/^\d+$/.test(given)) throw new UsageError(`"${given}" is not a pack id: give a number from docket policy list, or "default"`);
        activatePolicyPack(store, given === 'default' ? null : Number(given), actor(), isoNow(ctx.clock));
        const { pack, origin } = activePolicy(store, ctx.resourcesDir);
        out.print(`Active policy: "${pack.name}" version ${pack.version} (${origin === 'default' ? 'shipped default' : `#${origin.id}`}).`, { id: origin === 'default' ? null : origin.id, name: pack.name, version: pack.version });
        return EXIT_OK;
      }),
    );

  program
    .command('sources')
    .description('where evidence comes from')
    .command('write-back')
    .description('after a review closes, tag the model version in its MLflow registry with the outcome (on) or not (off); the token comes from $MLFLOW_TRACKING_TOKEN at decision time')
    .argument('<url>', 'the MLflow tracking server URL, as synced (docket sync mlflow --url)')
    .addArgument(new Argument('<state>', 'on or off').choices(['on', 'off']))
    .action((given: string, state: 'on' | 'off') =>
      storeAction(ctx, (store, out) => {
        // The same spelling the sync stored, so the URL typed for "docket sync mlflow" works here too.
        const url = normaliseMlflowUrl(given).displayUrl;
        setWriteBack({ store, actor: actor(), clock: ctx.clock }, url, state === 'on');
        out.print(`MLflow write-back for ${url} is ${state}.`, { url, writeBack: state === 'on' });
        return EXIT_OK;
      }),
    );
}
