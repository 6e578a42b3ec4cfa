import type { Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { defaultKeysDir } from '../reviews/reviewHandlers';
import { decide, openReview } from '../reviews/reviews';
import { generateLocalKey, unlockLocalKey } from '../signing/localKeys';

/**
 * The demo's reviewers and reviews, so the inbox, the review page and the audit pack have something
 * real to show: one release approved, one waiting in review, one sent back for changes.
 * The keys are ordinary workspace keys under a passphrase printed by the demo (demo data only).
 */
export const DEMO_KEY_PASSPHRASE = 'docket-demo-passphrase';

export const DEMO_REVIEWERS = [
  { name: 'Priya Raman', role: 'model-risk' },
  { name: 'Tomás Ortega', role: 'ml-lead' },
] as const;

export interface DemoReviews {
  approved: { model: string; version: string; reviewId: number; digest: string };
  lines: string[];
}

export async function addDemoReviews(store: Store, options: { resourcesDir: string; clock: Clock; actor: string }): Promise<DemoReviews> {
  const keysDir = defaultKeysDir(store);
  const at = options.clock().toISOString();
  const [priya, tomas] = DEMO_REVIEWERS.map((who) => {
    const key = generateLocalKey(store.db, keysDir, who, DEMO_KEY_PASSPHRASE, { actor: options.actor, at });
    return unlockLocalKey(keysDir, key.keyId, DEMO_KEY_PASSPHRASE);
  }) as [ReturnType<typeof unlockLocalKey>, ReturnType<typeof unlockLocalKey>];
  const deps = { store, resourcesDir: options.resourcesDir, actor: options.actor, clock: options.clock };

  // Limited-risk and complete: one approval from model risk releases it.
  const approvedId = openReview(deps, { model: 'claims-triage-nlp', version: '3', assignees: ['Priya Raman'] });
  const approval = await decide(deps, {
    reviewId: approvedId,
    kind: 'approve',
    rationale: 'Card, lineage and cost within the limited-risk policy; triage stays advisory with a handler in the loop.',
    key: priya,
  });
  // High-risk: blocked until a dated fairness evaluation arrives.
  const waitingId = openReview(deps, { model: 'fraud-score-card-txn', version: '3', assignees: ['Priya Raman', 'Tomás Ortega', options.actor] });
  // Its card lacks sections the limited tier requires: the ML lead sends it back.
  const changesId = openReview(deps, { model: 'doc-ocr-extractor', version: '2', assignees: ['Tomás Ortega'] });
  await decide(deps, { reviewId: changesId, kind: 'request-changes', rationale: 'The card needs its out-of-scope uses and limitations before release.', key: tomas });
  return {
    approved: { model: 'claims-triage-nlp', version: '3', reviewId: approvedId, digest: approval.digest },
    lines: [
      `  reviews:         #${approvedId} claims-triage-nlp@3 ${approval.state}; #${waitingId} fraud-score-card-txn@3 in review; #${changesId} doc-ocr-extractor@2 changes requested`,
      `  reviewer keys:   ${DEMO_REVIEWERS.map((r) => `${r.name} (${r.role})`).join(', ')} in ${keysDir}; demo passphrase "${DEMO_KEY_PASSPHRASE}"`,
    ],
  };
}
