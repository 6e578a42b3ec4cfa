import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { zipSync, type Zippable } from 'fflate';
import { build } from 'esbuild';
import { buildDemoWorkspace } from '../../../electron/core/demo/buildDemo';
import { exportDemoPack } from '../../../electron/core/demo/demoPack';
import { zipPack } from '../../../electron/core/pack/exportAuditPack';
import { verifyAuditPack } from '../../../electron/core/pack/verifyAuditPack';
import { fixedClock } from '../../support/tempStore';
import { runDocket } from '../../support/runDocket';

/**
 * Issue 10, item 4: pack import (`docket verify <zip>`) rejects path traversal. A zip whose entries
 * climb out ("../x", "/x", "pack/../../x", backslashes, symlinks, thousands of entries) is refused
 * with a "pack layout" message, and verifying writes nothing anywhere.
 */

let base: string;
let packFiles: Map<string, Uint8Array>;
let goodZip: Buffer;
const PACK_DATE = new Date('2026-11-26T09:00:00Z');

/** Every path under dir with its size and mtime: what "nothing was written" is checked against. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: false })
    .map(String)
    .sort()
    .map((p) => {
      const s = statSync(join(dir, p));
      return `${p} ${s.size} ${s.mtimeMs}`;
    });
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'docket-zip-slip-'));
  const demo = await buildDemoWorkspace({ outDir: join(base, 'workspace'), resourcesDir: resolve('resources'), clock: fixedClock(), actor: 'demo' });
  const pack = await exportDemoPack({ dbPath: demo.machine.dbPath, resourcesDir: resolve('resources'), clock: fixedClock(), subject: demo.reviews.approved, signer: 'Priya Raman' });
  expect(pack.ok).toBe(true);
  packFiles = new Map(readdirSync(pack.folder).map((f) => [f, new Uint8Array(readFileSync(join(pack.folder, f)))]));
  goodZip = readFileSync(pack.zip!);
}, 60_000);
afterAll(() => rmSync(base, { recursive: true, force: true }));

function rezip(rename: (file: string) => string, extra: Zippable = {}): Buffer {
  const entries: Zippable = {};
  for (const [file, bytes] of packFiles) entries[rename(file)] = bytes;
  return Buffer.from(zipSync({ ...entries, ...extra }));
}

const SYMLINK = { os: 3, attrs: 0o120777 * 0x10000 };

const HOSTILE: [string, () => Buffer][] = [
  ['every entry under "../"', () => zipPack('..', packFiles, PACK_DATE)],
  ['every entry absolute ("/pack/...")', () => rezip((f) => `/pack/${f}`)],
  ['every entry directly absolute ("/manifest.json")', () => rezip((f) => `/${f}`)],
  ['every entry under "."', () => zipPack('.', packFiles, PACK_DATE)],
  ['a pack plus "../evil.txt"', () => rezip((f) => `pack/${f}`, { '../evil.txt': new TextEncoder().encode('pwned') })],
  ['a pack plus "pack/../../x"', () => rezip((f) => `pack/${f}`, { 'pack/../../x': new TextEncoder().encode('pwned') })],
  ['a pack plus "/abs.txt"', () => rezip((f) => `pack/${f}`, { '/abs.txt': new TextEncoder().encode('pwned') })],
  ['backslash entries ("pack\\..\\..\\x")', () => rezip((f) => `pack\\..\\..\\${f}`)],
  ['a drive-letter entry', () => rezip((f) => `C:/pack/${f}`)],
  ['20,000 entries', () => Buffer.from(zipSync(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`pack/f${i}.txt`, new Uint8Array(0)])), { level: 0 }))],
];

describe('verifying a hostile pack zip', () => {
  it('accepts the real pack zip (the control)', () => {
    expect(verifyAuditPack(resolveZip('good.zip', goodZip)).ok).toBe(true);
  });

  it.each(HOSTILE)('refuses %s with a layout message and writes nothing', (_name, build) => {
    const zip = resolveZip(`hostile-${Math.random().toString(36).slice(2)}.zip`, build());
    const before = snapshot(base);
    const parentBefore = readdirSync(join(base, '..')).filter((n) => n === 'evil.txt' || n === 'x' || n === 'abs.txt');
    const result = verifyAuditPack(zip);
    expect(result.ok).toBe(false);
    expect(result.kind).toBe('zip');
    const layout = result.checks.find((c) => c.name === 'pack layout');
    expect(layout, JSON.stringify(result.checks)).toBeDefined();
    expect(layout!.ok).toBe(false);
    expect(layout!.detail.length).toBeGreaterThan(10);
    expect(JSON.stringify(result)).not.toContain('root:x:0:0');
    expect(snapshot(base)).toEqual(before);
    expect(readdirSync(join(base, '..')).filter((n) => n === 'evil.txt' || n === 'x' || n === 'abs.txt')).toEqual(parentBefore);
  });

  // fflate reads a symlink entry (Unix mode 0120777) as a small file holding the target path; the
  // verifier never extracts or follows it, so the pack fails on that file's hash, and nothing is written.
  it.each([
    ['a symlink entry in place of the manifest', () => rezip((f) => `pack/${f}`, { 'pack/manifest.json': [new TextEncoder().encode('/etc/passwd'), SYMLINK] })],
    ['a symlink entry in place of the PDF', () => rezip((f) => `pack/${f}`, { 'pack/audit-pack.pdf': [new TextEncoder().encode('/etc/passwd'), SYMLINK] })],
  ] as [string, () => Buffer][])('refuses %s without following it', (_name, build) => {
    const zip = resolveZip(`link-${Math.random().toString(36).slice(2)}.zip`, build());
    const before = snapshot(base);
    const result = verifyAuditPack(zip);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('root:x:0:0');
    expect(snapshot(base)).toEqual(before);
  });

  it('names the climbing entry in the message', () => {
    const result = verifyAuditPack(resolveZip('dotdot.zip', zipPack('..', packFiles, PACK_DATE)));
    expect(result.checks[0]!.detail).toMatch(/\.\.\//);
    const abs = verifyAuditPack(resolveZip('abs.zip', rezip((f) => `pack/${f}`, { '/abs.txt': new Uint8Array(1) })));
    expect(abs.checks[0]!.detail).toContain('/abs.txt');
  });

  it('`docket verify` exits 1 on a climbing zip and says why', async () => {
    const zip = resolveZip('cli.zip', zipPack('..', packFiles, PACK_DATE));
    const before = snapshot(base);
    const run = await runDocket(['verify', zip, '--json']);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/pack layout/);
    expect(snapshot(base)).toEqual(before);
  });
});

function resolveZip(name: string, bytes: Buffer): string {
  const path = join(base, name);
  writeFileSync(path, bytes);
  return path;
}

describe('verifying something that is not a file', () => {
  // Run in a child process with a deadline: a regression reads /dev/zero forever, synchronously,
  // which would otherwise hang the whole test run rather than fail this test.
  it('refuses a device and a named pipe at once, without reading them (CLI and IPC path alike)', async () => {
    const fifo = join(base, 'pack.fifo');
    const made = spawnSync('mkfifo', [fifo]);
    const script = join(base, 'verify-special.cjs');
    await build({
      stdin: {
        contents: `import { verifyPath } from './electron/core/pack/verifyPath';
          const out = {};
          for (const p of process.argv.slice(2)) out[p] = verifyPath(p);
          process.stdout.write(JSON.stringify(out));`,
        resolveDir: resolve('.'),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      outfile: script,
      logLevel: 'silent',
    });
    const targets = ['/dev/zero', '/dev/urandom', ...(made.status === 0 ? [fifo] : [])];
    const child = spawnSync(process.execPath, [script, ...targets], { timeout: 15_000, encoding: 'utf8', env: { ...process.env, NODE_PATH: resolve('node_modules') }, maxBuffer: 1 << 20 });
    expect(child.signal, 'verify hung reading a device or pipe').toBeNull();
    expect(child.status, child.stderr).toBe(0);
    const results = JSON.parse(child.stdout) as Record<string, { ok: boolean; checks: { name: string; detail: string }[] }>;
    for (const target of targets) {
      expect(results[target]!.ok).toBe(false);
      expect(results[target]!.checks[0]).toMatchObject({ name: 'pack layout', detail: expect.stringMatching(/not a regular file/) });
    }
  });
});

