import { z } from 'zod';
import { SECTION_KEYS, type SectionKey } from './sections';

/**
 * The canonical model card: what Docket keeps of a card whatever format it arrived in
 * (Hugging Face README, Model Card Toolkit JSON, CycloneDX ML-BOM).
 */

export const CARD_FORMATS = ['huggingface', 'model-card-toolkit', 'cyclonedx'] as const;
export type CardFormat = (typeof CARD_FORMATS)[number];

export { GOVERNANCE_SECTIONS, SECTION_KEYS, type SectionKey, type SectionState } from './sections';

/**
 * A section's text as Markdown. `null` means the card has no such section at all;
 * an empty string means the heading (or field) is there but says nothing.
 */
export const SectionTextSchema = z.string().nullable();

export const CardMetricSchema = z.object({
  /** Metric type as the card names it, e.g. "accuracy", "f1". */
  type: z.string(),
  /** Human label if the card gives one, else the type. */
  name: z.string(),
  value: z.union([z.number(), z.string()]),
  /** Dataset the metric was measured on, as the card names it; null if the card does not say. */
  dataset: z.string().nullable(),
  split: z.string().nullable().optional(),
  task: z.string().nullable().optional(),
  slice: z.string().nullable().optional(),
  verified: z.boolean().optional(),
});
export type CardMetric = z.infer<typeof CardMetricSchema>;

export const CardOwnerSchema = z.object({ name: z.string(), contact: z.string().nullable().optional() });
export type CardOwner = z.infer<typeof CardOwnerSchema>;

export const CanonicalCardSchema = z.object({
  format: z.enum(CARD_FORMATS),
  modelName: z.string().min(1),
  version: z.string().min(1),
  /** One-paragraph summary, if the card has one. */
  summary: z.string().nullable(),
  license: z.string().nullable(),
  owners: z.array(CardOwnerSchema),
  tags: z.array(z.string()),
  datasets: z.array(z.string()),
  sections: z.record(z.enum(SECTION_KEYS as [SectionKey, ...SectionKey[]]), SectionTextSchema),
  metrics: z.array(CardMetricSchema),
});
export type CanonicalCard = z.infer<typeof CanonicalCardSchema>;

export interface CardCompleteness {
  present: SectionKey[];
  empty: SectionKey[];
  missing: SectionKey[];
  /** present / all governance sections, 0..1 */
  ratio: number;
}

/** Where a bad card went wrong: a file plus a line ("line 12") or a JSON path ("$.model_details.name"). */
export interface CardRejection {
  file: string;
  location: string;
  reason: string;
}
