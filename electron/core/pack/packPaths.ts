import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

// Path rules the Electron shell needs too: kept free of engine imports, because whatever the main
// process imports is bundled into it, and the main process must stay a thin shell.

/** Where the app writes audit packs: exports/packs beside the database. */
export function packExportsDir(dbPath: string): string {
  return join(dirname(dbPath), 'exports', 'packs');
}

/** Where the app writes signed budget reports: exports/reports beside the database. */
export function reportExportsDir(dbPath: string): string {
  return join(dirname(dbPath), 'exports', 'reports');
}

/**
 * Whether the shell may show a path in the OS file manager: an absolute path that exists, inside
 * one of the allowed folders (the workspace's exports) or exactly one the user just picked.
 * Symlinks are resolved first, so a link inside exports cannot point the file manager elsewhere.
 */
export function checkShowItemPath(path: string, allowed: { roots: readonly string[]; picked: ReadonlySet<string> }): { ok: true; path: string } | { ok: false; reason: string } {
  if (!isAbsolute(path)) return { ok: false, reason: 'not an absolute path' };
  if (!existsSync(path)) return { ok: false, reason: `${path} does not exist` };
  const real = realpathSync(path);
  if (allowed.picked.has(resolve(path)) || allowed.picked.has(real)) return { ok: true, path: real };
  for (const root of allowed.roots) {
    if (!existsSync(root)) continue;
    const rel = relative(realpathSync(root), real);
    if (rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)) return { ok: true, path: real };
  }
  return { ok: false, reason: 'only audit packs in the workspace exports folder, or files you picked, can be shown' };
}

