import type { Clock } from '../store/clock';

/**
 * The audit pack's clock. SOURCE_DATE_EPOCH (reproducible-builds.org: whole seconds since the Unix
 * epoch, UTC) wins when set, so a pack can be rebuilt byte for byte later; otherwise the injected
 * clock, cut to whole seconds (PDF dates and CMS signing times have no sub-second part, so the
 * bundle must not either, or the PDF would state a different time than the evidence).
 */
export function packClock(clock: Clock, env: Readonly<Record<string, string | undefined>> = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch.trim() !== '') {
    if (!/^\d{1,12}$/.test(epoch.trim())) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, got "${epoch}"`);
    return new Date(Number(epoch.trim()) * 1000);
  }
  const now = clock().getTime();
  return new Date(Math.floor(now / 1000) * 1000);
}

/** ISO 8601 UTC without milliseconds: "2026-11-26T09:00:00Z". */
export function packTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
