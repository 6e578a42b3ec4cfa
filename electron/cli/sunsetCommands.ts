import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { SUNSET_REASON_LABELS } from '../../shared/lifecycle/reasons';
import { SunsetPlanSchema, type SunsetDecisionKind } from '../../shared/lifecycle/sunsetPlan';
import { formatMoney } from '../../shared/format/money';
import { DocketError } from '../../shared/ipc/result';
import { sunsetCandidates } from '../core/lifecycle/candidates';
import { listSunsets, sunsetView } from '../core/lifecycle/lifecycleQueries';
import { decideSunset, planSha256, proposeSunset, refreshLifecycle } from '../core/lifecycle/sunsets';
import { parsePolicyText, PolicyFileError, readPolicyFile } from '../core/policy/policyFile';
import { versionRef } from '../core/reviews/reviewEvidence';
import { unlockKeyFile } from '../core/signing/keyFile';
import { getKey, keyStatusAt } from '../core/signing/keyring';
import { SigningError } from '../core/signing/signingError';
import { actor, assertNoPassphraseArgument, EXIT_OK, refusePassphraseOption, storeAction, UsageError, versionArgument, type CommandContext } from './commandContext';
import { readKeyFile } from './keyCommands';
import { formatTable } from './output';
import { cliPassphrase } from './passphrasePrompt';

/**
 * `docket sunset …`: which versions should go and why, and signed sunset decisions with their plan.
 * A plan is a YAML or JSON file (replacement, drainDate, retirementDate, dataRetention, rollback,
 * owner, optional sharedMonthly and commitments); its refusals name the file, line and field.
 */

const CANDIDATES_HELP = `
JSON (--json): [{"model", "version", "reasons": [{"code", "detail"}], "monthlySaving", "currency"}]
  sorted by monthlySaving, largest first. Reason codes: ${Object.keys(SUNSET_REASON_LABELS).join(', ')}.
  monthlySaving is the model's attributed effective spend per month (30 days of spend data), before any
  shared cost or commitment a sunset plan adds. Thresholds come from the active policy pack's "lifecycle".`;

const PLAN_HELP = `
The plan file (YAML or JSON):
  replacement: { model: fraud-score-card-txn, version: "4" }   # or null when nothing replaces it
  drainDate: 2026-12-15          # traffic drained by then
  retirementDate: 2026-12-31     # retired (no longer served or paid for) from then
  dataRetention: Keep training data and predictions 7 years (EU AI Act Art. 18), then delete.
  rollback: Re-point the champion alias to version 3; the endpoint config is kept until retirement.
  owner: ml-platform-oncall
  sharedMonthly: 120             # optional: shared infrastructure reallocated, not saved
  commitments:                   # optional: still payable after retirement
    - { label: SageMaker savings plan, monthly: 300, until: 2027-06-30 }
The decision signs the plan's sha256: change the plan and a new sunset review is needed.`;

interface DecideOptions {
  plan: string;
  key: string;
  rationale: string;
  decision: SunsetDecisionKind;
  passphrase?: unknown;
}

function readPlan(file: string): unknown {
  const path = resolve(file);
  try {
    return parsePolicyText(readPolicyFile(path), path, SunsetPlanSchema);
  } catch (error) {
    if (error instanceof PolicyFileError) throw new UsageError(`plan ${error.message}`);
    throw error;
  }
}

