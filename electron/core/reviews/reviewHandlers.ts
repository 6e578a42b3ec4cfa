import { dirname, join } from 'node:path';
import type { Handlers } from '../../../shared/ipc/dispatch';
import { DocketError } from '../../../shared/ipc/result';
import { DECISION_PAYLOAD_TYPE } from '../../../shared/signing/envelope';
import { generateLocalKeyPair, listKeysWithLocal, unlockLocalKeyFile } from '../signing/localKeys';
import { forgetKey, keychainView, rememberKey, requireUsableKeychain, unlockSigningKey } from '../signing/keychainKeys';
import type { AsyncKeySealer } from '../signing/keys';
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
  | 'keys/keychain'
  | 'keys/remember'
  | 'keys/forget'
  | 'policy/check'
  | 'policy/list';

/** Where a workspace keeps its reviewers' encrypted key files: beside its database. */
export function defaultKeysDir(store: Store): string {
  return join(dirname(store.path), 'keys');
}

/** The review, key and policy channels: thin adapters over the reviews module. */
export function createReviewHandlers(ctx: { store: Store; resourcesDir: string; actor: string; clock: Clock; keysDir?: string; keychain?: AsyncKeySealer }): Pick<Handlers, ReviewChannel> {
  const { store } = ctx;
  const keysDir = ctx.keysDir ?? defaultKeysDir(store);
  const unlockContext = { keysDir, keychain: ctx.keychain, now: () => isoNow(ctx.clock) };
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
    'reviews/decide': async ({ id, kind, rationale, keyId, waiver, passphrase, remember }) => {
      const key = await unlockSigningKey(unlockContext, { keyId, passphrase, remember });
      const outcome = await decide(deps, { reviewId: id, kind, rationale, key, waiver }, { mlflowToken: process.env.MLFLOW_TRACKING_TOKEN });
      return { decisionId: outcome.decisionId, digest: outcome.digest, state: outcome.state, evidenceHash: outcome.evidenceHash, writeBack: outcome.writeBack };
    },
    'keys/list': () => listKeysWithLocal(store.db, keysDir),
    'keys/generate': async ({ name, role, passphrase, remember }) => {
      // Asked first: a keychain that cannot hold the key refuses before a key is made.
      if (remember) await requireUsableKeychain(ctx.keychain);
      const { key, keyPair } = generateLocalKeyPair(store.db, keysDir, { name, role }, passphrase, change());
      if (remember) {
        try {
          await rememberKey(keysDir, keyPair, { name: key.name, role: key.role }, ctx.keychain, key.addedAt);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          throw new DocketError('REJECTED', `the key ${key.keyId.slice(0, 12)} was created and signs with its passphrase, but the OS keychain could not remember it: ${why}`);
        }
      }
      return key;
    },
    'keys/keychain': () => keychainView(ctx.keychain),
    'keys/remember': async ({ keyId, passphrase }) => {
      await requireUsableKeychain(ctx.keychain);
      const { keyFile, keyPair } = unlockLocalKeyFile(keysDir, keyId, passphrase);
      await rememberKey(keysDir, keyPair, { name: keyFile.name, role: keyFile.role }, ctx.keychain, isoNow(ctx.clock));
      return { keyId, inKeychain: true as const };
    },
    'keys/forget': ({ keyId }) => ({ keyId, forgotten: forgetKey(keysDir, keyId) }),
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
