import { z } from 'zod';
import type { CanonicalCard, CardMetric, CardOwner, SectionKey } from '../../../shared/domain/modelCard';
import { CardParseError, describeFirstIssue, jsonPath, numericOrString, validatedCard, type PathSegment } from './cardError';

/**
 * Spec versions whose ML-BOM modelCard shape this parser reads. 1.5 introduced modelCard; 1.6 and
 * 1.7 only add fields (tags, environmentalConsiderations) that older readers may ignore.
 */
export const CYCLONEDX_SPEC_VERSIONS = ['1.5', '1.6', '1.7'] as const;

const Text = z.string({ error: 'a string' });
const TextOrNumber = z.union([z.string(), z.number()], { error: 'a string or a number' });
const list = <T extends z.ZodType>(item: T, what: string) => z.array(item, { error: `a list of ${what}` }).nullish();

const Contact = z.object({ name: Text.nullish(), email: Text.nullish() }, { error: 'an object' });
const Entity = z.object({ name: Text.nullish(), contact: list(Contact, 'contacts') }, { error: 'an object with a name' });

const ModelCardSchema = z.object(
  {
    modelParameters: z
      .object(
        {
          approach: z.object({ type: Text.nullish() }, { error: 'an object' }).nullish(),
          task: Text.nullish(),
          architectureFamily: Text.nullish(),
          modelArchitecture: Text.nullish(),
          // Either an inline dataset (componentData) or a {ref} to one elsewhere in the BOM.
          datasets: list(z.object({ ref: z.unknown().optional(), name: Text.nullish(), description: Text.nullish(), type: Text.nullish() }, { error: 'an object' }), 'datasets'),
        },
        { error: 'an object' },
      )
      .nullish(),
    quantitativeAnalysis: z
      .object(
        {
          performanceMetrics: list(
            z.object(
              {
                type: Text.nullish(),
                value: TextOrNumber.nullish(),
                slice: Text.nullish(),
                confidenceInterval: z.object({ lowerBound: TextOrNumber.nullish(), upperBound: TextOrNumber.nullish() }, { error: 'an object' }).nullish(),
              },
              { error: 'an object' },
            ),
            'metrics',
          ),
        },
        { error: 'an object' },
      )
      .nullish(),
    considerations: z
      .object(
        {
          users: list(Text, 'strings'),
          useCases: list(Text, 'strings'),
          technicalLimitations: list(Text, 'strings'),
          performanceTradeoffs: list(Text, 'strings'),
          ethicalConsiderations: list(z.object({ name: Text.nullish(), mitigationStrategy: Text.nullish() }, { error: 'an object' }), 'risks'),
          fairnessAssessments: list(
            z.object({ groupAtRisk: Text.nullish(), benefits: Text.nullish(), harms: Text.nullish(), mitigationStrategy: Text.nullish() }, { error: 'an object' }),
            'assessments',
          ),
        },
        { error: 'an object' },
      )
      .nullish(),
  },
  { error: 'an object' },
);

const MlComponentSchema = z.object(
  {
    name: Text,
    version: Text.nullish(),
    description: Text.nullish(),
    licenses: list(
      z.object({ license: z.object({ id: Text.nullish(), name: Text.nullish() }, { error: 'an object' }).nullish(), expression: Text.nullish() }, { error: 'an object' }),
      'licenses',
    ),
    supplier: Entity.nullish(),
    manufacturer: Entity.nullish(),
    authors: list(Contact, 'authors'),
    author: Text.nullish(),
    tags: list(Text, 'strings'),
    modelCard: ModelCardSchema,
  },
  { error: 'an object' },
);
type MlComponent = z.infer<typeof MlComponentSchema>;

