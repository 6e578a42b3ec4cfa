import type { SpendProvenanceView, SpendSourceView, SpendSummary } from '../../../shared/ipc/contract';

/**
 * What every spend figure says on hover: its source, when that source was last pulled, and whether
 * any day behind it is still Estimated by AWS. Figures that are estimated are also marked in text
 * ("≈"), never by colour alone.
 */

export const ESTIMATED_MARK = '≈';

function utc(iso: string | null): string {
  if (!iso) return 'never';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "Source: …" and "Synced/Imported: …" lines for a query's provenance (or the older coverage-only summary). */
export function sourceLines(provenance: SpendProvenanceView | undefined, coverage: SpendSummary['coverage'] | undefined): string[] {
  if (!provenance) {
    const latest = coverage?.files.map((f) => f.importedAt).sort().pop() ?? null;
    return [`Source: FOCUS files (${coverage?.files.length ?? 0})`, `Imported: ${utc(latest)}`];
  }
  const when = provenance.kind === 'focus' ? 'Imported' : 'Synced';
  return [`Source: ${provenance.name}`, `${when}: ${utc(provenance.lastSyncAt)}${provenance.syncRunId !== null ? ` (sync run ${provenance.syncRunId})` : ''}`];
}

function listDays(days: readonly string[]): string {
  return days.length > 5 ? `${days.slice(0, 5).join(', ')} and ${days.length - 5} more` : days.join(', ');
}

/** The Estimated days among `days` (all of the range's when omitted). */
export function estimatedAmong(provenance: SpendProvenanceView | undefined, days?: { from: string; to: string } | readonly string[]): string[] {
  const all = provenance?.estimatedDays ?? [];
  if (!days) return [...all];
  if (Array.isArray(days)) {
    const wanted = new Set(days as readonly string[]);
    return all.filter((d) => wanted.has(d));
  }
  const range = days as { from: string; to: string };
  return all.filter((d) => d >= range.from && d <= range.to);
}

/**
 * The hover text of one figure. `estimatedDays` are the Estimated days behind that figure (the
 * range's by default); `what` names the figure ("Effective cost, USD").
 */
export function figureTitle(provenance: SpendProvenanceView | undefined, coverage: SpendSummary['coverage'] | undefined, options: { what?: string; estimated?: boolean; estimatedDays?: readonly string[] } = {}): string {
  const days = options.estimatedDays ?? estimatedAmong(provenance);
  const estimated = options.estimated ?? days.length > 0;
  const lines = [...(options.what ? [options.what] : []), ...sourceLines(provenance, coverage)];
  if (provenance?.kind === 'aws-ce') {
    lines.push(
      estimated
        ? `Estimated: ${days.length > 0 ? `${days.length} day${days.length === 1 ? '' : 's'} (${listDays(days)})` : 'yes'}; AWS may still restate ${days.length === 1 ? 'it' : 'them'}.`
        : 'Final: no day behind this figure is Estimated.',
    );
  }
  return lines.join('\n');
}

/** "≈" before an estimated figure. */
export function markEstimated(text: string, estimated: boolean): string {
  return estimated ? `${ESTIMATED_MARK} ${text}` : text;
}

/** The label of a source in the selector: short enough for the toolbar (its coverage goes in the option's title). */
export function sourceOptionLabel(source: SpendSourceView, all: readonly SpendSourceView[] = []): string {
  if (source.kind === 'focus') return source.label;
  const label = `Cost Explorer: ${source.tagKey ?? 'ml:model'} by ${source.groupBy2 ?? '?'}`;
  // Two syncs with the same tag and grouping (other profiles or endpoints) are told apart by id.
  const twins = all.filter((s) => s.kind === 'aws-ce' && s.tagKey === source.tagKey && s.groupBy2 === source.groupBy2);
  return twins.length > 1 ? `${label} (${source.id})` : label;
}

/** The hover text of a source option: its full name, the days it covers and its last sync. */
export function sourceOptionTitle(source: SpendSourceView): string {
  const span = source.firstDay && source.lastDay ? `${source.firstDay} to ${source.lastDay}` : 'no data';
  return `${source.label}\nCovers ${span}\n${source.kind === 'focus' ? 'Imported' : 'Synced'}: ${utc(source.lastSyncAt)}`;
}

/** The source shown first: FOCUS when it has spend, else the first Cost Explorer source with data, else FOCUS (its empty state teaches the import). */
export function defaultSource(sources: readonly SpendSourceView[] | undefined): string {
  const withData = (sources ?? []).filter((s) => s.firstDay !== null);
  if (withData.some((s) => s.id === 'focus')) return 'focus';
  return withData[0]?.id ?? 'focus';
}
