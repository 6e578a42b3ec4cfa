import { SECTION_KEYS, type CanonicalCard, type CardCompleteness, type SectionState } from './modelCard';

export function sectionState(text: string | null | undefined): SectionState {
  if (text === null || text === undefined) return 'missing';
  return text.trim() === '' ? 'empty' : 'present';
}

/** Which governance sections a card has, has empty, and lacks. */
export function cardCompleteness(card: Pick<CanonicalCard, 'sections'>): CardCompleteness {
  const result: CardCompleteness = { present: [], empty: [], missing: [], ratio: 0 };
  for (const key of SECTION_KEYS) result[sectionState(card.sections[key])].push(key);
  result.ratio = result.present.length / SECTION_KEYS.length;
  return result;
}
