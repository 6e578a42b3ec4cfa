import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CardRejection as InputRejection } from '../../shared/domain/modelCard';

export interface CollectedFile {
  path: string;
  size: number;
  /** True when the user named this file; false when it was found by walking a folder. */
  explicit: boolean;
}

/** Folders that never hold cards worth importing, skipped while walking. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__']);

export interface CollectOptions {
  /** Which files found while walking a folder are candidates (files the user names always are). */
  accept(fileName: string): boolean;
  /** What a folder without any candidate is missing, e.g. "no model card (README.md, *.json)". */
  nothingFound: string;
}

/**
 * Expands the user's paths into the files to import: files as given, folders walked recursively
 * for the files `accept` picks. A missing path or a folder with nothing to import is a rejection.
 */
export function collectInputFiles(paths: readonly string[], options: CollectOptions): { files: CollectedFile[]; rejections: InputRejection[] } {
  const files: CollectedFile[] = [];
  const rejections: InputRejection[] = [];
  const seen = new Set<string>();
  const add = (path: string, size: number, explicit: boolean) => {
    if (seen.has(path)) return;
    seen.add(path);
    files.push({ path, size, explicit });
  };
  for (const given of paths) {
    const path = resolve(given);
    let stats;
    try {
      stats = statSync(path);
    } catch {
      rejections.push({ file: given, location: 'file', reason: 'no such file or folder' });
      continue;
    }
    if (stats.isFile()) {
      add(path, stats.size, true);
      continue;
    }
    if (!stats.isDirectory()) {
      rejections.push({ file: given, location: 'file', reason: 'not a regular file or folder' });
      continue;
    }
    const before = files.length;
    walk(path, options.accept, (file, size) => add(file, size, false));
    if (files.length === before) rejections.push({ file: given, location: 'folder', reason: `${options.nothingFound} in this folder or below` });
  }
  return { files, rejections };
}

function walk(dir: string, accept: (fileName: string) => boolean, found: (path: string, size: number) => void): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(full, accept, found);
    } else if (entry.isFile() && accept(entry.name)) {
      found(full, statSync(full).size);
    }
  }
}
