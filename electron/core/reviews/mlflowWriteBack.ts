import { MlflowClient, type MlflowClientOptions } from '../mlflow/mlflowClient';

/** Tag keys a deployment pipeline can gate on; the vocabulary is MLflow's (every version has tags). */
export const REVIEW_STATE_TAG = 'docket.review.state';
export const REVIEW_DECISION_TAG = 'docket.review.decision';

export interface WriteBackTarget {
  /** The tracking server the version was synced from. */
  url: string;
  token?: string;
  clientOptions?: Omit<MlflowClientOptions, 'url' | 'token'>;
}

export interface WriteBackOutcome {
  ok: boolean;
  url: string;
  /** The tags written (all of them when ok; those written before the failure otherwise). */
  written: { key: string; value: string }[];
  /** Why the write-back failed, in words a reviewer can act on; null when ok. */
  error: string | null;
}

/**
 * Writes a review's outcome onto the MLflow model version as tags, so CI/CD can refuse to deploy a
 * version whose `docket.review.state` is not `approved`. The decision itself lives in Docket's store
 * and audit log; a failure here is reported and never undoes it.
 */
export async function writeBackReviewTags(
  target: WriteBackTarget,
  subject: { model: string; version: string },
  tags: { state: string; decisionDigest: string },
): Promise<WriteBackOutcome> {
  const client = new MlflowClient({ ...target.clientOptions, url: target.url, token: target.token });
  const wanted = [
    { key: REVIEW_STATE_TAG, value: tags.state },
    { key: REVIEW_DECISION_TAG, value: `sha256:${tags.decisionDigest}` },
  ];
  const written: { key: string; value: string }[] = [];
  try {
    for (const tag of wanted) {
      await client.post('model-versions/set-tag', { name: subject.model, version: subject.version, key: tag.key, value: tag.value });
      written.push(tag);
    }
    return { ok: true, url: target.url, written, error: null };
  } catch (error) {
    return { ok: false, url: target.url, written, error: `could not set ${REVIEW_STATE_TAG} on ${subject.model} v${subject.version} in MLflow (${target.url}): ${(error as Error).message}` };
  }
}
