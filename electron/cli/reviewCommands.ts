import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Database } from 'better-sqlite3';
import { DocketError } from '../../shared/ipc/result';
import { label, type DecisionKind } from '../../shared/reviews/reviewState';
import { shortKeyId } from '../../shared/signing/keyId';
import { exportDecisions, importDecisionBundle, parseBundle, verifyBundle } from '../core/reviews/decisionBundles';
import { versionRef } from '../core/reviews/reviewEvidence';
import { listReviews, reviewDetail, type ReviewFilter } from '../core/reviews/reviewQueries';
import { commentOnReview, decide, moveReview, openReview, openReviewFor, prepareDecision, type ReviewDeps } from '../core/reviews/reviews';
import { unlockKeyFile } from '../core/signing/keyFile';
import { getKey } from '../core/signing/keyring';
import { SigningError } from '../core/signing/signingError';
import type { Store } from '../core/store/openStore';
import { actor, assertNoPassphraseArgument, endOfDay, EXIT_FAILED, EXIT_OK, refusePassphraseOption, storeAction, UsageError, versionArgument, type CommandContext } from './commandContext';
import { readKeyFile, registerKeyCommands } from './keyCommands';
import type { CliOutput } from './output';
import { cliPassphrase } from './passphrasePrompt';
import { registerPolicyCommands } from './policyCommands';
import { formatReviewDetail, formatReviewList } from './reviewFormat';

/**
 * `docket review …` and `docket decisions …`, and the registration of the key and policy groups.
 * Signing reads the key file, asks the engine whether the decision would be accepted, and only then
 * asks for the passphrase: nobody types a passphrase for a decision that will be refused anyway.
 */

export function registerReviewCommands(program: Command, ctx: CommandContext): void {
  registerKeyCommands(program, ctx);
  registerPolicyCommands(program, ctx);
  registerReviewGroup(program, ctx);
  registerDecisionCommands(program, ctx);
}

const deps = (store: Store, ctx: CommandContext): ReviewDeps => ({ store, resourcesDir: ctx.resourcesDir, actor: actor(), clock: ctx.clock });

