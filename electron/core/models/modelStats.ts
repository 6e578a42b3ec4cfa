import type { ChannelOutput, ModelSummary } from '../../../shared/ipc/contract';

/** How many of each list the Overview shows; the counts are always of the whole list. */
const INCOMPLETE_SHOWN = 50;
const FAILING_SHOWN = 3;

const hasGaps = (m: ModelSummary) => m.completeness.missing.length + m.completeness.empty.length > 0;

/**
 * The Overview's model figures, computed where the models are (the engine) so the window receives a
 * few kilobytes instead of every model: at 20,000 models the full list is about 7 MB.
 */
export function modelStats(list: readonly ModelSummary[]): ChannelOutput<'models/stats'> {
  const incomplete = list.filter(hasGaps).sort((a, b) => a.completeness.ratio - b.completeness.ratio || a.name.localeCompare(b.name));
  const failing = list.filter((m) => m.fairnessStatus === 'fail').sort((a, b) => a.name.localeCompare(b.name));
  return {
    models: list.length,
    versions: list.reduce((n, m) => n + m.versionCount, 0),
    incomplete: incomplete.length,
    incompleteFirst: incomplete.slice(0, INCOMPLETE_SHOWN),
    failingFairness: failing.length,
    failingFairnessFirst: failing.slice(0, FAILING_SHOWN).map((m) => ({ name: m.name, latestVersion: m.latestVersion })),
  };
}
