import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FairnessPolicySchema, type FairnessPolicy } from '../../../shared/fairness/policy';

export const DEFAULT_POLICY_FILE = join('policies', 'default-policy.yaml');

/**
 * Reads and validates a policy pack. A broken policy is an error naming the file and the field:
 * judging evidence against a policy Docket misread would be worse than refusing to judge.
 */
export function loadPolicy(path: string): FairnessPolicy {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read policy ${path}: ${(err as Error).message}`);
  }
  const result = FairnessPolicySchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`Invalid policy ${path}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return result.data;
}

export function loadDefaultPolicy(resourcesDir: string): FairnessPolicy {
  return loadPolicy(join(resourcesDir, DEFAULT_POLICY_FILE));
}
