import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lifecycleStates, listSunsets, retiredSpendAlarms, sunsetView } from '../../../electron/core/lifecycle/lifecycleQueries';
import { sunsetCandidates } from '../../../electron/core/lifecycle/candidates';
import { decideSunset, proposeSunset, refreshLifecycle, retireNow, verifySunsetDecision } from '../../../electron/core/lifecycle/sunsets';
import { listAudit, verifyAuditChain } from '../../../electron/core/store/auditLog';
import { verifyWorkspace } from '../../../electron/core/store/verifyWorkspace';
import { runDocket } from '../../support/runDocket';
import { KEY_PASSPHRASE, MODEL, RESOURCES, seedWorkspace, type SeededWorkspace } from '../pack/auditPackFixtures';

/** The sunset state machine: proposed, decided by a signed statement, deprecated, retired on its date, and alarms after. */

let w: SeededWorkspace;
let now: Date;
const clock = () => now;
const deps = () => ({ store: w.t.store, actor: 'lead', clock });
const PLAN = {
  replacement: null,
  drainDate: '2026-12-10',
  retirementDate: '2026-12-31',
  dataRetention: 'Keep training data and predictions for 10 years, then delete.',
  rollback: 'Redeploy version 3 from the registry; endpoint config kept until retirement.',
  owner: 'ml-platform-oncall',
};

beforeEach(async () => {
  w = await seedWorkspace();
  now = new Date('2026-11-26T09:00:00.000Z');
}, 60_000);
afterEach(() => w.t.cleanup());

