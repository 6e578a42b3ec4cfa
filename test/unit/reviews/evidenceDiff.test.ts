import { describe, expect, it } from 'vitest';
import { diffEvidence } from '../../../shared/reviews/evidenceDiff';

describe('diffEvidence', () => {
  it('reports nothing for equal snapshots', () => {
    const snapshot = { card: { sections: ['intended_use'] }, fairness: { evaluations: [{ id: 'e1', verdict: 'pass' }] } };
    expect(diffEvidence(snapshot, structuredClone(snapshot))).toEqual({ changes: [], sectionsChanged: [], truncated: false });
  });

  it('matches list items by identity, so reordering is no change and a new evaluation is one addition', () => {
    const before = { fairness: { evaluations: [{ id: 'e1', verdict: 'fail', dpd: 0.2 }, { id: 'e0', verdict: 'pass', dpd: 0.01 }] } };
    const after = { fairness: { evaluations: [{ id: 'e0', verdict: 'pass', dpd: 0.01 }, { id: 'e1', verdict: 'fail', dpd: 0.2 }, { id: 'e2', verdict: 'pass', dpd: 0.04 }] } };
    const diff = diffEvidence(before, after);
    expect(diff.changes).toEqual([{ section: 'fairness', path: 'fairness.evaluations[e2]', kind: 'added', after: { id: 'e2', verdict: 'pass', dpd: 0.04 } }]);
    expect(diff.sectionsChanged).toEqual(['fairness']);
  });

  it('names changed scalars with before and after, and set-like lists by what came and went', () => {
    const before = { card: { present: ['intended_use', 'limitations'], license: 'mit' }, spend: { costPer1k: 0.12 } };
    const after = { card: { present: ['intended_use', 'ethical_considerations'], license: 'mit' }, spend: { costPer1k: 0.15 } };
    const diff = diffEvidence(before, after);
    expect(diff.changes).toEqual([
      { section: 'card', path: 'card.present', kind: 'added', after: 'ethical_considerations' },
      { section: 'card', path: 'card.present', kind: 'removed', before: 'limitations' },
      { section: 'spend', path: 'spend.costPer1k', kind: 'changed', before: 0.12, after: 0.15 },
    ]);
    expect(diff.sectionsChanged).toEqual(['card', 'spend']);
  });

  it('leaves out ignored sections (e.g. the time a snapshot was taken)', () => {
    expect(diffEvidence({ asOf: '2026-01-01', card: {} }, { asOf: '2026-02-01', card: {} }, ['asOf']).changes).toEqual([]);
  });

  it('cuts a huge diff and says so', () => {
    const before = { lineage: { nodes: Array.from({ length: 800 }, (_, i) => i) } };
    const after = { lineage: { nodes: Array.from({ length: 800 }, (_, i) => i + 1000) } };
    const diff = diffEvidence(before, after);
    expect(diff.truncated).toBe(true);
    expect(diff.changes).toHaveLength(500);
  });
});
