import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { buildEvidenceBundle } from '../../../electron/core/pack/buildEvidenceBundle';
import { buildMlBom, licenseChoice, mlBomBytes, serialNumberFor } from '../../../electron/core/pack/mlBom';
import { saveArtefact } from './packFixtures';
import { MODEL, PACK_TIME, RESOURCES, seedWorkspace, VERSION, type SeededWorkspace } from './auditPackFixtures';

const SCHEMAS = '/work/shared/reference/model-cards';

/**
 * The CycloneDX 1.6 schema, with the sub-schemas it $refs. jsf-0.82 is in the reference folder;
 * spdx.schema.json (the SPDX license id enumeration) is not, so ajv gets a permissive stub for it:
 * a license id is then only checked to be a string. mlBom.ts writes ids only from a short list of
 * real SPDX ids and everything else as a named license, so the stub hides nothing we emit.
 */
function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // ajv-formats has no "iri-reference" (RFC 3987); an IRI reference has no whitespace, which is all we ask here.
  ajv.addFormat('iri-reference', /^\S*$/);
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/);
  ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, 'jsf-0.82.schema.json'), 'utf8')), 'jsf-0.82.schema.json');
  const spdx = join(SCHEMAS, 'spdx.schema.json');
  ajv.addSchema(existsSync(spdx) ? JSON.parse(readFileSync(spdx, 'utf8')) : { $id: 'http://cyclonedx.org/schema/spdx.schema.json', type: 'string' }, 'spdx.schema.json');
  return ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'bom-1.6.schema.json'), 'utf8')));
}

interface Component {
  type: string;
  name: string;
  version?: string;
  'bom-ref': string;
  licenses?: unknown[];
  properties?: { name: string; value: string }[];
  modelCard?: {
    modelParameters: { datasets: { ref: string }[] };
    quantitativeAnalysis: { performanceMetrics: unknown[] };
    considerations: { useCases: string[]; fairnessAssessments: unknown[] };
  };
}
interface Bom {
  serialNumber: string;
  metadata: { timestamp: string; tools: { components: unknown[] } };
  components: Component[];
  declarations: { assessors: { organization: { name: string } }[]; claims: { 'bom-ref': string; evidence: string[] }[]; attestations: { map: unknown[] }[] };
  definitions: { standards: { requirements: { identifier: string }[] }[] };
}

let w: SeededWorkspace;
beforeAll(async () => {
  w = await seedWorkspace();
}, 60_000);
afterAll(() => w.t.cleanup());

describe('ML-BOM', () => {
  it('validates against CycloneDX 1.6 and carries the card, datasets, fairness and declarations', () => {
    const { bundle, sha256 } = buildEvidenceBundle(w.t.store, { resourcesDir: RESOURCES, model: MODEL, version: VERSION, clock: () => PACK_TIME, env: {} });
    const bom = buildMlBom(bundle, sha256) as unknown as Bom;
    saveArtefact('ml-bom.cdx.json', mlBomBytes(bundle, sha256));
    const validate = validator();
    const valid = validate(bom);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);

    expect(bom.serialNumber).toBe(serialNumberFor(sha256));
    expect(bom.metadata.timestamp).toBe(bundle.generatedAt);
    expect(bom.metadata.tools.components[0]).toMatchObject({ type: 'application', name: 'Docket' });
    const model = bom.components[0]!;
    const card = model.modelCard!;
    expect(model).toMatchObject({ type: 'machine-learning-model', name: MODEL, version: VERSION, 'bom-ref': `model:${MODEL}@${VERSION}` });
    expect(model.licenses).toHaveLength(1);
    const data = bom.components.filter((c) => c.type === 'data');
    expect(data.length).toBeGreaterThan(0);
    expect(card.modelParameters.datasets.map((d) => d.ref).sort()).toEqual(data.map((d) => d['bom-ref']).sort());
    expect(data.flatMap((d) => (d.properties ?? []).map((p) => p.value))).toEqual(expect.arrayContaining(['training']));
    expect(card.quantitativeAnalysis.performanceMetrics.length).toBe(bundle.card!.canonical.metrics.length);
    expect(card.considerations.useCases[0]).toBe(bundle.card!.canonical.sections.intendedUse!.trim());
    expect(card.considerations.fairnessAssessments).toHaveLength(bundle.fairness.evaluations[0]!.verdicts.length);

    const decl = bom.declarations;
    expect(decl.assessors.map((a) => a.organization.name)).toEqual([expect.stringContaining('Ada Lovelace (ml-lead)'), expect.stringContaining('Grace Hopper (model-risk)')]);
    expect(decl.claims.map((c) => c['bom-ref'])).toEqual(['claim:high.card-sections', 'claim:high.approvals']);
    expect(decl.attestations[0]!.map).toEqual([
      expect.objectContaining({ requirement: 'control:DKT-DOC-01', claims: ['claim:high.card-sections'], conformance: expect.objectContaining({ score: 1 }) }),
      expect.objectContaining({ requirement: 'control:DKT-GOV-03', claims: ['claim:high.approvals'] }),
    ]);
    expect(bom.definitions.standards[0]!.requirements.map((r) => r.identifier)).toEqual(['DKT-DOC-01', 'DKT-GOV-03']);
    // Every bom-ref is unique, and every reference points at one.
    const refs: string[] = [];
    JSON.stringify(bom, (key, value: unknown) => {
      if (key === 'bom-ref') refs.push(String(value));
      return value;
    });
    expect(new Set(refs).size).toBe(refs.length);
    for (const claim of decl.claims) for (const e of claim.evidence) expect(refs).toContain(e);

    // The validator does validate: a wrong component type and a random-looking serial are refused.
    expect(validate({ ...bom, serialNumber: 'urn:uuid:not-a-uuid' })).toBe(false);
    expect(validate({ ...bom, components: [{ ...model, type: 'ml-model' }] })).toBe(false);
  });

  it('is deterministic, and its serial number follows the evidence', () => {
    const { bundle, sha256 } = buildEvidenceBundle(w.t.store, { resourcesDir: RESOURCES, model: MODEL, version: VERSION, clock: () => PACK_TIME, env: {} });
    expect(mlBomBytes(bundle, sha256).equals(mlBomBytes(structuredClone(bundle), sha256))).toBe(true);
    expect(serialNumberFor('0'.repeat(64))).toBe('urn:uuid:00000000-0000-8000-8000-000000000000');
    expect(serialNumberFor(sha256)).not.toBe(serialNumberFor('f'.repeat(64)));
  });

  it('writes known SPDX ids as ids and anything else as a named license', () => {
    expect(licenseChoice('apache-2.0')).toEqual([{ license: { id: 'Apache-2.0' } }]);
    expect(licenseChoice('other')).toEqual([{ license: { name: 'other' } }]);
    expect(licenseChoice(null)).toBeUndefined();
  });
});