interface Found {
  path: PathSegment[];
  raw: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Walks metadata.component and components[] (nested to any depth) for ML models with a model card. */
function findModelComponents(bom: Record<string, unknown>): Found[] {
  const found: Found[] = [];
  const visit = (value: unknown, path: PathSegment[]) => {
    if (!isObject(value)) return;
    if (value.type === 'machine-learning-model' && value.modelCard !== undefined) found.push({ path, raw: value });
    if (Array.isArray(value.components)) value.components.forEach((c, i) => visit(c, [...path, 'components', i]));
  };
  if (isObject(bom.metadata)) visit(bom.metadata.component, ['metadata', 'component']);
  if (Array.isArray(bom.components)) bom.components.forEach((c, i) => visit(c, ['components', i]));
  return found;
}

function bullets(items: (string | null | undefined)[]): string {
  return items
    .map((t) => t?.trim() ?? '')
    .filter((t) => t !== '')
    .map((t) => `- ${t}`)
    .join('\n');
}

function section(parts: { present: boolean; title?: string; text: string }[]): string | null {
  if (!parts.some((p) => p.present)) return null;
  return parts
    .filter((p) => p.text.trim() !== '')
    .map((p) => (p.title ? `**${p.title}**\n\n${p.text.trim()}` : p.text.trim()))
    .join('\n\n');
}

const has = (value: unknown) => value !== undefined && value !== null;

function sections(c: MlComponent): Record<SectionKey, string | null> {
  const params = c.modelCard.modelParameters;
  const cons = c.modelCard.considerations;
  const metrics = c.modelCard.quantitativeAnalysis?.performanceMetrics;
  const paramLines = params
    ? bullets([
        params.approach?.type ? `Approach: ${params.approach.type}` : null,
        params.task ? `Task: ${params.task}` : null,
        params.architectureFamily ? `Architecture family: ${params.architectureFamily}` : null,
        params.modelArchitecture ? `Architecture: ${params.modelArchitecture}` : null,
      ])
    : '';
  return {
    details: section([
      { present: has(c.description), text: c.description ?? '' },
      { present: has(params), title: 'Model parameters', text: paramLines },
    ]),
    intendedUse: section([
      { present: has(cons?.useCases), title: 'Use cases', text: bullets(cons?.useCases ?? []) },
      { present: has(cons?.users), title: 'Users', text: bullets(cons?.users ?? []) },
    ]),
    // CycloneDX has no out-of-scope field.
    outOfScopeUse: null,
    biasRisksLimitations: section([
      { present: has(cons?.technicalLimitations), title: 'Technical limitations', text: bullets(cons?.technicalLimitations ?? []) },
      {
        present: has(cons?.ethicalConsiderations),
        title: 'Ethical considerations',
        text: bullets((cons?.ethicalConsiderations ?? []).map((r) => [r.name, r.mitigationStrategy ? `mitigation: ${r.mitigationStrategy}` : null].filter(Boolean).join(' — '))),
      },
      {
        present: has(cons?.fairnessAssessments),
        title: 'Fairness assessments',
        text: bullets(
          (cons?.fairnessAssessments ?? []).map((f) =>
            [
              f.groupAtRisk ? `group at risk: ${f.groupAtRisk}` : null,
              f.benefits ? `benefits: ${f.benefits}` : null,
              f.harms ? `harms: ${f.harms}` : null,
              f.mitigationStrategy ? `mitigation: ${f.mitigationStrategy}` : null,
            ]
              .filter(Boolean)
              .join('; '),
          ),
        ),
      },
      { present: has(cons?.performanceTradeoffs), title: 'Performance tradeoffs', text: bullets(cons?.performanceTradeoffs ?? []) },
    ]),
    trainingData: section([
      {
        present: has(params?.datasets),
        text: bullets((params?.datasets ?? []).map((ds) => (ds.name ? `${ds.name}${ds.description ? `: ${ds.description}` : ''}` : datasetRef(ds.ref)))),
      },
    ]),
    evaluation: section([
      {
        present: has(metrics),
        text: bullets(
          (metrics ?? []).map((m) => {
            const ci = m.confidenceInterval;
            const interval = ci && has(ci.lowerBound) && has(ci.upperBound) ? ` (confidence interval ${ci.lowerBound}–${ci.upperBound})` : '';
            return `${m.type ?? 'metric'}${m.slice ? ` [${m.slice}]` : ''}: ${m.value ?? ''}${interval}`;
          }),
        ),
      },
    ]),
  };
}

/** A dataset {ref} is a bom-ref string or, in 1.6, a bom-link object; keep whatever names it. */
function datasetRef(ref: unknown): string | null {
  if (typeof ref === 'string') return ref;
  if (isObject(ref) && typeof ref.ref === 'string') return ref.ref;
  return null;
}

function owners(c: MlComponent): CardOwner[] {
  const out: CardOwner[] = [];
  const add = (name: string | null | undefined, contact: string | null | undefined) => {
    const n = name?.trim();
    if (n && !out.some((o) => o.name === n)) out.push({ name: n, contact: contact?.trim() || null });
  };
  for (const entity of [c.supplier, c.manufacturer]) {
    if (entity) add(entity.name, entity.contact?.find((x) => x.email)?.email);
  }
  for (const a of c.authors ?? []) add(a.name ?? a.email, a.email);
  if (c.author) for (const name of c.author.split(/[,;\n]/)) add(name, null);
  return out;
}

function license(c: MlComponent): string | null {
  const ids = (c.licenses ?? []).map((l) => (l.expression ?? l.license?.id ?? l.license?.name ?? '').trim()).filter((l) => l !== '');
  return ids.length > 0 ? ids.join(', ') : null;
}

function toCard(c: MlComponent, fallbackVersion: string | undefined): CanonicalCard {
  const metrics: CardMetric[] = [];
  for (const m of c.modelCard.quantitativeAnalysis?.performanceMetrics ?? []) {
    // A metric without a type or value says nothing that can be compared; the text section keeps it.
    if (!m.type || m.value === null || m.value === undefined) continue;
    metrics.push({ type: m.type, name: m.type, value: numericOrString(m.value), dataset: null, slice: m.slice ?? null });
  }
  const datasets = (c.modelCard.modelParameters?.datasets ?? []).map((ds) => ds.name?.trim() || datasetRef(ds.ref)).filter((n): n is string => !!n);
  return {
    format: 'cyclonedx',
    modelName: c.name.trim(),
    version: c.version?.trim() || fallbackVersion?.trim() || '1',
    summary: c.description?.trim().split(/\n\s*\n/)[0]?.trim() || null,
    license: license(c),
    owners: owners(c),
    tags: [...new Set((c.tags ?? []).map((t) => t.trim()).filter((t) => t !== ''))],
    datasets: [...new Set(datasets)],
    sections: sections(c),
    metrics,
  };
}

/** Parses a CycloneDX 1.5+ BOM: one canonical card per machine-learning-model component with a modelCard. */
export function parseCycloneDx(json: unknown, opts: { fallbackVersion?: string }): CanonicalCard[] {
  if (!isObject(json)) throw new CardParseError('$', 'a CycloneDX BOM must be a JSON object');
  if (json.bomFormat !== 'CycloneDX') throw new CardParseError('$.bomFormat', `bomFormat must be "CycloneDX", got ${JSON.stringify(json.bomFormat)}`);
  const spec = json.specVersion;
  if (typeof spec !== 'string' || !(CYCLONEDX_SPEC_VERSIONS as readonly string[]).includes(spec)) {
    throw new CardParseError(
      '$.specVersion',
      `CycloneDX specVersion ${JSON.stringify(spec)} is not supported; model cards need ${CYCLONEDX_SPEC_VERSIONS.join(', ')}`,
    );
  }
  const found = findModelComponents(json);
  if (found.length === 0) throw new CardParseError('$.components', 'no machine-learning-model component with a modelCard');
  return found.map(({ path, raw }) => {
    const parsed = MlComponentSchema.safeParse(raw);
    if (!parsed.success) {
      const problem = describeFirstIssue(parsed.error, raw, (p) => jsonPath([...path, ...p]));
      throw new CardParseError(jsonPath([...path, ...problem.path]), problem.reason);
    }
    if (parsed.data.name.trim() === '') throw new CardParseError(jsonPath([...path, 'name']), 'the model component has an empty name');
    return validatedCard(toCard(parsed.data, opts.fallbackVersion), jsonPath(path));
  });
}
