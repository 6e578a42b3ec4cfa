import { join } from 'node:path';
import { ControlCatalogSchema, type ControlCatalog } from '../../../shared/policy/controlCatalog';
import { mtimeCache, parsePolicyText, readPolicyFile } from './policyFile';

export const CONTROL_CATALOG_FILE = join('controls', 'catalog.yaml');

/** Reads and validates a control catalog; problems name the file, line and field. */
export function loadControlCatalog(path: string): ControlCatalog {
  return parsePolicyText(readPolicyFile(path), path, ControlCatalogSchema);
}

const cached = mtimeCache<ControlCatalog>();

/** The catalog shipped with Docket, re-read only when its file changes. */
export function loadDefaultControlCatalog(resourcesDir: string): ControlCatalog {
  const path = join(resourcesDir, CONTROL_CATALOG_FILE);
  return cached(path, () => loadControlCatalog(path));
}
