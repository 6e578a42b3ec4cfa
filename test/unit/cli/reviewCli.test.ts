import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { runDocket } from '../../support/runDocket';
import { ttyPrompt } from '../../../electron/cli/passphrasePrompt';
import { nameSlug } from '../../../electron/cli/keyCommands';
import { REVIEW_STATE_TAG } from '../../../electron/core/reviews/mlflowWriteBack';
import { startMlflowServer, type MlflowTestServer } from '../../support/mlflowServer';
import { fraudCardWithoutOutOfScope, TWO_APPROVER_PACK } from '../../support/reviewFixtures';

/**
 * The review, key, policy and decision commands end to end through runCli: two workspaces, keys
 * generated with the passphrase from $DOCKET_KEY_PASSPHRASE, a card missing a section, a small pack.
 */

const CARD = readFileSync(resolve('resources/demo/cards/fraud-score-card-txn/v3/README.md'), 'utf8');
const WITHOUT_OUT_OF_SCOPE = fraudCardWithoutOutOfScope();
const MODEL = 'fraud-score-card-txn';
const MV = `${MODEL}@3`;
const PASSPHRASE = 'tr0ub4dor & 3 horses, not in any log';
const PACK = TWO_APPROVER_PACK;

let dir: string;
let printed = '';
const savedEnv = { passphrase: process.env.DOCKET_KEY_PASSPHRASE, token: process.env.MLFLOW_TRACKING_TOKEN };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'docket-review-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  process.env.DOCKET_KEY_PASSPHRASE = PASSPHRASE;
  delete process.env.MLFLOW_TRACKING_TOKEN;
});
afterEach(() => {
  if (savedEnv.passphrase === undefined) delete process.env.DOCKET_KEY_PASSPHRASE;
  else process.env.DOCKET_KEY_PASSPHRASE = savedEnv.passphrase;
  if (savedEnv.token !== undefined) process.env.MLFLOW_TRACKING_TOKEN = savedEnv.token;
});

let clockNow = new Date('2026-11-26T09:00:00.000Z');
const tick = (minutes = 1) => {
  clockNow = new Date(clockNow.getTime() + minutes * 60_000);
};

/** Runs docket against a workspace and keeps everything it printed, to search for the passphrase later. */
async function docket(db: string, ...args: string[]) {
  const result = await runDocket(['--db', db, ...args], () => clockNow);
  printed += result.stdout + result.stderr;
  return result;
}

function workspace(name: string): { db: string; card: string } {
  const root = join(dir, name);
  mkdirSync(join(root, MODEL), { recursive: true });
  writeFileSync(join(root, 'pack.yaml'), PACK);
  return { db: join(root, 'docket.db'), card: join(root, MODEL, 'README.md') };
}

async function importCard(w: { db: string; card: string }, text: string) {
  writeFileSync(w.card, text);
  const result = await docket(w.db, 'import', 'cards', w.card, '--version', '3');
  expect(result.code, result.stderr).toBe(0);
}

interface CheckJson {
  policy: string;
  result: 'pass' | 'fail';
  tier: string;
  evidenceHash: string;
  rules: { id: string; controls: string[]; status: string; evidence: unknown[] }[];
}

