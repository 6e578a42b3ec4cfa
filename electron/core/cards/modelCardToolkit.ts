import { z } from 'zod';
import type { CanonicalCard, CardMetric, SectionKey } from '../../../shared/domain/modelCard';
import { CardParseError, describeFirstIssue, jsonPath, numericOrString, validatedCard } from './cardError';

/*
 * Model Card Toolkit JSON, schema v0.0.2. Only the fields Docket reads are checked; unknown keys
 * are ignored so newer toolkit output still imports. Each error message is the expected type,
 * which describeFirstIssue turns into "$.model_details.owners[0].name must be a string, got ...".
 */

const Text = z.string({ error: 'a string' });
const TextOrNumber = z.union([z.string(), z.number()], { error: 'a string or a number' });
const list = <T extends z.ZodType>(item: T, what: string) => z.array(item, { error: `a list of ${what}` }).nullish();
/** users, use_cases, limitations and tradeoffs are {description} objects; older toolkits wrote plain strings. */
const Described = z.union([Text, z.object({ description: Text.nullish() })], { error: 'a string or an object with a description' });

const MctSchema = z.object(
  {
    model_details: z.object(
      {
        name: Text,
        overview: Text.nullish(),
        documentation: Text.nullish(),
        owners: list(z.object({ name: Text, contact: Text.nullish() }, { error: 'an object with a name' }), 'owners'),
        version: z.object({ name: Text.nullish(), date: Text.nullish(), diff: Text.nullish() }, { error: 'an object' }).nullish(),
        licenses: list(z.object({ identifier: Text.nullish(), custom_text: Text.nullish() }, { error: 'an object with an identifier or custom_text' }), 'licenses'),
      },
      { error: 'an object' },
    ),
    model_parameters: z
      .object(
        {
          model_architecture: Text.nullish(),
          data: list(
            z.object(
              {
                name: Text.nullish(),
                link: Text.nullish(),
                description: Text.nullish(),
                sensitive: z.object({ sensitive_data: list(Text, 'strings') }, { error: 'an object' }).nullish(),
              },
              { error: 'an object' },
            ),
            'datasets',
          ),
        },
        { error: 'an object' },
      )
      .nullish(),
    quantitative_analysis: z
      .object(
        {
          performance_metrics: list(
            z.object(
              {
                type: Text,
                value: TextOrNumber,
                slice: Text.nullish(),
                confidence_interval: z.object({ lower_bound: TextOrNumber.nullish(), upper_bound: TextOrNumber.nullish() }, { error: 'an object' }).nullish(),
              },
              { error: 'an object with type and value' },
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
          users: list(Described, 'users'),
          use_cases: list(Described, 'use cases'),
          limitations: list(Described, 'limitations'),
          tradeoffs: list(Described, 'tradeoffs'),
          ethical_considerations: list(z.object({ name: Text.nullish(), mitigation_strategy: Text.nullish() }, { error: 'an object' }), 'risks'),
        },
        { error: 'an object' },
      )
      .nullish(),
  },
  { error: 'a JSON object' },
);
type Mct = z.infer<typeof MctSchema>;
type DescribedItem = z.infer<typeof Described>;

function describedText(item: DescribedItem): string {
  return (typeof item === 'string' ? item : (item.description ?? '')).trim();
}

function bullets(items: string[]): string {
  return items.filter((t) => t !== '').map((t) => `- ${t}`).join('\n');
}

/** Joins titled parts; null when none of the card's fields for the section exist at all. */
function section(parts: { present: boolean; title?: string; text: string }[]): string | null {
  if (!parts.some((p) => p.present)) return null;
  return parts
    .filter((p) => p.text.trim() !== '')
    .map((p) => (p.title ? `**${p.title}**\n\n${p.text.trim()}` : p.text.trim()))
    .join('\n\n');
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function sections(card: Mct): Record<SectionKey, string | null> {
  const d = card.model_details;
  const c = card.considerations;
  const data = card.model_parameters?.data;
  const metrics = card.quantitative_analysis?.performance_metrics;
  return {
    details: section([
      { present: present(d.overview), text: d.overview ?? '' },
      { present: present(d.documentation), title: 'Documentation', text: d.documentation ?? '' },
    ]),
    intendedUse: section([
      { present: present(c?.use_cases), title: 'Use cases', text: bullets((c?.use_cases ?? []).map(describedText)) },
      { present: present(c?.users), title: 'Users', text: bullets((c?.users ?? []).map(describedText)) },
    ]),
    // MCT has no out-of-scope field; guessing one from free text would mislead a reviewer.
    outOfScopeUse: null,
    biasRisksLimitations: section([
      { present: present(c?.limitations), title: 'Limitations', text: bullets((c?.limitations ?? []).map(describedText)) },
      { present: present(c?.tradeoffs), title: 'Tradeoffs', text: bullets((c?.tradeoffs ?? []).map(describedText)) },
      {
        present: present(c?.ethical_considerations),
        title: 'Ethical considerations',
        text: bullets(
          (c?.ethical_considerations ?? []).map((r) =>
            [r.name?.trim(), r.mitigation_strategy?.trim() ? `mitigation: ${r.mitigation_strategy.trim()}` : ''].filter(Boolean).join(' — '),
          ),
        ),
      },
    ]),
    trainingData: section([
      {
        present: present(data),
        text: bullets(
          (data ?? []).map((ds) => {
            const sensitive = ds.sensitive?.sensitive_data ?? [];
            return [
              ds.name?.trim() ?? '',
              ds.description?.trim() ? `: ${ds.description.trim()}` : '',
              ds.link ? ` (${ds.link})` : '',
              sensitive.length > 0 ? ` — sensitive data: ${sensitive.join(', ')}` : '',
            ]
              .join('')
              .replace(/^: /, '');
          }),
        ),
      },
    ]),
    evaluation: section([
      {
        present: present(metrics),
        text: bullets(
          (metrics ?? []).map((m) => {
            const ci = m.confidence_interval;
            const interval = ci && present(ci.lower_bound) && present(ci.upper_bound) ? ` (confidence interval ${ci.lower_bound}–${ci.upper_bound})` : '';
            return `${m.type}${m.slice ? ` [${m.slice}]` : ''}: ${m.value}${interval}`;
          }),
        ),
      },
    ]),
  };
}

function firstParagraph(text: string | null | undefined): string | null {
  const para = text?.trim().split(/\n\s*\n/)[0]?.trim();
  return para ? para : null;
}

/** Parses Model Card Toolkit JSON (schema v0.0.2) into a canonical card. */
export function parseModelCardToolkit(json: unknown, opts: { fallbackVersion?: string }): CanonicalCard {
  const parsed = MctSchema.safeParse(json);
  if (!parsed.success) {
    const problem = describeFirstIssue(parsed.error, json, (p) => jsonPath(p));
    throw new CardParseError(jsonPath(problem.path), problem.reason);
  }
  const card = parsed.data;
  const d = card.model_details;
  const modelName = d.name.trim();
  if (modelName === '') throw new CardParseError('$.model_details.name', '$.model_details.name is empty; a card needs the model name');

  const licenses = (d.licenses ?? []).map((l) => (l.identifier ?? l.custom_text ?? '').trim()).filter((l) => l !== '');
  const metrics: CardMetric[] = (card.quantitative_analysis?.performance_metrics ?? []).map((m) => ({
    type: m.type,
    name: m.type,
    value: numericOrString(m.value),
    // MCT metrics carry a slice but no dataset name.
    dataset: null,
    slice: m.slice ?? null,
  }));

  return validatedCard({
    format: 'model-card-toolkit',
    modelName,
    version: d.version?.name?.trim() || opts.fallbackVersion?.trim() || '1',
    summary: firstParagraph(d.overview),
    license: licenses.length > 0 ? licenses.join(', ') : null,
    owners: (d.owners ?? []).map((o) => ({ name: o.name, contact: o.contact ?? null })).filter((o) => o.name.trim() !== ''),
    tags: [],
    datasets: [...new Set((card.model_parameters?.data ?? []).map((ds) => ds.name?.trim() ?? '').filter((n) => n !== ''))],
    sections: sections(card),
    metrics,
  });
}
