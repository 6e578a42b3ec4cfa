import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FairnessPolicySchema } from '../../../shared/fairness/policy';
import { resolveTier } from '../../../shared/policy/policyPack';
import { loadControlCatalog, loadDefaultControlCatalog } from '../../../electron/core/policy/loadControlCatalog';
import { importPolicyPack, loadDefaultPolicyPack, parsePolicyPack } from '../../../electron/core/policy/loadPolicyPack';
import { PolicyFileError } from '../../../electron/core/policy/policyFile';
import { loadDefaultPolicy } from '../../../electron/core/policy/loadPolicy';

const RESOURCES = resolve('resources');
const PACK_FILE = join(RESOURCES, 'policies/default-pack.yaml');
const catalog = loadDefaultControlCatalog(RESOURCES);
const packText = readFileSync(PACK_FILE, 'utf8');

function thrown(fn: () => unknown): PolicyFileError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyFileError);
    return err as PolicyFileError;
  }
  throw new Error('expected a PolicyFileError');
}

describe('control catalog', () => {
  it('loads, with unique ids and between 12 and 20 controls', () => {
    expect(catalog.controls.length).toBeGreaterThanOrEqual(12);
    expect(catalog.controls.length).toBeLessThanOrEqual(20);
    expect(new Set(catalog.controls.map((c) => c.id)).size).toBe(catalog.controls.length);
  });

  it('rejects a duplicate id, naming the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docket-catalog-'));
    try {
      const file = join(dir, 'catalog.yaml');
      const text = readFileSync(join(RESOURCES, 'controls/catalog.yaml'), 'utf8').replace('id: DKT-GOV-02', 'id: DKT-GOV-01');
      writeFileSync(file, text);
      const err = thrown(() => loadControlCatalog(file));
      expect(err.message).toMatch(/used twice/);
      const lines = text.split('\n').flatMap((l, i) => (l.includes('id: DKT-GOV-01') ? [i + 1] : []));
      expect(err.line).toBe(lines[1]);
      expect(err.field).toBe('controls[1].id');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('policy pack schema', () => {
  it('the default pack validates against the catalog and cites only catalog controls', () => {
    const pack = loadDefaultPolicyPack(RESOURCES);
    expect(Object.keys(pack.riskTiers)).toEqual(['minimal', 'limited', 'high']);
    const ids = new Set(catalog.controls.map((c) => c.id));
    for (const tier of Object.values(pack.riskTiers)) for (const rule of tier.rules) for (const c of rule.controls) expect(ids).toContain(c);
    expect(pack.riskTiers.high!.rules.map((r) => r.kind).sort()).toEqual(['approvals', 'card-sections', 'cost', 'evidence-freshness', 'fairness', 'lineage']);
  });

  it("keeps the high tier's fairness rule in step with default-policy.yaml (the fairness tab's policy)", () => {
    const fairnessPolicy = loadDefaultPolicy(RESOURCES);
    expect(FairnessPolicySchema.safeParse(parseYaml(readFileSync(join(RESOURCES, 'policies/default-policy.yaml'), 'utf8'))).success).toBe(true);
    const rule = loadDefaultPolicyPack(RESOURCES).riskTiers.high!.rules.find((r) => r.kind === 'fairness');
    expect(rule).toMatchObject({ minGroupCount: fairnessPolicy.fairness.minGroupCount, minGroupShare: fairnessPolicy.fairness.minGroupShare });
    const bounds = (ts: { measure: string; comparison: string; bound: number }[]) => ts.map((t) => [t.measure, t.comparison, t.bound]);
    expect(rule?.kind === 'fairness' && bounds(rule.thresholds)).toEqual(bounds(fairnessPolicy.fairness.thresholds));
  });

  it('rejects a rule citing an unknown control, naming the rule, the line and the field', () => {
    const bad = packText.replace('controls: [DKT-FAIR-01]', 'controls: [DKT-FAIR-99]');
    const err = thrown(() => parsePolicyPack(bad, 'my-pack.yaml', catalog));
    expect(err.message).toMatch(/rule "high\.fairness" cites unknown control "DKT-FAIR-99"/);
    expect(err.file).toBe('my-pack.yaml');
    expect(err.line).toBe(bad.split('\n').findIndex((l) => l.includes('DKT-FAIR-99')) + 1);
    expect(err.field).toMatch(/^riskTiers\.high\.rules\[\d\]\.controls\[0\]$/);
  });

  it('rejects unknown keys, bad sections, a cost rule without limits and a default that is not a tier', () => {
    expect(thrown(() => parsePolicyPack(packText.replace('maxAgeDays: 180', 'maxAgeDays: 180\n        maxAgeDayz: 3'), 'p.yaml', catalog)).message).toMatch(/maxAgeDayz|Unrecognized key/);
    expect(thrown(() => parsePolicyPack(packText.replace('sections: [details, intendedUse]', 'sections: [details, purpose]'), 'p.yaml', catalog)).field).toBe('riskTiers.minimal.rules[0].sections[1]');
    const noLimits = packText.replace('        maxMonthlyEffectiveSpend: 2000\n', '');
    expect(thrown(() => parsePolicyPack(noLimits, 'p.yaml', catalog)).message).toMatch(/needs maxCostPer1kPredictions, maxMonthlyEffectiveSpend or both/);
    expect(thrown(() => parsePolicyPack(packText.replace('default: high', 'default: severe'), 'p.yaml', catalog)).message).toMatch(/default tier "severe" is not one of/);
    expect(thrown(() => parsePolicyPack(packText.replace('id: limited.cost', 'id: high.cost'), 'p.yaml', catalog)).message).toMatch(/rule id "high\.cost" is also used/);
  });

  it('refuses an alias without its anchor, naming its line, and an alias bomb, as typed errors', () => {
    // Found by the importers fuzz test: `*!` parses cleanly and fails only when aliases resolve.
    const dangling = packText.replace('default: high', 'default: *nowhere');
    const err = thrown(() => parsePolicyPack(dangling, 'p.yaml', catalog));
    expect(err.line).toBe(dangling.split('\n').findIndex((l) => l.includes('*nowhere')) + 1);
    expect(err.message).toMatch(/^p\.yaml: line \d+: cannot resolve YAML aliases: Unresolved alias/);
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    expect(thrown(() => parsePolicyPack(laughs, 'bomb.yaml', catalog)).message).toMatch(/^bomb\.yaml: cannot resolve YAML aliases: Excessive alias count/);
  });

  it('imports a JSON pack, and reports a JSON error with its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docket-pack-'));
    try {
      const pack = loadDefaultPolicyPack(RESOURCES);
      const good = join(dir, 'pack.json');
      writeFileSync(good, JSON.stringify({ ...pack, version: '2026.2' }, null, 2));
      expect(importPolicyPack(good, catalog).version).toBe('2026.2');
      const broken = join(dir, 'broken.json');
      const lines = JSON.stringify(pack, null, 2).split('\n');
      const at = lines.findIndex((l) => l.includes('"minApprovers": 2'));
      lines[at] = lines[at]!.replace('2', '"two"');
      writeFileSync(broken, lines.join('\n'));
      const err = thrown(() => importPolicyPack(broken, catalog));
      expect(err).toMatchObject({ file: broken, line: at + 1 });
      expect(err.field).toMatch(/minApprovers$/);
      expect(thrown(() => importPolicyPack(join(dir, 'pack.txt'), catalog)).message).toMatch(/unsupported file type/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('assigns tiers from card tags, then registry tags, through aliases, else the default', () => {
    const pack = loadDefaultPolicyPack(RESOURCES);
    expect(resolveTier(pack, [{ key: 'risk-tier:high', value: '', source: 'card' }])).toMatchObject({ id: 'high', source: 'card-tag' });
    expect(resolveTier(pack, [{ key: 'risk-tier', value: 'low', source: 'registry' }, { key: 'risk-tier:medium', value: '', source: 'card' }])).toMatchObject({
      id: 'limited',
      source: 'card-tag',
    });
    expect(resolveTier(pack, [{ key: 'risk-tier', value: 'low', source: 'registry' }])).toMatchObject({ id: 'minimal', source: 'registry-tag' });
    expect(resolveTier(pack, [{ key: 'risk-tier:extreme', value: '', source: 'card' }])).toMatchObject({ id: 'high', source: 'default', note: expect.stringMatching(/names no tier/) });
    expect(resolveTier(pack, [])).toEqual({ id: 'high', source: 'default', tag: null, note: null });
  });
});
