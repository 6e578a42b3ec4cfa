import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The `docket` command is a launcher that runs the CLI bundle with V8's code cache (launcher.ts).
 * These run a copy of the built pair in a directory of their own, so the cache there starts absent.
 */
const BUILT = resolve('out/cli');
const built = existsSync(join(BUILT, 'docket.cjs')) && existsSync(join(BUILT, 'docketCli.cjs'));

describe.skipIf(!built)('the docket launcher', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'docket-launcher-'));
    for (const f of ['docket.cjs', 'docketCli.cjs']) copyFileSync(join(BUILT, f), join(dir, f));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cache = () => join(dir, 'docketCli.cjs.v8cache');
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(dir, 'docket.cjs'), ...args], {
      encoding: 'utf8',
      // The copy is outside the repository: better-sqlite3 is found through NODE_PATH.
      env: { ...process.env, DOCKET_CODE_CACHE_REPORT: '1', NODE_PATH: resolve('node_modules'), DOCKET_RESOURCES_DIR: resolve('resources') },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, cache: /code cache: (\w+)/.exec(r.stderr)?.[1] };
  };

  it('writes the cache on first use and uses it afterwards, with the same output', () => {
    const first = run('--help');
    expect(first).toMatchObject({ status: 0, cache: 'missing' });
    expect(first.stdout).toMatch(/^Usage: docket /);
    expect(existsSync(cache())).toBe(true);
    const second = run('--help');
    expect(second).toMatchObject({ status: 0, cache: 'used', stdout: first.stdout });
  });

  it('runs with a damaged or foreign cache, and replaces it', () => {
    const help = run('--help').stdout;
    for (const bad of [Buffer.from('not a V8 code cache'), readFileSync(cache()).subarray(0, 1000)]) {
      writeFileSync(cache(), bad);
      expect(run('--help')).toMatchObject({ status: 0, cache: 'rejected', stdout: help });
      expect(run('--help').cache).toBe('used');
    }
  });

  it('runs real commands against a workspace, and reports usage errors as before', () => {
    const db = join(dir, 'w.db');
    const verify = run('--db', db, '--json', 'audit', 'verify');
    expect(verify.status, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, checked: 0 });
    const unknown = run('--db', db, 'no-such-command');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'no-such-command'/);
  });
});
