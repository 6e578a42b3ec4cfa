import { describe, expect, it } from 'vitest';
import type { SpendProvenanceView, SpendSourceView } from '../../../shared/ipc/contract';
import { defaultSource, estimatedAmong, figureTitle, markEstimated, sourceOptionLabel } from '../../../renderer/src/spend/provenance';

const ce: SpendProvenanceView = {
  source: 'aws-ce:2',
  kind: 'aws-ce',
  name: 'AWS Cost Explorer ce.us-east-1.amazonaws.com (profile billing), tag ml:model, grouped by SERVICE',
  files: [],
  lastSyncAt: '2026-11-15T06:30:00.000Z',
  syncRunId: 7,
  estimatedDays: ['2026-11-12', '2026-11-13', '2026-11-14'],
  estimatedDayCount: 3,
};
const focus: SpendProvenanceView = { source: 'focus', kind: 'focus', name: 'FOCUS file a.csv (FOCUS 1.2)', files: [], lastSyncAt: '2026-04-02T09:00:00Z', syncRunId: null, estimatedDays: [], estimatedDayCount: 0 };
const source = (over: Partial<SpendSourceView>): SpendSourceView => ({
  id: 'focus', kind: 'focus', label: 'FOCUS files (1)', firstDay: null, lastDay: null, lastSyncAt: null, groupings: ['model'], uri: null, tagKey: null, groupBy2: null, endpoint: null, ...over,
});

describe('spend hover text', () => {
  it('names the source and sync, and lists the Estimated days behind a figure', () => {
    expect(figureTitle(ce, undefined, { what: 'Effective cost in USD' }).split('\n')).toEqual([
      'Effective cost in USD',
      'Source: AWS Cost Explorer ce.us-east-1.amazonaws.com (profile billing), tag ml:model, grouped by SERVICE',
      'Synced: 2026-11-15 06:30:00 UTC (sync run 7)',
      'Estimated: 3 days (2026-11-12, 2026-11-13, 2026-11-14); AWS may still restate them.',
    ]);
    expect(figureTitle(ce, undefined, { estimatedDays: estimatedAmong(ce, ['2026-11-13']) })).toContain('Estimated: 1 day (2026-11-13); AWS may still restate it.');
    expect(figureTitle(ce, undefined, { estimated: false, estimatedDays: [] })).toContain('Final: no day behind this figure is Estimated.');
    expect(estimatedAmong(ce, { from: '2026-11-01', to: '2026-11-12' })).toEqual(['2026-11-12']);
    // FOCUS figures are billed: no Estimated line at all.
    expect(figureTitle(focus, undefined)).toBe('Source: FOCUS file a.csv (FOCUS 1.2)\nImported: 2026-04-02 09:00:00 UTC');
    expect(markEstimated('$1.00', true)).toBe('≈ $1.00');
    expect(markEstimated('$1.00', false)).toBe('$1.00');
  });

  it('opens on FOCUS when it has spend, else on the first Cost Explorer source with data', () => {
    const focusEmpty = source({});
    const focusFull = source({ firstDay: '2026-01-01', lastDay: '2026-03-31' });
    const ce3 = source({ id: 'aws-ce:3', kind: 'aws-ce', label: 'AWS Cost Explorer: ml:model by SERVICE (profile default)', firstDay: '2026-11-01', lastDay: '2026-11-14', tagKey: 'ml:model', groupBy2: 'SERVICE' });
    expect(defaultSource([focusFull, ce3])).toBe('focus');
    expect(defaultSource([focusEmpty, ce3])).toBe('aws-ce:3');
    expect(defaultSource([focusEmpty])).toBe('focus');
    expect(defaultSource(undefined)).toBe('focus');
    expect(sourceOptionLabel(ce3, [focusFull, ce3])).toBe('Cost Explorer: ml:model by SERVICE');
    const twin = { ...ce3, id: 'aws-ce:4' };
    expect(sourceOptionLabel(twin, [ce3, twin])).toBe('Cost Explorer: ml:model by SERVICE (aws-ce:4)');
  });
});