/** "12" or "#12" is a review id; "model@version" is that version's open review, else (when `closedToo`) its latest one. */
function reviewId(db: Database, given: string, closedToo: boolean, now: Date): number {
  if (/^#?\d+$/.test(given)) return Number(given.replace('#', ''));
  const { model, version } = versionArgument(given);
  const ref = versionRef(db, model, version);
  const open = openReviewFor(db, ref.id);
  if (open !== null) return open;
  const latest = closedToo ? listReviews(db, 'all', actor(), now).filter((r) => r.model === ref.model && r.version === ref.version).sort((a, b) => b.id - a.id)[0] : undefined;
  if (latest) return latest.id;
  throw new DocketError('NOT_FOUND', `${ref.model}@${ref.version} has no open review: open one with docket review open ${ref.model}@${ref.version}`);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new DocketError('NOT_FOUND', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

interface SignOptions {
  rationale: string;
  key: string;
  passphrase?: unknown;
}

async function signDecision(ctx: CommandContext, store: Store, out: CliOutput, kind: DecisionKind, target: string, opts: SignOptions, waiver?: { ruleId: string; expiresAt: string }): Promise<number> {
  assertNoPassphraseArgument(opts);
  const d = deps(store, ctx);
  const id = reviewId(store.db, target, false, ctx.clock());
  const file = resolve(opts.key);
  const keyFile = readKeyFile(file);
  // Every refusal the engine can foresee (untrusted key, author, failing rules, wrong state) before the passphrase.
  prepareDecision(d, { reviewId: id, kind, rationale: opts.rationale, keyId: keyFile.keyId, waiver }, ctx.clock());
  const passphrase = await cliPassphrase(`key file ${file} (${keyFile.name})`);
  let key;
  try {
    key = unlockKeyFile(keyFile, passphrase);
  } catch (error) {
    if (!(error instanceof SigningError)) throw error;
    throw new SigningError(error.reason, `${file}: ${error.message}${error.reason === 'wrong-passphrase' ? ' (nothing was signed)' : ''}`, error.field);
  }
  const outcome = await decide(d, { reviewId: id, kind, rationale: opts.rationale, key, waiver }, { mlflowToken: process.env.MLFLOW_TRACKING_TOKEN || undefined });
  const summary = listReviews(store.db, 'all', d.actor, ctx.clock()).find((r) => r.id === id)!;
  const s = outcome.statement;
  const done = { approve: 'Approved', reject: 'Rejected', 'request-changes': 'Requested changes to', withdraw: 'Withdrew', waive: `Waived ${waiver?.ruleId} until ${s.waiver?.expiresAt} for` }[kind];
  const lines = [
    `${done} ${s.subject.model}@${s.subject.version} as ${s.signer.name} (${s.signer.role}), key ${shortKeyId(s.signer.keyId)}.`,
    `Review #${id} is now ${label(outcome.state)} (${outcome.state}); approvals ${summary.approvals}/${summary.approvalsNeeded ?? '—'}.`,
    `Decision digest ${outcome.digest}`,
    `Evidence sha256 ${outcome.evidenceHash}`,
  ];
  if (outcome.writeBack) lines.push(outcome.writeBack.ok ? `MLflow write-back to ${outcome.writeBack.url}: written.` : `MLflow write-back to ${outcome.writeBack.url} FAILED (the decision is recorded): ${outcome.writeBack.error}`);
  out.print(lines.join('\n'), {
    reviewId: id,
    model: s.subject.model,
    version: s.subject.version,
    decision: kind,
    decisionId: outcome.decisionId,
    digest: outcome.digest,
    state: outcome.state,
    evidenceHash: outcome.evidenceHash,
    signer: s.signer,
    approvals: summary.approvals,
    approvalsNeeded: summary.approvalsNeeded,
    waiver: s.waiver ?? null,
    writeBack: outcome.writeBack,
  });
  return EXIT_OK;
}

const KEY_HELP = `
The key file is unlocked with its passphrase from $DOCKET_KEY_PASSPHRASE, else asked for on a
terminal; a passphrase is never accepted as an argument. It is asked for only after the decision
passed every check that could refuse it. MLFLOW_TRACKING_TOKEN, when set, authorises the MLflow
write-back after a review closes. Exit status: 0 recorded, 1 refused (or a wrong passphrase),
2 a wrong command line or no passphrase available.`;

function registerReviewGroup(program: Command, ctx: CommandContext): void {
  const review = program.command('review').description('release reviews: open, list, show, and decide them with a signed key');

  review
    .command('open')
    .description('open a review of a model version (one open review per version), judged by the active policy pack')
    .argument('<model@version>', 'model name and version')
    .option('--due <YYYY-MM-DD>', 'due date (end of that day, UTC); default a week from now')
    .option('--assign <names...>', 'who should review it (for review list --mine)')
    .action((ref: string, opts: { due?: string; assign?: string[] }) =>
      storeAction(ctx, (store, out) => {
        const { model, version } = versionArgument(ref);
        const dueAt = opts.due === undefined ? undefined : endOfDay(opts.due, '--due');
        const id = openReview(deps(store, ctx), { model, version, dueAt, assignees: opts.assign });
        const summary = listReviews(store.db, 'all', actor(), ctx.clock()).find((r) => r.id === id)!;
        out.print(`Opened review #${id} of ${summary.model}@${summary.version}, due ${summary.dueAt}; checklist ${summary.checklistResult}. See: docket review show ${id}`, summary);
        return EXIT_OK;
      }),
    );

  review
    .command('list')
    .description('the review inbox: open reviews (default), most urgent first')
    .option('--mine', 'open reviews assigned to me (the OS user name)')
    .option('--overdue', 'open reviews past their due date')
    .option('--due-soon', 'open reviews due within three days')
    .option('--closed', 'approved, rejected and withdrawn reviews, latest first')
    .option('--all', 'every review')
    .action((opts: { mine?: boolean; overdue?: boolean; dueSoon?: boolean; closed?: boolean; all?: boolean }) =>
      storeAction(ctx, (store, out) => {
        const chosen = (['mine', 'overdue', 'due-soon', 'closed', 'all'] as const).filter((f) => (f === 'due-soon' ? opts.dueSoon : opts[f]));
        if (chosen.length > 1) throw new UsageError(`choose one of --mine, --overdue, --due-soon, --closed, --all (got ${chosen.map((c) => `--${c}`).join(', ')})`);
        const filter: ReviewFilter = chosen[0] ?? 'open';
        const reviews = listReviews(store.db, filter, actor(), ctx.clock());
        out.print(formatReviewList(reviews), reviews);
        return EXIT_OK;
      }),
    );

  review
    .command('show')
    .description('one review: checklist with reasons, what changed since the last decision, decisions verified afresh, comments')
    .argument('<review>', 'review id, or model@version (its open review, else its latest)')
    .action((given: string) =>
      storeAction(ctx, (store, out) => {
        const detail = reviewDetail(store, ctx.resourcesDir, reviewId(store.db, given, true, ctx.clock()), ctx.clock());
        out.print(formatReviewDetail(detail), detail);
        return EXIT_OK;
      }),
    );

  const decisions: { kind: DecisionKind; description: string }[] = [
    { kind: 'approve', description: 'approve the open review of a version (refused for its authors and while any evidence rule fails); it closes once the policy\'s approvals are met' },
    { kind: 'reject', description: 'reject the open review of a version: it closes as rejected' },
    { kind: 'request-changes', description: 'send the open review of a version back for changes' },
    { kind: 'withdraw', description: 'withdraw the open review of a version' },
  ];
  for (const { kind, description } of decisions) {
    refusePassphraseOption(
      review
        .command(kind)
        .description(`${description}; signed with your key file`)
        .argument('<model@version>', 'model name and version (or a review id)')
        .requiredOption('--rationale <text>', 'why, for whoever reads this later (it is signed)')
        .requiredOption('--key <file>', 'your docket key file (docket keys generate)')
        .addHelpText('after', KEY_HELP),
    ).action((target: string, opts: SignOptions) => storeAction(ctx, (store, out) => signDecision(ctx, store, out, kind, target, opts)));
  }

  refusePassphraseOption(
    review
      .command('waive')
      .description('waive one failing rule for a version until a date (a signed decision; approvals cannot be waived)')
      .argument('<model@version>', 'model name and version (or a review id)')
      .requiredOption('--rule <id>', 'the rule id, as docket policy check lists it')
      .requiredOption('--until <YYYY-MM-DD>', 'the waiver expires at the end of that day (UTC)')
      .requiredOption('--rationale <text>', 'why the rule may be waived until then')
      .requiredOption('--key <file>', 'your docket key file')
      .addHelpText('after', KEY_HELP),
  ).action((target: string, opts: SignOptions & { rule: string; until: string }) =>
    storeAction(ctx, (store, out) => signDecision(ctx, store, out, 'waive', target, opts, { ruleId: opts.rule, expiresAt: endOfDay(opts.until, '--until') })),
  );

  review
    .command('comment')
    .description('add a comment to a review (unsigned)')
    .argument('<review>', 'review id, or model@version')
    .argument('<text...>', 'the comment')
    .action((given: string, words: string[]) =>
      storeAction(ctx, (store, out) => {
        const id = reviewId(store.db, given, true, ctx.clock());
        const commentId = commentOnReview(deps(store, ctx), id, words.join(' '));
        out.print(`Commented on review #${id}.`, { reviewId: id, commentId });
        return EXIT_OK;
      }),
    );

  for (const move of ['submit', 'resubmit'] as const) {
    review
      .command(move)
      .description(move === 'submit' ? 'submit a draft review for review' : 'send a review back for review after making the requested changes')
      .argument('<review>', 'review id, or model@version')
      .action((given: string) =>
        storeAction(ctx, (store, out) => {
          const id = reviewId(store.db, given, false, ctx.clock());
          const state = moveReview(deps(store, ctx), id, move);
          out.print(`Review #${id} is now ${label(state)} (${state}).`, { reviewId: id, state });
          return EXIT_OK;
        }),
      );
  }
}

function registerDecisionCommands(program: Command, ctx: CommandContext): void {
  const decisions = program.command('decisions').description('signed decisions as bundles, to carry between workspaces and verify offline');

  decisions
    .command('export')
    .description('write the signed decisions (with the public keys and evidence snapshots they need) to a bundle file')
    .option('--model <name>', 'only this model')
    .option('--version <version>', 'only this version')
    .requiredOption('--out <file>', 'the bundle file to write (replaced if it exists)')
    .action((opts: { model?: string; version?: string; out: string }) =>
      storeAction(ctx, (store, out) => {
        const bundle = exportDecisions(store, ctx.clock, { model: opts.model, version: opts.version });
        const file = resolve(opts.out);
        writeFileSync(file, `${JSON.stringify(bundle, null, 2)}\n`);
        out.print(`Exported ${bundle.decisions.length} decision(s), ${bundle.keys.length} key(s) and ${bundle.evidence.length} evidence snapshot(s) to ${file}.`, {
          file,
          decisions: bundle.decisions.length,
          keys: bundle.keys.length,
          evidence: bundle.evidence.length,
        });
        return EXIT_OK;
      }),
    );

  decisions
    .command('import')
    .description("verify a bundle's decisions against this keyring and record those signed by trusted keys; its keys are added untrusted. Exit 1 if any decision was refused")
    .argument('<file>', 'a bundle from docket decisions export')
    .action((given: string) =>
      storeAction(ctx, (store, out) => {
        const file = resolve(given);
        const result = importDecisionBundle(deps(store, ctx), parseBundle(readText(file), file), file);
        const keysAdded = result.keysAdded.map((keyId) => ({ keyId, name: getKey(store.db, keyId)?.name ?? '?' }));
        const lines = [`Imported ${result.imported}, unchanged ${result.unchanged}, refused ${result.refused.length}.`];
        for (const k of keysAdded) lines.push(`Key added, untrusted: ${k.name} ${shortKeyId(k.keyId)} (compare its fingerprint, then: docket keys trust ${shortKeyId(k.keyId)})`);
        for (const r of result.refused) lines.push(`  refused #${r.index} ${r.decision ?? '?'} ${r.subject ?? ''} (digest ${r.digest?.slice(0, 16) ?? '—'}): ${r.detail}`);
        out.print(lines.join('\n'), { ...result, keysAdded });
        return result.refused.length > 0 ? EXIT_FAILED : EXIT_OK;
      }),
    );

  decisions
    .command('verify')
    .description('check each decision in a bundle against this keyring (nothing is recorded): signature, payload, and whether its key was trusted when it signed. Exit 1 if any fails')
    .argument('<file>', 'a bundle from docket decisions export')
    .action((given: string) =>
      storeAction(ctx, (store, out) => {
        const file = resolve(given);
        const checks = verifyBundle(store, parseBundle(readText(file), file));
        const ok = checks.every((c) => c.ok);
        const lines = checks.map((c) => `${c.ok ? '✓' : '✗'} #${c.index} ${c.decision ?? '?'} ${c.subject ?? ''}: ${c.detail}`);
        lines.push(`${checks.filter((c) => c.ok).length} of ${checks.length} decision(s) verified${ok ? '.' : '; the others do not count.'}`);
        out.print(lines.join('\n'), { file, ok, decisions: checks });
        return ok ? EXIT_OK : EXIT_FAILED;
      }),
    );
}
