import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The temporary name a file is written under beside its target, until it is complete. */
export function partialPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
}

/**
 * Writes a file so that a crash (or SIGKILL) at any moment leaves under `path` either what was there
 * before or the whole new file, never part of it: the bytes go to a temporary file beside the target,
 * are flushed to disk, and the file is then renamed into place. With `exclusive`, an existing file is
 * never replaced: the complete file is linked into place, which fails with EEXIST if the name is taken.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: { exclusive?: boolean } = {}): void {
  const partial = partialPath(path);
  try {
    writeFileSync(partial, data);
    const fd = openSync(partial, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.exclusive) placeExclusive(partial, path);
    else renameSync(partial, path);
  } finally {
    rmSync(partial, { force: true });
  }
}

function placeExclusive(partial: string, path: string): void {
  try {
    linkSync(partial, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // File systems without hard links (FAT, some network shares): check, then rename.
    if (code === 'EEXIST' || !(code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS')) throw err;
    if (existsSync(path)) throw Object.assign(new Error(`EEXIST: file already exists, link '${partial}' -> '${path}'`), { code: 'EEXIST' });
    renameSync(partial, path);
  }
}