describe('docket keys, policy, review and decisions', () => {
  it('runs a release review from keys to an approved version imported into a second workspace', async () => {
    const a = workspace('a');
    const keyFile = (n: string) => join(dir, 'a', `${n}.docket-key.json`);

    // Keys: three reviewers, one of them an author of the model.
    const ada = await docket(a.db, '--json', 'keys', 'generate', '--name', 'Ada Lovelace', '--role', 'ml-lead', '--out', keyFile('ada'));
    expect(ada.code, ada.stderr).toBe(0);
    const adaKey = ada.json() as { keyId: string; shortId: string; file: string; trusted: boolean };
    expect(adaKey).toMatchObject({ shortId: adaKey.keyId.slice(0, 16), file: keyFile('ada'), trusted: true });
    expect(readFileSync(keyFile('ada'), 'utf8')).not.toContain(PASSPHRASE);
    const grace = await docket(a.db, 'keys', 'generate', '--name', 'Grace Hopper', '--role', 'model-risk', '--out', keyFile('grace'));
    expect(grace.stdout).toMatch(/Created a key for Grace Hopper \(model-risk\)[\s\S]*Short id: [0-9a-f]{16}/);
    expect((await docket(a.db, 'keys', 'generate', '--name', 'Zoë Ångström', '--role', 'ml-lead', '--out', keyFile('zoe'))).code).toBe(0);
    const again = await docket(a.db, 'keys', 'generate', '--name', 'Ada Lovelace', '--out', keyFile('ada'));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');

    const keys = (await docket(a.db, '--json', 'keys', 'list')).json() as { name: string; role: string; shortId: string; origin: string; status: string }[];
    expect(keys.map((k) => [k.name, k.role, k.origin, k.status])).toEqual([
      ['Ada Lovelace', 'ml-lead', 'local', 'trusted'],
      ['Grace Hopper', 'model-risk', 'local', 'trusted'],
      ['Zoë Ångström', 'ml-lead', 'local', 'trusted'],
    ]);
    expect((await docket(a.db, 'keys', 'list')).stdout.split('\n')[0]).toMatch(/^NAME\s+ROLE\s+KEY ID\s+ORIGIN\s+STATUS$/);

    // The policy: the card lacks its out-of-scope section, so the check fails; complete, it passes.
    expect((await docket(a.db, 'policy', 'import', join(dir, 'a', 'pack.yaml'))).code).toBe(0);
    await importCard(a, WITHOUT_OUT_OF_SCOPE);
    const failing = await docket(a.db, '--json', 'policy', 'check', MV);
    expect(failing.code).toBe(1);
    const failed = failing.json() as CheckJson;
    expect(failed).toMatchObject({ policy: 'Test pack@1', result: 'fail', tier: 'high', evidenceHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(failed.rules.map((r) => [r.id, r.controls, r.status])).toEqual([
      ['high.card-sections', ['DKT-DOC-01'], 'fail'],
      ['high.approvals', ['DKT-GOV-03'], 'missing'],
    ]);
    expect(Object.keys(failed.rules[0]!)).toEqual(expect.arrayContaining(['id', 'controls', 'status', 'evidence']));
    const human = await docket(a.db, 'policy', 'check', MV);
    expect(human.stdout).toMatch(/✗ high\.card-sections/);
    expect(human.stdout).toMatch(/– high\.approvals/);
    expect(human.stdout).toContain('Result: FAIL');

    tick();
    await importCard(a, CARD);
    const passing = await docket(a.db, '--json', 'policy', 'check', MV);
    expect(passing.code).toBe(0);
    expect((passing.json() as CheckJson).result).toBe('pass');
    expect((await docket(a.db, 'policy', 'check', MV)).stdout).toMatch(/✓ high\.card-sections/);

    // The review: the author may not approve; two reviewers with the required roles close it.
    tick();
    const opened = await docket(a.db, '--json', 'review', 'open', MV, '--due', '2026-12-01', '--assign', 'ada', 'grace');
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.json()).toMatchObject({ model: MODEL, version: '3', state: 'in_review', dueAt: '2026-12-01T23:59:59.000Z', assignees: ['ada', 'grace'] });
    const byAuthor = await docket(a.db, 'review', 'approve', MV, '--rationale', 'mine, and good', '--key', keyFile('zoe'));
    expect(byAuthor.code).toBe(1);
    expect(byAuthor.stderr).toMatch(/Zoë Ångström is an author of fraud-score-card-txn@3/);

    process.env.DOCKET_KEY_PASSPHRASE = 'not the passphrase';
    const wrong = await docket(a.db, 'review', 'approve', MV, '--rationale', 'ok', '--key', keyFile('ada'));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/ada\.docket-key\.json: wrong passphrase: .*\(nothing was signed\)/);
    process.env.DOCKET_KEY_PASSPHRASE = PASSPHRASE;

    tick();
    const first = await docket(a.db, '--json', 'review', 'approve', MV, '--rationale', 'Card complete; metrics hold.', '--key', keyFile('ada'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ decision: 'approve', state: 'in_review', approvals: 1, approvalsNeeded: 2, digest: expect.stringMatching(/^[0-9a-f]{64}$/), writeBack: null });
    tick();
    const second = await docket(a.db, 'review', 'approve', MV, '--rationale', 'Risk view: acceptable.', '--key', keyFile('grace'));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Approved fraud-score-card-txn@3 as Grace Hopper \(model-risk\)[\s\S]*is now approved \(approved\); approvals 2\/2[\s\S]*Decision digest [0-9a-f]{64}/);

    const shown = await docket(a.db, '--json', 'review', 'show', MV);
    const detail = shown.json() as { state: string; decisions: { signer: string; verified: boolean }[] };
    expect(detail.state).toBe('approved');
    expect(detail.decisions.map((d) => [d.signer, d.verified])).toEqual([
      ['Ada Lovelace', true],
      ['Grace Hopper', true],
    ]);
    const shownText = (await docket(a.db, 'review', 'show', '1')).stdout;
    expect(shownText).toMatch(/Review #1: fraud-score-card-txn@3 is approved/);
    expect(shownText).toMatch(/✓ .* approve by Ada Lovelace \(ml-lead\)/);
    expect((await docket(a.db, '--json', 'review', 'list', '--closed')).json()).toMatchObject([{ id: 1, state: 'approved' }]);
    expect((await docket(a.db, 'review', 'list', '--closed', '--all')).code).toBe(2);

    // Export, then import into a second workspace: refused until its keys are trusted.
    const bundleFile = join(dir, 'decisions.json');
    const exported = await docket(a.db, '--json', 'decisions', 'export', '--model', MODEL, '--out', bundleFile);
    expect(exported.json()).toMatchObject({ decisions: 2, keys: 2 });
    const verified = await docket(a.db, 'decisions', 'verify', bundleFile);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toContain('2 of 2 decision(s) verified');

    const b = workspace('b');
    expect((await docket(b.db, 'policy', 'import', join(dir, 'b', 'pack.yaml'))).code).toBe(0);
    await importCard(b, CARD);
    tick();
    const refused = await docket(b.db, 'decisions', 'import', bundleFile);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/Imported 0, unchanged 0, refused 2\./);
    expect(refused.stdout).toMatch(/refused #0 approve fraud-score-card-txn@3 .*nobody has trusted it yet \(trust it with: docket keys trust [0-9a-f]{16}\)/);
    const listedB = (await docket(b.db, '--json', 'keys', 'list')).json() as { shortId: string; origin: string; status: string }[];
    expect(listedB.map((k) => [k.origin, k.status])).toEqual([
      ['imported', 'untrusted'],
      ['imported', 'untrusted'],
    ]);
    expect((await docket(b.db, 'keys', 'trust', 'abc')).code).toBe(2);
    for (const k of listedB) expect((await docket(b.db, 'keys', 'trust', k.shortId.slice(0, 10))).code).toBe(0);
    tick();
    const imported = await docket(b.db, '--json', 'decisions', 'import', bundleFile);
    expect(imported.code, imported.stdout).toBe(0);
    expect(imported.json()).toMatchObject({ imported: 2, unchanged: 0, refused: [] });
    expect(((await docket(b.db, '--json', 'review', 'show', MV)).json() as { state: string }).state).toBe('approved');

    // One byte flipped in a signature: verification fails, naming the decision.
    const bundle = readFileSync(bundleFile, 'utf8');
    const sig = bundle.indexOf('"sig": "') + '"sig": "'.length;
    const flipped = bundle.slice(0, sig) + (bundle[sig] === 'A' ? 'B' : 'A') + bundle.slice(sig + 1);
    writeFileSync(join(dir, 'flipped.json'), flipped);
    const bad = await docket(a.db, '--json', 'decisions', 'verify', join(dir, 'flipped.json'));
    expect(bad.code).toBe(1);
    const badChecks = bad.json() as { ok: boolean; decisions: { index: number; ok: boolean }[] };
    expect(badChecks.ok).toBe(false);
    expect(badChecks.decisions.map((d) => d.ok)).toEqual([false, true]);

    // The passphrase is nowhere: not in any audit entry of either workspace, not in anything printed.
    for (const db of [a.db, b.db]) {
      const conn = new Database(db, { readonly: true });
      const audit = conn.prepare('SELECT action, detail_json FROM audit_log').all() as { action: string; detail_json: string }[];
      conn.close();
      expect(audit.length).toBeGreaterThan(5);
      for (const entry of audit) expect(entry.detail_json).not.toContain(PASSPHRASE);
    }
    expect(printed).not.toContain(PASSPHRASE);
    expect((await docket(a.db, 'audit', 'verify')).code).toBe(0);
  }, 120_000);

  it('exports, imports, revokes and rotates keys by unique prefix', async () => {
    const w = workspace('keys');
    const file = (n: string) => join(dir, 'keys', n);
    const one = (await docket(w.db, '--json', 'keys', 'generate', '--name', 'Ada Lovelace', '--role', 'ml-lead', '--out', file('ada.json'))).json() as { keyId: string };
    const pem = await docket(w.db, 'keys', 'export', one.keyId.slice(0, 8));
    expect(pem.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----[\s\S]*-----END PUBLIC KEY-----\n$/);
    expect((await docket(w.db, 'keys', 'export', file('ada.json'), '--out', file('ada.pem'))).code).toBe(0);
    expect(readFileSync(file('ada.pem'), 'utf8')).toBe(pem.stdout.replace(/\n$/, '') + '\n');

    const other = workspace('keys-other');
    expect((await docket(other.db, 'keys', 'import', file('ada.pem'))).code).toBe(2); // a PEM does not say whose it is
    const added = await docket(other.db, '--json', 'keys', 'import', file('ada.pem'), '--name', 'Ada Lovelace', '--role', 'ml-lead');
    expect(added.json()).toMatchObject({ keyId: one.keyId, origin: 'imported', status: 'untrusted', added: true });
    expect(((await docket(other.db, '--json', 'keys', 'import', file('ada.json'))).json() as { added: boolean }).added).toBe(false);

    const rotated = await docket(w.db, '--json', 'keys', 'generate', '--name', 'Ada Lovelace', '--role', 'ml-lead', '--out', file('ada-2026.json'));
    const next = rotated.json() as { keyId: string };
    tick();
    const rotate = await docket(w.db, '--json', 'keys', 'rotate', one.keyId.slice(0, 12), '--key', file('ada-2026.json'));
    expect(rotate.code, rotate.stderr).toBe(0);
    expect(rotate.json()).toMatchObject({ old: { keyId: one.keyId, status: 'revoked', replacedBy: next.keyId }, replacement: { keyId: next.keyId, status: 'trusted' } });
    expect((await docket(w.db, 'keys', 'revoke', next.keyId, '--reason', 'laptop lost')).stdout).toMatch(/Revoked Ada Lovelace's key [0-9a-f]{16} .*laptop lost/);
    expect((await docket(w.db, 'keys', 'revoke', next.keyId.slice(0, 7), '--reason', 'x')).code).toBe(2);
  }, 60_000);

  it('never takes a passphrase from an argument and says where it comes from', async () => {
    const w = workspace('args');
    const result = await docket(w.db, 'keys', 'generate', '--name', 'Ada', '--passphrase=hunter2-secret');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('never accepted on the command line');
    expect(result.stdout + result.stderr).not.toContain('hunter2-secret');
    expect(existsSync(join(process.cwd(), 'ada.docket-key.json'))).toBe(false);

    delete process.env.DOCKET_KEY_PASSPHRASE;
    const stdin = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
    Object.defineProperty(process.stdin, 'isTTY', { value: false, configurable: true });
    try {
      const none = await docket(w.db, 'keys', 'generate', '--name', 'Ada', '--out', join(dir, 'args', 'ada.json'));
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/set DOCKET_KEY_PASSPHRASE or run in a terminal/);
      expect(existsSync(join(dir, 'args', 'ada.json'))).toBe(false);
    } finally {
      if (stdin) Object.defineProperty(process.stdin, 'isTTY', stdin);
      else delete (process.stdin as { isTTY?: boolean }).isTTY;
    }
  });

  const CLI = resolve('out/cli/docket.cjs');
  it.skipIf(!existsSync(CLI))('the built CLI refuses --passphrase without echoing it, and asks nobody when there is no terminal', () => {
    const w = workspace('built');
    const env = { ...process.env };
    delete env.DOCKET_KEY_PASSPHRASE;
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, '--db', w.db, ...args], { env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    const given = run('keys', 'generate', '--name', 'Ada', '--out', join(dir, 'built', 'a.json'), '--passphrase=hunter2-secret');
    expect(given.status).toBe(2);
    expect(given.stdout + given.stderr).not.toContain('hunter2-secret');
    const none = run('keys', 'generate', '--name', 'Ada', '--out', join(dir, 'built', 'a.json'));
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('DOCKET_KEY_PASSPHRASE');
  });

  it('has help for every command', async () => {
    const commands = [
      ['keys', 'generate'], ['keys', 'list'], ['keys', 'export'], ['keys', 'import'], ['keys', 'trust'], ['keys', 'revoke'], ['keys', 'rotate'],
      ['policy', 'check'], ['policy', 'list'], ['policy', 'import'], ['policy', 'activate'],
      ['review', 'open'], ['review', 'list'], ['review', 'show'], ['review', 'approve'], ['review', 'reject'], ['review', 'request-changes'], ['review', 'withdraw'],
      ['review', 'waive'], ['review', 'comment'], ['review', 'submit'], ['review', 'resubmit'],
      ['decisions', 'export'], ['decisions', 'import'], ['decisions', 'verify'], ['sources', 'write-back'],
    ];
    for (const c of commands) {
      const help = await runDocket([...c, '--help']);
      expect(help.code, c.join(' ')).toBe(0);
      expect(help.stdout, c.join(' ')).toMatch(new RegExp(`Usage: docket ${c.join(' ')}`));
      expect(help.stdout).not.toMatch(/--passphrase/);
    }
    expect((await runDocket(['policy', 'check', '--help'])).stdout).toContain('"policy": "<pack name>@<pack version>"');
    expect((await runDocket(['review', 'approve', '--help'])).stdout).toContain('DOCKET_KEY_PASSPHRASE');
  });
});

