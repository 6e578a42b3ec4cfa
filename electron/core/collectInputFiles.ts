import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { CardRejection } from '../../../shared/domain/modelCard';

export interface CollectedFile {
  path: string;
  size: number;
  /** True when the user named this file; false when it was found by walking a folder. */
  explicit: boolean;
}

/** Folders that never hold cards worth importing, skipped while walking. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__']);

/** Markdown files that are model cards when found in a folder (any .md named by the user counts). */
export function looksLikeMarkdownCard(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return lower === 'readme.md' || lower.endsWith('_readme.md') || lower === 'modelcard.md' || lower === 'model_card.md' || lower.endsWith('.model_card.md');
}

/**
 * Expands the user's paths into the files to import: files as given, folders walked recursively
 * for README-style Markdown and JSON files. A missing path or a folder with no card is a rejection.
 */
export function collectCardFiles(paths: readonly string[]): { files: CollectedFile[]; rejections: CardRejection[] } {
  const files: CollectedFile[] = [];
  const rejections: CardRejection[] = [];
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
    walk(path, (file, size) => add(file, size, false));
    if (files.length === before) {
      rejections.push({ file: given, location: 'folder', reason: 'no model card found (README.md, *_README.md or *.json) in this folder or below' });
    }
  }
  return { files, rejections };
}

function walk(dir: string, found: (path: string, size: number) => void): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(full, found);
    } else if (entry.isFile()) {
      const ext = extname(entry.name).toLowerCase();
      if ((ext === '.md' && looksLikeMarkdownCard(basename(full))) || ext === '.json') found(full, statSync(full).size);
    }
  }
}
