import { dirname, join } from 'node:path';
import type { Handlers } from '../../../shared/ipc/dispatch';
import { DocketError } from '../../../shared/ipc/result';
import { DECISION_PAYLOAD_TYPE } from '../../../shared/signing/envelope';
import { generateLocalKey, listKeysWithLocal, unlockLocalKey } from '../signing/localKeys';
import { revokeKey, trustKey } from '../signing/keyring';
import { isoNow } from '../store/clock';
import type { Store } from '../store/openStore';
import type { Clock } from '../store/clock';
import { activePolicy, listPolicyPacks } from './activePolicy';
import { reviewEvidence, versionRef } from './reviewEvidence';
import { listReviews, reviewDetail } from './reviewQueries';
import { assignReview, commentOnReview, decide, moveReview, openReview, prepareDecision, refreshOpenReviews } from './reviews';

type ReviewChannel =
  | 'reviews/list'
  | 'reviews/show'
  | 'reviews/open'
  | 'reviews/move'
  | 'reviews/comment'
  | 'reviews/assign'
  | 'reviews/preview'
  | 'reviews/decide'
  | 'keys/list'
  | 'keys/generate'
  | 'keys/trust'
  | 'keys/revoke'
  | 'policy/check'
  | 'policy/list';

/** Where a workspace keeps its reviewers' encrypted key files: beside its database. */
export function defaultKeysDir(store: Store): string {
  return join(dirname(store.path), 'keys');
}

/** The review, key and policy channels: thin adapters over the reviews module. */
export function createReviewHandlers(ctx: { store: Store; resourcesDir: string; actor: string; clock: Clock; keysDir?: string }): Pick<Handlers, ReviewChannel> {
  const { store } = ctx;
  const keysDir = ctx.keysDir ?? defaultKeysDir(store);
  const deps = { store, resourcesDir: ctx.resourcesDir, actor: ctx.actor, clock: ctx.clock };
  const change = () => ({ actor: ctx.actor, at: isoNow(ctx.clock) });
  return {
    'reviews/list': ({ filter }) => {
      refreshOpenReviews(deps);
      return listReviews(store.db, filter, ctx.actor, ctx.clock());
    },
    'reviews/show': ({ id }) => reviewDetail(store, ctx.resourcesDir, id, ctx.clock()),
    'reviews/open': ({ model, version, dueAt, assignees }) => ({ id: openReview(deps, { model, version, dueAt, assignees }) }),
    'reviews/move': ({ id, move }) => ({ state: moveReview(deps, id, move) }),
    'reviews/comment': ({ id, body }) => ({ id: commentOnReview(deps, id, body) }),
    'reviews/assign': ({ id, assignees, dueAt }) => {
      assignReview(deps, id, assignees, dueAt);
      return { ok: true as const };
    },
    'reviews/preview': ({ id, kind, rationale, keyId, waiver }) => {
      try {
        const { statement, evidence } = prepareDecision(deps, { reviewId: id, kind, rationale: rationale.trim() === '' ? '(rationale not written yet)' : rationale, keyId, waiver }, ctx.clock());
        return { statement, payloadType: DECISION_PAYLOAD_TYPE, evidenceHash: evidence.hash, blockers: [] };
      } catch (error) {
        if (!(error instanceof DocketError)) throw error;
        return { statement: null, payloadType: DECISION_PAYLOAD_TYPE, evidenceHash: '', blockers: [error.message] };
      }
    },
    'reviews/decide': async ({ id, kind, rationale, keyId, waiver, passphrase }) => {
      const key = unlockLocalKey(keysDir, keyId, passphrase);
      const outcome = await decide(deps, { reviewId: id, kind, rationale, key, waiver }, { mlflowToken: process.env.MLFLOW_TRACKING_TOKEN });
      return { decisionId: outcome.decisionId, digest: outcome.digest, state: outcome.state, evidenceHash: outcome.evidenceHash, writeBack: outcome.writeBack };
    },
    'keys/list': () => listKeysWithLocal(store.db, keysDir),
    'keys/generate': ({ name, role, passphrase }) => generateLocalKey(store.db, keysDir, { name, role }, passphrase, change()),
    'keys/trust': ({ keyId }) => trustKey(store.db, keyId, change()),
    'keys/revoke': ({ keyId, reason }) => revokeKey(store.db, keyId, reason, change()),
    'policy/check': ({ model, version }) => {
      const ref = versionRef(store.db, model, version);
      const evidence = reviewEvidence(store, activePolicy(store, ctx.resourcesDir).pack, ref, null, ctx.clock());
      return { checklist: evidence.checklist, evidenceHash: evidence.hash };
    },
    'policy/list': () => listPolicyPacks(store, ctx.resourcesDir),
  };
}