describe('sunset reviews', () => {
  it('refuses a plan with bad fields, naming each one, and writes nothing', () => {
    const bad = { ...PLAN, drainDate: '2026-12-31', retirementDate: '2026-12-01', owner: ' ', commitments: [{ label: 'RI', monthly: -5, until: '2027-01-01' }] };
    let error: { issues?: { path: string; message: string }[] } | undefined;
    try {
      proposeSunset(deps(), { model: MODEL, version: '3', plan: bad });
    } catch (e) {
      error = e as typeof error;
    }
    const paths = Object.fromEntries((error?.issues ?? []).map((i) => [i.path, i.message]));
    expect(paths['plan.retirementDate']).toMatch(/before the drain date/);
    expect(paths['plan.owner']).toMatch(/say who owns the plan/);
    expect(paths['plan.commitments.0.monthly']).toMatch(/cannot be negative/);
    expect(listSunsets(w.t.store.db)).toEqual([]);
  });

  it('deprecates on a signed approval, retires on the date, never without approval, and flags spend after retirement', () => {
    // No sunset yet: retiring is refused.
    expect(() => retireNow(deps(), MODEL, '3')).toThrow(/no approved sunset/);
    const candidatesBefore = sunsetCandidates(w.t.store, { resourcesDir: RESOURCES, clock });
    const { id, saving } = proposeSunset(deps(), { model: MODEL, version: '3', plan: PLAN });
    // The serving version, replaced by nothing: the model's whole attributed spend is saved.
    expect(saving.basis).toMatch(/the model's attributed spend/);
    expect(saving.net).toBeGreaterThan(0);
    const fromCandidates = candidatesBefore.find((c) => c.model === MODEL);
    if (fromCandidates) expect(saving.net).toBeCloseTo(fromCandidates.monthlySaving, 2);
    // Proposed is not enough.
    expect(() => retireNow(deps(), MODEL, '3')).toThrow(/no approved sunset/);
    expect(() => proposeSunset(deps(), { model: MODEL, version: '3', plan: PLAN })).toThrow(/already has a sunset under review/);

    now = new Date('2026-11-27T10:00:00.000Z');
    const outcome = decideSunset(deps(), { sunsetId: id, kind: 'approve', rationale: 'Replaced by the rules engine; no traffic since October.', key: w.ada });
    expect(outcome).toMatchObject({ state: 'approved', lifecycle: 'deprecated' });
    expect(() => decideSunset(deps(), { sunsetId: id, kind: 'reject', rationale: 'late', key: w.grace })).toThrow(/already approved/);
    const view = sunsetView(w.t.store.db, id)!;
    expect(view.decisions).toHaveLength(1);
    expect(view.decisions[0]).toMatchObject({ kind: 'approve', signer: 'Ada Lovelace', verified: true });
    expect(sunsetCandidates(w.t.store, { resourcesDir: RESOURCES, clock }).some((c) => c.model === MODEL && c.version === '3')).toBe(false);

    // Before the date nothing moves; on it, the version retires, audited.
    now = new Date('2026-12-30T23:00:00.000Z');
    expect(refreshLifecycle(deps())).toEqual([]);
    now = new Date('2026-12-31T00:00:01.000Z');
    expect(refreshLifecycle(deps())).toEqual([{ model: MODEL, version: '3', sunsetId: id, to: 'retired' }]);
    expect(lifecycleStates(w.t.store.db)).toMatchObject([{ model: MODEL, version: '3', state: 'retired', retirementDate: '2026-12-31' }]);
    expect(listAudit(w.t.store.db, 20).map((e) => e.action)).toEqual(expect.arrayContaining(['sunset.proposed', 'sunset.decision.approve', 'lifecycle.deprecated', 'lifecycle.retired']));
    expect(verifyAuditChain(w.t.store.db).ok).toBe(true);

    // Spend still arriving after the retirement date is an alarm.
    expect(retiredSpendAlarms(w.t.store.db)).toEqual([]);
    w.t.store.db
      .prepare("INSERT INTO spend_daily (day, provider, service_name, sub_account_id, tag_team, tag_model, currency, billed_cost, effective_cost, list_cost, line_items) VALUES ('2027-01-03', 'AWS', 'AmazonSageMaker', '', '', ?, 'USD', 12.5, 12.5, 12.5, 3)")
      .run(MODEL);
    expect(retiredSpendAlarms(w.t.store.db)).toEqual([{ model: MODEL, version: '3', retirementDate: '2026-12-31', tagValue: MODEL, currency: 'USD', spendAfter: 12.5, firstDay: '2027-01-03', lastDay: '2027-01-03' }]);
  });

  it('detects a stored sunset decision whose record or signature was altered', () => {
    const { id } = proposeSunset(deps(), { model: MODEL, version: '3', plan: PLAN });
    decideSunset(deps(), { sunsetId: id, kind: 'withdraw', rationale: 'Not now.', key: w.grace });
    const row = w.t.store.db.prepare('SELECT * FROM sunset_decisions').get() as { envelope_json: string; digest: string; key_id: string; kind: string; plan_sha256: string };
    expect(verifySunsetDecision(w.t.store.db, row).verified).toBe(true);
    expect(verifySunsetDecision(w.t.store.db, { ...row, kind: 'approve' })).toMatchObject({ verified: false, verification: /differs from what was signed/ });
    const envelope = JSON.parse(row.envelope_json) as { signatures: { sig: string }[] };
    const sig = Buffer.from(envelope.signatures[0]!.sig, 'base64');
    sig[3] = sig[3]! ^ 1;
    envelope.signatures[0]!.sig = sig.toString('base64');
    expect(verifySunsetDecision(w.t.store.db, { ...row, envelope_json: JSON.stringify(envelope) }).verified).toBe(false);
    // Signed decisions cannot be edited in place; edited behind Docket's back, audit verify names it.
    expect(() => w.t.store.db.prepare("UPDATE sunset_decisions SET kind = 'approve'").run()).toThrow(/cannot be changed/);
    expect(verifyWorkspace(w.t.store.db).checks?.find((c) => c.name === 'Sunset decisions')).toMatchObject({ ok: true, detail: /1 sunset decision verified/ });
    w.t.store.db.exec('DROP TRIGGER sunset_decisions_no_update');
    w.t.store.db.prepare("UPDATE sunset_decisions SET kind = 'approve'").run();
    const after = verifyWorkspace(w.t.store.db);
    expect(after.ok).toBe(false);
    expect(after.checks?.find((c) => c.name === 'Sunset decisions')?.detail).toMatch(/sunset decision #1 \(approve by Grace Hopper.*differs from what was signed/);
    // A withdrawn sunset leaves the version active.
    expect(lifecycleStates(w.t.store.db)).toEqual([]);
  });
});

describe('docket sunset', () => {
  it('lists candidates as JSON with the documented keys, and decides with a plan file and a key file', async () => {
    const candidates = await runDocket(['--db', w.t.dbPath, '--json', 'sunset', 'candidates']);
    expect(candidates.code, candidates.stderr).toBe(0);
    const list = candidates.json() as Record<string, unknown>[];
    for (const c of list) expect(Object.keys(c).sort()).toEqual(['currency', 'model', 'monthlySaving', 'reasons', 'version']);

    const planFile = join(w.t.dir, 'plan.yaml');
    writeFileSync(planFile, ['replacement: null', 'drainDate: 2026-12-10', 'retirementDate: 2026-12-31', `dataRetention: ${PLAN.dataRetention}`, `rollback: ${PLAN.rollback}`, 'owner: ml-platform-oncall', ''].join('\n'));
    const broken = join(w.t.dir, 'broken.yaml');
    writeFileSync(broken, ['replacement: null', 'drainDate: 2026-12-10', 'retirementDate: 2026-11-31', 'dataRetention: x', 'rollback: y', 'owner: z', ''].join('\n'));
    process.env.DOCKET_KEY_PASSPHRASE = KEY_PASSPHRASE;
    try {
      const refused = await runDocket(['--db', w.t.dbPath, 'sunset', 'decide', `${MODEL}@3`, '--plan', broken, '--key', w.adaKeyFile, '--rationale', 'x']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/broken\.yaml: line 3: retirementDate: use a real date/);
      const decided = await runDocket(['--db', w.t.dbPath, 'sunset', 'decide', `${MODEL}@3`, '--plan', planFile, '--key', w.adaKeyFile, '--rationale', 'Superseded by the rules engine.']);
      expect(decided.code, decided.stderr).toBe(0);
      expect(decided.stdout).toMatch(/approved \(signed by Ada Lovelace[\s\S]*Lifecycle: deprecated; retires 2026-12-31/);
    } finally {
      delete process.env.DOCKET_KEY_PASSPHRASE;
    }
    const listed = await runDocket(['--db', w.t.dbPath, 'sunset', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`${MODEL}@3\\s+approved\\s+deprecated\\s+2026-12-31`));
  });
});
