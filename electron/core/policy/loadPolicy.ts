import { readFileSync, statSync } from 'node:fs';
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

/** The last policy read per file, with the file's mtime: lists ask for it on every call. */
const cache = new Map<string, { mtimeMs: number; policy: FairnessPolicy }>();

/**
 * The default policy, re-read only when its file changes: every models/list judges fairness
 * against it, and reading and validating YAML per call was repeated work.
 */
export function loadDefaultPolicy(resourcesDir: string): FairnessPolicy {
  const path = join(resourcesDir, DEFAULT_POLICY_FILE);
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch (err) {
    throw new Error(`Cannot read policy ${path}: ${(err as Error).message}`);
  }
  const cached = cache.get(path);
  if (cached?.mtimeMs === mtimeMs) return cached.policy;
  const policy = loadPolicy(path);
  cache.set(path, { mtimeMs, policy });
  return policy;
}