describe('waivers, comments and the inbox', () => {
  it('waives a failing rule until a date with a signed decision, and keeps comments', async () => {
    const w = workspace('waive');
    const ada = join(dir, 'waive', 'ada.json');
    expect((await docket(w.db, 'keys', 'generate', '--name', 'Ada Lovelace', '--role', 'ml-lead', '--out', ada)).code).toBe(0);
    expect((await docket(w.db, 'policy', 'import', join(dir, 'waive', 'pack.yaml'))).code).toBe(0);
    await importCard(w, WITHOUT_OUT_OF_SCOPE);
    expect((await docket(w.db, 'review', 'open', MV)).code).toBe(0);
    expect((await docket(w.db, '--json', 'review', 'list')).json()).toMatchObject([{ id: 1, state: 'in_review', checklistResult: 'fail' }]);
    const noApprovalWaiver = await docket(w.db, 'review', 'waive', MV, '--rule', 'high.approvals', '--until', '2026-12-31', '--rationale', 'no', '--key', ada);
    expect(noApprovalWaiver.code).toBe(1);
    expect(noApprovalWaiver.stderr).toContain('approvals cannot be waived');
    expect((await docket(w.db, 'review', 'waive', MV, '--rule', 'high.card-sections', '--until', 'soon', '--rationale', 'x', '--key', ada)).code).toBe(2);
    const waived = await docket(w.db, '--json', 'review', 'waive', MV, '--rule', 'high.card-sections', '--until', '2026-12-31', '--rationale', 'Section follows next sprint.', '--key', ada);
    expect(waived.code, waived.stderr).toBe(0);
    expect(waived.json()).toMatchObject({ decision: 'waive', waiver: { ruleId: 'high.card-sections', expiresAt: '2026-12-31T23:59:59.000Z' } });
    const check = (await docket(w.db, '--json', 'policy', 'check', MV)).json() as CheckJson;
    expect(check.rules.find((r) => r.id === 'high.card-sections')?.status).toBe('waived');
    expect((await docket(w.db, 'policy', 'check', MV)).stdout).toMatch(/≈ high\.card-sections/);
    expect((await docket(w.db, 'review', 'comment', MV, 'Section', 'due', 'on', 'Friday.')).code).toBe(0);
    expect((await docket(w.db, 'review', 'show', '#1')).stdout).toMatch(/Comments:\n.*: Section due on Friday\./);
    expect((await docket(w.db, 'sources', 'write-back', 'http://127.0.0.1:1', 'maybe')).code).toBe(2);
    expect((await docket(w.db, 'sources', 'write-back', 'http://127.0.0.1:1', 'on')).stderr).toContain('no MLflow source');
  }, 60_000);
});

