import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvidenceBundle, bundleSha256 } from '../../../electron/core/pack/buildEvidenceBundle';
import { packClock, packTimestamp } from '../../../electron/core/pack/packClock';
import { canonicalJsonBytes } from '../../../electron/core/signing/dsse';
import { saveArtefact } from './packFixtures';
import { MODEL, PACK_TIME, RESOURCES, seedWorkspace, VERSION, type SeededWorkspace } from './auditPackFixtures';

let w: SeededWorkspace;
beforeAll(async () => {
  w = await seedWorkspace();
}, 60_000);
afterAll(() => w.t.cleanup());

const build = (env: Record<string, string | undefined> = {}) => buildEvidenceBundle(w.t.store, { resourcesDir: RESOURCES, model: MODEL, version: VERSION, clock: () => PACK_TIME, env });

describe('packClock', () => {
  it('uses SOURCE_DATE_EPOCH when set, else the clock cut to whole seconds', () => {
    expect(packClock(() => new Date('2026-01-02T03:04:05.678Z'), {}).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(packClock(() => new Date(), { SOURCE_DATE_EPOCH: '1767225600' }).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(() => packClock(() => new Date(), { SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(/SOURCE_DATE_EPOCH/);
    expect(packTimestamp(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00Z');
  });
});

describe('buildEvidenceBundle', () => {
  it('fills every field from the seeded store', () => {
    const { bundle, sha256 } = build();
    saveArtefact('bundle.evidence.json', JSON.stringify(bundle, null, 2));
    expect(sha256).toBe(bundleSha256(bundle));
    expect(bundle.schema).toBe('docket.audit-evidence/v1');
    expect(bundle.generatedAt).toBe('2026-11-26T09:00:00Z');
    expect(bundle.generator).toEqual({ name: 'Docket', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(bundle.model).toMatchObject({ name: MODEL, version: VERSION });
    expect(bundle.model.versions.map((v) => v.version)).toContain(VERSION);
    expect(bundle.card?.canonical.modelName).toBe(MODEL);
    expect(bundle.card?.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(bundle.lineage.focus).toContain(MODEL);
    expect(bundle.lineage.nodes.length).toBeGreaterThan(1);
    expect(bundle.fairness.evaluations).toHaveLength(1);
    expect(bundle.fairness.evaluations[0]!.verdicts.length).toBeGreaterThan(0);

    // Spend: the model's, up to 365 days ending on its last day with spend, with a monthly rollup that adds up.
    expect(bundle.spend.attributedTo).toBe(MODEL);
    expect(bundle.spend.daily.length).toBeGreaterThan(0);
    const last = bundle.spend.daily.at(-1)!.day;
    expect(Date.parse(last) - Date.parse(bundle.spend.daily[0]!.day)).toBeLessThan(365 * 86_400_000);
    const byMonth = (month: string) => bundle.spend.daily.filter((d) => d.day.startsWith(month)).reduce((s, d) => s + d.effectiveCost, 0);
    for (const m of bundle.spend.monthly) expect(m.effectiveCost).toBeCloseTo(byMonth(m.month), 6);
    expect(bundle.spend.unitCosts.length).toBeGreaterThan(0);
    expect(bundle.spend.provenance[0]).toMatchObject({ source: 'focus', name: expect.stringContaining('FOCUS') });

    // Policy: checklist passes with both approvals; controls are the ones the rules cite, with citations.
    expect(bundle.policy.pack).toEqual({ name: 'Test pack', version: '1' });
    expect(bundle.policy.checklist.result).toBe('pass');
    expect(bundle.policy.controls.map((c) => c.id)).toEqual(['DKT-DOC-01', 'DKT-GOV-03']);
    expect(bundle.policy.evidenceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(bundle.policy.evidence.asOf).toBe(PACK_TIME.toISOString());

    expect(bundle.reviews).toEqual([expect.objectContaining({ id: w.reviewId, state: 'approved', trigger: 'manual', openedBy: 'reviewer' })]);
    expect(bundle.decisions.map((d) => [d.kind, d.signer, d.verified])).toEqual([
      ['approve', 'Ada Lovelace', true],
      ['approve', 'Grace Hopper', true],
    ]);
    expect(bundle.decisions[0]!.envelope.payloadType).toBe('application/vnd.docket.decision+json');
    expect(bundle.keys.map((k) => k.name).sort()).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(bundle.keys.every((k) => k.trusted && k.publicKeyPem.includes('BEGIN PUBLIC KEY'))).toBe(true);

    const actions = bundle.audit.entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['card.imported', 'fairness.imported', 'review.opened', 'decision.approve']));
    expect(bundle.audit.entries.every((e) => e.subject === `review:${w.reviewId}` || e.subject === `${MODEL}@${VERSION}`)).toBe(true);
    expect(bundle.audit.chainVerified).toBe(true);
    expect(bundle.audit.head?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic, follows SOURCE_DATE_EPOCH, and its sha256 is of the canonical JSON', () => {
    const a = build();
    const b = build();
    expect(canonicalJsonBytes(a.bundle).equals(canonicalJsonBytes(b.bundle))).toBe(true);
    expect(a.sha256).toBe(b.sha256);
    const epoch = build({ SOURCE_DATE_EPOCH: '1798761600' });
    expect(epoch.bundle.generatedAt).toBe('2027-01-01T00:00:00Z');
    expect(epoch.sha256).not.toBe(a.sha256);
  });

  it('names the versions there are for an unknown version', () => {
    expect(() => buildEvidenceBundle(w.t.store, { resourcesDir: RESOURCES, model: MODEL, version: '99', clock: () => PACK_TIME })).toThrow(/versions: .*3/);
  });
});
