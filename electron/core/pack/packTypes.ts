import type { DecisionKind } from '../../../shared/reviews/reviewState';

/** A decisions row as read for the pack, in the shape verifyStoredDecision takes. */
export interface DecisionRowForVerify {
  digest: string;
  kind: DecisionKind;
  signer: string;
  role: string;
  key_id: string;
  signed_at: string;
  rationale: string;
  evidence_hash: string;
  envelope_json: string;
}
