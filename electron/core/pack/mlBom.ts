import type { LineageView } from '../../../shared/domain/lineage';
import type { AuditEvidenceBundle } from '../../../shared/pack/evidenceBundle';

/**
 * The pack's CycloneDX 1.6 ML-BOM, drawn from the evidence bundle alone (so it cannot disagree with
 * the PDF): one `machine-learning-model` component with its model card, one `data` component per
 * dataset the lineage shows, and `declarations` stating the policy checklist as claims against the
 * controls it cites (`definitions.standards`), attested by the reviewers who signed decisions.
 *
 * Deterministic: objects are built in a fixed key order, arrays in bundle order, the timestamp is
 * the bundle's and the serial number is derived from the evidence sha256, never random.
 */

export const ML_BOM_SCHEMA_URL = 'http://cyclonedx.org/schema/bom-1.6.schema.json';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Builds an object in the order given, leaving out undefined values and empty arrays. */
function obj(entries: [string, Json | undefined][]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

/**
 * "urn:uuid:…" from the evidence sha256: its first 16 bytes with the RFC 9562 version 8 (custom)
 * and variant bits set. Same evidence, same serial number; different evidence, a different one.
 */
export function serialNumberFor(evidenceSha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(evidenceSha256)) throw new Error('the evidence sha256 must be 64 lowercase hex digits');
  const bytes = Buffer.from(evidenceSha256.slice(0, 32), 'hex');
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Common SPDX ids, matched case-insensitively (Hugging Face cards write "apache-2.0"). */
const SPDX_IDS = [
  'Apache-2.0', 'MIT', 'BSD-2-Clause', 'BSD-3-Clause', 'GPL-2.0-only', 'GPL-3.0-only', 'LGPL-3.0-only', 'AGPL-3.0-only', 'MPL-2.0',
  'CC0-1.0', 'CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0', 'CC-BY-ND-4.0', 'Unlicense', 'BSL-1.0', 'OpenRAIL',
] as const;

/** A card's license as CycloneDX: an SPDX id when it is one we know, else a named license. */
export function licenseChoice(license: string | null): Json[] | undefined {
  const text = license?.trim();
  if (!text) return undefined;
  const spdx = SPDX_IDS.find((id) => id.toLowerCase() === text.toLowerCase());
  return [{ license: spdx ? { id: spdx } : { name: text } }];
}

export interface LineageDatasets {
  training: string[];
  evaluation: string[];
}

/**
 * The datasets the lineage shows for the version: training data feeds the run that produced it;
 * evaluation data is marked as such, or feeds a run that reads the model. Node ids, sorted.
 */
export function lineageDatasets(lineage: LineageView): LineageDatasets {
  const kind = new Map(lineage.nodes.map((n) => [n.id, n.kind]));
  const producers = new Set(lineage.edges.filter((e) => e.to === lineage.focus && e.kind === 'produced').map((e) => e.from));
  const evaluators = new Set(lineage.edges.filter((e) => e.from === lineage.focus && kind.get(e.to) === 'run').map((e) => e.to));
  const training = new Set<string>();
  const evaluation = new Set<string>();
  for (const e of lineage.edges) {
    if (kind.get(e.from) !== 'dataset') continue;
    if (producers.has(e.to)) training.add(e.from);
    if ((e.kind === 'evaluated' && e.to === lineage.focus) || evaluators.has(e.to)) evaluation.add(e.from);
  }
  return { training: [...training].sort(), evaluation: [...evaluation].sort() };
}

const STATUS_SCORE: Record<string, number> = { pass: 1, waived: 0, fail: 0, missing: 0 };

export function buildMlBom(bundle: AuditEvidenceBundle, evidenceSha256: string): JsonObject {
  const modelRef = `model:${bundle.model.name}@${bundle.model.version}`;
  const card = bundle.card?.canonical ?? null;
  const sections = card?.sections;
  const datasets = lineageDatasets(bundle.lineage);
  const datasetIds = [...new Set([...datasets.training, ...datasets.evaluation])].sort();
  const nodes = new Map(bundle.lineage.nodes.map((n) => [n.id, n]));

  const dataComponents: Json[] = datasetIds.map((id) => {
    const node = nodes.get(id)!;
    const roles = [datasets.training.includes(id) ? 'training' : null, datasets.evaluation.includes(id) ? 'evaluation' : null].filter((r): r is string => r !== null);
    return obj([
      ['type', 'data'],
      ['bom-ref', id],
      ['name', node.label],
      ['group', node.namespace ?? undefined],
      ['description', `${roles.join(' and ')} data of ${bundle.model.name} ${bundle.model.version}, from lineage (${node.sources.join(', ') || 'unknown source'})`],
      ['data', [obj([['type', 'dataset'], ['name', node.label], ['description', `Used for ${roles.join(' and ')}.`]])]],
      ['properties', roles.map((role) => ({ name: 'docket:lineage:role', value: role }))],
    ]);
  });

  const fairnessAssessments: Json[] = bundle.fairness.evaluations.flatMap((evaluation) =>
    evaluation.verdicts.map((v) =>
      obj([
        ['groupAtRisk', `Groups by ${evaluation.sensitiveFeatures.join(' × ') || 'an unnamed feature'}: ${evaluation.report.includedGroups.join(', ') || 'none evaluable'}`],
        ['harms', `${v.measure} = ${v.value === null ? 'not evaluable' : String(v.value)}; policy requires ${v.comparison} ${v.bound} (${v.basis}): ${v.status}${v.reason ? `, ${v.reason}` : ''}. Dataset: ${evaluation.dataset.name ?? 'not stated'}.`],
        ['mitigationStrategy', v.status === 'pass' ? undefined : 'Subject to the release review; see the signed decisions and any waiver in the audit pack.'],
      ]),
    ),
  );
  const ethicalConsiderations: Json[] = bundle.fairness.evaluations.flatMap((evaluation) =>
    evaluation.verdicts
      .filter((v) => v.status !== 'pass')
      .map((v) => obj([['name', `Fairness: ${v.measure} ${v.status} over ${evaluation.sensitiveFeatures.join(' × ')}${v.reason ? ` (${v.reason})` : ''}`]])),
  );
  const text = (value: string | null | undefined): string | undefined => (value && value.trim() !== '' ? value.trim() : undefined);

  const modelCard = obj([
    ['bom-ref', `model-card:${bundle.model.name}@${bundle.model.version}`],
    ['modelParameters', obj([['datasets', datasetIds.map((ref) => ({ ref }))]])],
    [
      'quantitativeAnalysis',
      card && card.metrics.length > 0
        ? obj([
            [
              'performanceMetrics',
              card.metrics.map((m) => obj([['type', m.type], ['value', String(m.value)], ['slice', text(m.slice ?? undefined) ?? text([m.dataset, m.split].filter(Boolean).join(' / '))]])),
            ],
          ])
        : undefined,
    ],
    [
      'considerations',
      obj([
        ['useCases', [text(sections?.intendedUse)].filter((s): s is string => s !== undefined)],
        ['technicalLimitations', [text(sections?.biasRisksLimitations), text(sections?.outOfScopeUse) && `Out of scope: ${text(sections?.outOfScopeUse)}`].filter((s): s is string => typeof s === 'string')],
        ['ethicalConsiderations', ethicalConsiderations],
        ['fairnessAssessments', fairnessAssessments],
      ]),
    ],
  ]);

  const modelComponent = obj([
    ['type', 'machine-learning-model'],
    ['bom-ref', modelRef],
    ['name', bundle.model.name],
    ['version', bundle.model.version],
    ['description', text(card?.summary)],
    ['licenses', licenseChoice(card?.license ?? null)],
    ['modelCard', modelCard],
    [
      'properties',
      [
        ...bundle.model.aliases.map((alias) => ({ name: 'docket:alias', value: alias })),
        ...bundle.model.tags.map((t) => ({ name: `docket:tag:${t.key}`, value: t.value })),
        ...(bundle.card ? [{ name: 'docket:card:sha256', value: bundle.card.source.sha256 }, { name: 'docket:card:format', value: bundle.card.source.format }] : []),
      ],
    ],
  ]);

  const rules = bundle.policy.checklist.rules;
  const known = new Set(bundle.policy.controls.map((c) => c.id));
  const evidence: Json[] = [
    obj([
      ['bom-ref', 'evidence:bundle'],
      ['propertyName', 'docket:evidence-sha256'],
      ['description', `The evidence bundle (evidence.json, RFC 8785 canonical JSON) this BOM is drawn from; sha256 ${evidenceSha256}. The policy evidence snapshot reviewers sign has sha256 ${bundle.policy.evidenceHash}.`],
      ['created', bundle.generatedAt],
    ]),
    ...rules.flatMap((rule) =>
      rule.evidence.map((item, i) =>
        obj([
          ['bom-ref', `evidence:${rule.id}:${i + 1}`],
          ['propertyName', `docket:evidence:${item.kind}`],
          ['description', `${item.label}: ${item.detail}`],
          ['created', bundle.generatedAt],
        ]),
      ),
    ),
  ];
  const claims: Json[] = rules.map((rule) =>
    obj([
      ['bom-ref', `claim:${rule.id}`],
      ['target', modelRef],
      ['predicate', `${rule.title} (policy rule ${rule.id}, controls ${rule.controls.join(', ')})`],
      ['reasoning', `${rule.status}: ${rule.reason}`],
      ['evidence', ['evidence:bundle', ...rule.evidence.map((_, i) => `evidence:${rule.id}:${i + 1}`)]],
    ]),
  );
  const map: Json[] = rules.flatMap((rule) =>
    rule.controls
      .filter((control) => known.has(control))
      .map((control) =>
        obj([
          ['requirement', `control:${control}`],
          [rule.status === 'pass' ? 'claims' : 'counterClaims', [`claim:${rule.id}`]],
          ['conformance', obj([['score', STATUS_SCORE[rule.status] ?? 0], ['rationale', `${rule.status}: ${rule.reason}`]])],
        ]),
      ),
  );
  const signers = new Map<string, { name: string; role: string; decisions: string[] }>();
  for (const d of bundle.decisions) {
    const s = signers.get(d.keyId) ?? { name: d.signer, role: d.role, decisions: [] };
    s.decisions.push(`${d.kind} at ${d.signedAt}${d.verified ? '' : ' (not verified in the exporting workspace)'}`);
    signers.set(d.keyId, s);
  }
  const checklist = bundle.policy.checklist;
  const checklistSummary = `Policy ${checklist.policy.name} ${checklist.policy.version}, tier ${checklist.tier.id}, as of ${checklist.asOf}: ${checklist.result} (evidence ${checklist.evidenceResult}).`;
  const assessors: Json[] = [...signers].map(([keyId, s]) => obj([['bom-ref', `assessor:${keyId}`], ['thirdParty', false], ['organization', obj([['name', `${s.name} (${s.role}), key ${keyId}`]])]]));
  const attestations: Json[] =
    signers.size === 0
      ? [obj([['summary', `${checklistSummary} No signed decision yet.`], ['map', map]])]
      : [...signers].map(([keyId, s]) => obj([['summary', `${checklistSummary} Signed by ${s.name} (${s.role}): ${s.decisions.join('; ')}.`], ['assessor', `assessor:${keyId}`], ['map', map]]));

  const standard = obj([
    ['bom-ref', 'standard:docket-controls'],
    ['name', 'Docket control catalog'],
    ['description', `The controls cited by policy pack ${bundle.policy.pack.name} ${bundle.policy.pack.version}, with their EU AI Act, NIST AI RMF and ISO/IEC 42001 citations.`],
    ['owner', 'Docket'],
    [
      'requirements',
      bundle.policy.controls.map((c) =>
        obj([
          ['bom-ref', `control:${c.id}`],
          ['identifier', c.id],
          ['title', c.title],
          [
            'descriptions',
            [
              c.euAiAct.length > 0 ? `EU AI Act: ${c.euAiAct.join(', ')}` : undefined,
              c.nistAiRmf.length > 0 ? `NIST AI RMF: ${c.nistAiRmf.join(', ')}` : undefined,
              c.iso42001.length > 0 ? `ISO/IEC 42001: ${c.iso42001.join(', ')}` : undefined,
            ].filter((s): s is string => s !== undefined),
          ],
        ]),
      ),
    ],
  ]);

  return obj([
    ['$schema', ML_BOM_SCHEMA_URL],
    ['bomFormat', 'CycloneDX'],
    ['specVersion', '1.6'],
    ['serialNumber', serialNumberFor(evidenceSha256)],
    ['version', 1],
    [
      'metadata',
      obj([
        ['timestamp', bundle.generatedAt],
        ['tools', obj([['components', [obj([['type', 'application'], ['name', bundle.generator.name], ['version', bundle.generator.version]])]]])],
        ['properties', [{ name: 'docket:evidence-sha256', value: evidenceSha256 }, { name: 'docket:policy-evidence-sha256', value: bundle.policy.evidenceHash }]],
      ]),
    ],
    ['components', [modelComponent, ...dataComponents]],
    ['dependencies', datasetIds.length > 0 ? [obj([['ref', modelRef], ['dependsOn', datasetIds]])] : undefined],
    ['declarations', obj([['assessors', assessors], ['attestations', attestations], ['claims', claims], ['evidence', evidence]])],
    ['definitions', bundle.policy.controls.length > 0 ? obj([['standards', [standard]]]) : undefined],
  ]);
}

/** The ML-BOM file's bytes: two-space JSON in the fixed key order, ending in a newline. */
export function mlBomBytes(bundle: AuditEvidenceBundle, evidenceSha256: string): Buffer {
  return Buffer.from(`${JSON.stringify(buildMlBom(bundle, evidenceSha256), null, 2)}\n`, 'utf8');
}
