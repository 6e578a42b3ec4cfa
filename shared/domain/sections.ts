/**
 * The governance sections a reviewer expects in every model card, in display order.
 * Kept apart from the zod schemas so the renderer can use them without bundling zod.
 */
export const GOVERNANCE_SECTIONS = [
  { key: 'details', title: 'Model details' },
  { key: 'intendedUse', title: 'Intended use' },
  { key: 'outOfScopeUse', title: 'Out-of-scope use' },
  { key: 'biasRisksLimitations', title: 'Bias, risks and limitations' },
  { key: 'trainingData', title: 'Training data' },
  { key: 'evaluation', title: 'Evaluation' },
] as const;
export type SectionKey = (typeof GOVERNANCE_SECTIONS)[number]['key'];
export const SECTION_KEYS = GOVERNANCE_SECTIONS.map((s) => s.key) as SectionKey[];

export type SectionState = 'present' | 'empty' | 'missing';