describe('MLflow write-back from the command line', () => {
  let server: MlflowTestServer;
  beforeEach(async () => {
    server = await startMlflowServer({ token: 'dapi-cli-token' });
    server.addVersion('fraud');
  });
  afterEach(() => server.close());

  it('tags the version with the outcome after the closing approval, using $MLFLOW_TRACKING_TOKEN', async () => {
    const w = workspace('writeback');
    writeFileSync(join(dir, 'writeback', 'one.yaml'), 'name: One approval\nversion: "1"\ntiering: { tagKeys: [risk-tier], default: low }\nriskTiers:\n  low:\n    title: Low\n    rules:\n      - { id: low.approvals, kind: approvals, title: One approval, controls: [DKT-GOV-03], minApprovers: 1, authorMayNotApprove: true }\n');
    expect((await docket(w.db, 'policy', 'import', join(dir, 'writeback', 'one.yaml'))).code).toBe(0);
    process.env.MLFLOW_TRACKING_TOKEN = 'dapi-cli-token';
    const synced = await docket(w.db, 'sync', 'mlflow', '--url', server.url);
    expect(synced.code, synced.stderr).toBe(0);
    expect((await docket(w.db, 'sources', 'write-back', server.url, 'on')).code).toBe(0);
    // A sync may already open a draft review for the new version; otherwise open one.
    const existing = (await docket(w.db, '--json', 'review', 'list', '--all')).json() as { state: string }[];
    const moved = existing.length === 0 ? await docket(w.db, 'review', 'open', 'fraud@1') : await docket(w.db, 'review', 'submit', 'fraud@1');
    expect(moved.code, moved.stderr).toBe(0);
    const key = join(dir, 'writeback', 'rita.json');
    expect((await docket(w.db, 'keys', 'generate', '--name', 'Rita Reviewer', '--role', 'model-risk', '--out', key)).code).toBe(0);
    tick();
    const approved = await docket(w.db, 'review', 'approve', 'fraud@1', '--rationale', 'Fine.', '--key', key);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain(`MLflow write-back to ${server.url}: written.`);
    const tags = Object.fromEntries((server.version('fraud', '1').tags ?? []).map((t) => [t.key, t.value]));
    expect(tags[REVIEW_STATE_TAG]).toBe('approved');
    expect(server.log.filter((r) => r.endpoint === 'model-versions/set-tag').every((c) => c.authorization === 'Bearer dapi-cli-token')).toBe(true);
  }, 60_000);
});

describe('the passphrase prompt', () => {
  it('reads a line in raw mode without echoing it, honouring backspace', async () => {
    const input = Object.assign(new EventEmitter(), { raw: [] as boolean[], setRawMode(m: boolean) { this.raw.push(m); }, setEncoding() {}, resume() {}, pause() {} });
    let shown = '';
    const asked = ttyPrompt(input, { write: (t: string) => (shown += t) })('Passphrase: ');
    input.emit('data', 'sec');
    input.emit('data', 'x\u007fret\r');
    await expect(asked).resolves.toBe('secret');
    expect(shown).toBe('Passphrase: \n');
    expect(input.raw).toEqual([true, false]);
    expect(input.listenerCount('data')).toBe(0);
    const cancelled = ttyPrompt(input, { write: () => true })('Passphrase: ');
    input.emit('data', '\u0003');
    await expect(cancelled).resolves.toBeNull();
  });

  it('names key files after their holder', () => {
    expect(nameSlug('Ada Lovelace')).toBe('ada-lovelace');
    expect(nameSlug('Zoë Ångström')).toBe('zoe-angstrom');
    expect(nameSlug('  ***  ')).toBe('key');
  });
});