export function registerSunsetCommands(program: Command, ctx: CommandContext): void {
  const sunset = program.command('sunset').description('lifecycle: which model versions should be retired, what it saves, and signed sunset decisions with their plan');

  sunset
    .command('candidates')
    .description('versions that should go, with the reasons and numbers behind each and the monthly saving, largest first')
    .addHelpText('after', CANDIDATES_HELP)
    .action(() =>
      storeAction(ctx, (store, out) => {
        refreshLifecycle({ store, actor: actor(), clock: ctx.clock });
        const candidates = sunsetCandidates(store, { resourcesDir: ctx.resourcesDir, clock: ctx.clock });
        const human =
          candidates.length === 0
            ? 'No sunset candidates: every model with spend is used, current and within policy.'
            : candidates
                .map((c) => [`${c.model}@${c.version}  ${formatMoney(c.monthlySaving, c.currency)}/month${c.team ? `  team ${c.team}` : ''}`, ...c.reasons.map((r) => `  - ${SUNSET_REASON_LABELS[r.code]}: ${r.detail}`)].join('\n'))
                .join('\n');
        out.print(human, candidates.map((c) => ({ model: c.model, version: c.version, reasons: c.reasons.map((r) => ({ code: r.code, detail: r.detail })), monthlySaving: c.monthlySaving, currency: c.currency })));
        return EXIT_OK;
      }),
    );

  sunset
    .command('propose')
    .description('open a sunset review for a version with its plan (unsigned; a decision signs it)')
    .argument('<model@version>', 'the version to retire')
    .requiredOption('--plan <file>', 'the plan, YAML or JSON')
    .addHelpText('after', PLAN_HELP)
    .action((ref: string, opts: { plan: string }) =>
      storeAction(ctx, (store, out) => {
        const { model, version } = versionArgument(ref);
        const result = proposeSunset({ store, actor: actor(), clock: ctx.clock }, { model, version, plan: readPlan(opts.plan) });
        out.print(`Sunset #${result.id} proposed for ${model}@${version}: saves ${formatMoney(result.saving.net, result.saving.currency)} a month (${result.saving.basis}).`, result);
        return EXIT_OK;
      }),
    );

  refusePassphraseOption(
    sunset
      .command('decide')
      .description("sign a sunset decision for a version under a plan: approve (default) deprecates it now and retires it on the plan's date; reject; withdraw")
      .argument('<model@version>', 'the version')
      .requiredOption('--plan <file>', 'the plan, YAML or JSON (proposed now if the version has no open sunset under this plan)')
      .requiredOption('--key <file>', 'your docket key file (passphrase from DOCKET_KEY_PASSPHRASE or a prompt)')
      .requiredOption('--rationale <text>', 'why (it is signed)')
      .addOption(new Option('--decision <kind>', 'the decision').choices(['approve', 'reject', 'withdraw']).default('approve'))
      .addHelpText('after', PLAN_HELP),
  ).action((ref: string, opts: DecideOptions) =>
    storeAction(ctx, async (store, out) => {
      assertNoPassphraseArgument(opts);
      const { model, version } = versionArgument(ref);
      const plan = SunsetPlanSchema.parse(readPlan(opts.plan));
      const deps = { store, actor: actor(), clock: ctx.clock };
      const target = versionRef(store.db, model, version);
      const file = resolve(opts.key);
      const keyFile = readKeyFile(file);
      // Refusals the engine would give, before anyone types a passphrase.
      const known = getKey(store.db, keyFile.keyId);
      if (!known) throw new DocketError('REJECTED', `${file}: this key is not in the workspace's keyring (docket keys import)`);
      const status = keyStatusAt(store.db, keyFile.keyId, ctx.clock().toISOString());
      if (status.status !== 'trusted') throw new DocketError('REJECTED', `${file}: ${status.reason}`);
      const open = listSunsets(store.db, { model: target.model, version: target.version }).find((s) => s.state === 'proposed');
      if (open && open.planSha256 !== planSha256(plan)) {
        throw new DocketError('REJECTED', `sunset #${open.id} for ${target.model}@${target.version} is under review with a different plan (sha256 ${open.planSha256.slice(0, 12)}…): decide with that plan, or withdraw it first`);
      }
      const passphrase = await cliPassphrase(`key file ${file} (${keyFile.name})`);
      let key;
      try {
        key = unlockKeyFile(keyFile, passphrase);
      } catch (error) {
        if (!(error instanceof SigningError)) throw error;
        throw new SigningError(error.reason, `${file}: ${error.message}${error.reason === 'wrong-passphrase' ? ' (nothing was signed)' : ''}`, error.field);
      }
      // One transaction: a proposal made here is never left behind without the decision it was made for.
      const { sunsetId, outcome } = store.db
        .transaction(() => {
          const id = open?.id ?? proposeSunset(deps, { model, version, plan }).id;
          return { sunsetId: id, outcome: decideSunset(deps, { sunsetId: id, kind: opts.decision, rationale: opts.rationale, key }) };
        })
        .immediate();
      const view = sunsetView(store.db, sunsetId)!;
      out.print(
        [
          `Sunset #${sunsetId} for ${view.model}@${view.version}: ${outcome.state} (signed by ${keyFile.name}, digest ${outcome.digest.slice(0, 16)}…).`,
          `Lifecycle: ${outcome.lifecycle}${outcome.lifecycle === 'deprecated' ? `; retires ${view.plan.retirementDate}` : ''}. Saving: ${formatMoney(view.saving.net, view.saving.currency)} a month.`,
        ].join('\n'),
        { sunsetId, ...outcome, retirementDate: view.plan.retirementDate, monthlySaving: view.saving.net, currency: view.saving.currency },
      );
      return EXIT_OK;
    }),
  );

  sunset
    .command('list')
    .description('sunset reviews with their state, plan dates and saving')
    .action(() =>
      storeAction(ctx, (store, out) => {
        refreshLifecycle({ store, actor: actor(), clock: ctx.clock });
        const sunsets = listSunsets(store.db);
        out.print(
          sunsets.length === 0
            ? 'No sunset reviews yet: see docket sunset candidates.'
            : formatTable(
                ['ID', 'VERSION', 'STATE', 'LIFECYCLE', 'RETIRES', 'SAVING/MONTH', 'DECISIONS'],
                sunsets.map((s) => [String(s.id), `${s.model}@${s.version}`, s.state, s.lifecycle.state, s.plan.retirementDate, formatMoney(s.saving.net, s.saving.currency), s.decisions.map((d) => `${d.kind} by ${d.signer}${d.verified ? ' ✓' : ' ✗'}`).join('; ') || '—']),
              ),
          sunsets,
        );
        return EXIT_OK;
      }),
    );

  sunset
    .command('summary')
    .description('write the one-page sunset summary PDF (signed with the workspace certificate)')
    .argument('<id>', 'the sunset review id (docket sunset list)')
    .option('--out <file>', 'where to write it (default: exports/reports beside the database)')
    .action((id: string, opts: { out?: string }) =>
      storeAction(ctx, async (store, out) => {
        if (!/^\d+$/.test(id)) throw new UsageError(`"${id}" is not a sunset id`);
        const { exportSunsetSummary } = await import('../core/lifecycle/exportSunsetSummary');
        const result = await exportSunsetSummary(store, { sunsetId: Number(id), resourcesDir: ctx.resourcesDir, clock: ctx.clock, actor: actor(), ...(opts.out ? { outPath: resolve(opts.out) } : {}) });
        out.print(`Sunset summary written to ${result.path} (sha256 ${result.sha256}).`, result);
        return EXIT_OK;
      }),
    );
}
