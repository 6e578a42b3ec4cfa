import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { resolveAppAsset } from '../../../electron/main/appProtocol';

/**
 * Issue 10, item 4: app:// serves only files inside the renderer build. The existing shell test
 * covers dot segments the URL parser folds; this adds encoded, absolute, backslash, NUL and
 * symlinked escapes over a real folder, and a property over random paths.
 */

let base: string;
let root: string;
let outside: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'docket-app-protocol-'));
  root = join(base, 'renderer');
  outside = join(base, 'secret');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'assets', 'main.js'), '');
  writeFileSync(join(outside, 'passwd'), 'root:x:0:0');
  symlinkSync(join(outside, 'passwd'), join(root, 'assets', 'linked-file.js'));
  symlinkSync(outside, join(root, 'linked-dir'));
  symlinkSync('/etc', join(root, 'etc-link'));
  // A symlink that stays inside the build is fine.
  symlinkSync(join(root, 'assets', 'main.js'), join(root, 'assets', 'alias.js'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const inside = (path: string | null) => path !== null && (path === root || path.startsWith(root + sep));

describe('app:// refuses paths outside the renderer build', () => {
  it('serves the build itself', () => {
    expect(resolveAppAsset(root, 'app://docket/index.html')).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://docket/assets/main.js')).toBe(join(root, 'assets', 'main.js'));
    expect(resolveAppAsset(root, 'app://docket/assets/alias.js')).not.toBeNull();
  });

  it.each([
    'app://docket/%2e%2e%2fsecret%2fpasswd',
    'app://docket/%2E%2E%2Fsecret%2Fpasswd',
    'app://docket/assets%2f..%2f..%2fsecret%2fpasswd',
    'app://docket/%252e%252e%252fsecret',
    'app://docket/..%5csecret%5cpasswd',
    'app://docket/assets\\..\\..\\secret\\passwd',
    'app://docket/index.html%00.js',
    'app://docket/%00',
    'app://docket//etc/passwd',
    'app://docket/%2fetc%2fpasswd',
    'app://docket/%2f%2fetc%2fpasswd',
    'app://docket/C:%5cWindows%5cwin.ini',
    'app://evil/index.html',
    'app://docket@evil/index.html',
    'file:///etc/passwd',
    'app://docket/%',
  ])('refuses %s', (url) => {
    const resolved = resolveAppAsset(root, url);
    expect(resolved === null || inside(resolved), String(resolved)).toBe(true);
    expect(resolved ?? '').not.toContain(`${sep}secret`);
    expect(resolved ?? '').not.toMatch(/^\/etc/);
  });

  it.each(['app://docket/assets/linked-file.js', 'app://docket/linked-dir/passwd', 'app://docket/etc-link/passwd'])('refuses %s, a symlink that leads out of the build', (url) => {
    expect(resolveAppAsset(root, url)).toBeNull();
  });

  it('never maps a random path outside the build (property)', () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '%2E%2e', '%2f', '%5c', '\\', '%00', '', 'etc', 'passwd', 'linked-dir', 'etc-link', 'assets', '%252e', '~', 'C:'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const resolved = resolveAppAsset(root, `app://docket/${segments.join('/')}`);
        if (resolved === null) return true;
        if (!inside(resolved)) return false;
        // What would actually be read must live in the build too.
        if (!existsSync(resolved)) return true;
        const real = realpathSync(resolved);
        const realRoot = realpathSync(root);
        return real === realRoot || real.startsWith(realRoot + sep);
      }),
      { numRuns: 500 },
    );
  });
});
