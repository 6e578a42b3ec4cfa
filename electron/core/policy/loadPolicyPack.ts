import { statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { controlIds, type ControlCatalog } from '../../../shared/policy/controlCatalog';
import { policyPackSchemaFor, type PolicyPack } from '../../../shared/policy/policyPack';
import { CONTROL_CATALOG_FILE, loadDefaultControlCatalog } from './loadControlCatalog';
import { mtimeCache, parsePolicyText, PolicyFileError, readPolicyFile } from './policyFile';

export const DEFAULT_PACK_FILE = join('policies', 'default-pack.yaml');

const PACK_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Parses a policy pack's text and validates it, control ids included, against the catalog.
 * Throws PolicyFileError naming the file, the line and the field.
 */
export function parsePolicyPack(text: string, file: string, catalog: ControlCatalog): PolicyPack {
  return parsePolicyText(text, file, policyPackSchemaFor(controlIds(catalog)));
}

/**
 * Imports a user's pack file (YAML or JSON). Nothing is stored here: the caller decides where an
 * accepted pack goes; a rejected one is an error the user can act on.
 */
export function importPolicyPack(path: string, catalog: ControlCatalog): PolicyPack {
  const ext = extname(path).toLowerCase();
  if (!PACK_EXTENSIONS.includes(ext)) {
    throw new PolicyFileError(path, null, null, `unsupported file type "${ext || path}": policy packs are .yaml, .yml or .json`);
  }
  return parsePolicyPack(readPolicyFile(path), path, catalog);
}

const cached = mtimeCache<PolicyPack>();

/** The pack shipped with Docket, checked against the shipped catalog; re-read when either file changes. */
export function loadDefaultPolicyPack(resourcesDir: string): PolicyPack {
  const path = join(resourcesDir, DEFAULT_PACK_FILE);
  const catalog = loadDefaultControlCatalog(resourcesDir);
  // The catalog's identity is part of the key: a pack valid under one catalog may not be under another.
  const catalogKey = `${catalog.name}@${catalog.version}#${catalog.controls.length}`;
  let catalogMtime = 0;
  try {
    catalogMtime = statSync(join(resourcesDir, CONTROL_CATALOG_FILE)).mtimeMs;
  } catch {
    // loadDefaultControlCatalog has already reported a missing catalog.
  }
  return cached(path, () => importPolicyPack(path, catalog), `${catalogKey}|${catalogMtime}`);
}
