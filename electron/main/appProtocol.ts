import { realpathSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { APP_HOST } from '../../shared/security/appOrigin';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export function mimeTypeFor(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps an app:// URL to a file inside the renderer build, or null when it would leave it
 * (../ tricks, encoded separators, another host, a symlink that points out of the build).
 * Needs no Electron, so it is tested in plain Node.
 */
export function resolveAppAsset(rendererRoot: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const root = resolve(rendererRoot);
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const full = resolve(root, relative);
  if (!isInside(root, full)) return null;
  // A symlink inside the build must not lead out of it: compare where the path really is.
  return isInside(realPath(root), realPath(full)) ? full : null;
}

/** The path with every symlink resolved, as far as it exists (a missing tail is kept as written). */
function realPath(path: string): string {
  let existing = path;
  let rest = '';
  for (;;) {
    try {
      return rest === '' ? realpathSync(existing) : join(realpathSync(existing), rest);
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      rest = rest === '' ? basename(existing) : join(basename(existing), rest);
      existing = parent;
    }
  }
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}
