import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { runDocket } from '../support/runDocket';

const FIXTURES = resolve('test/fixtures/model-cards');
let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'docket-cli-'));
  db = join(dir, 'w.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const goodCards = () => [join(FIXTURES, 'huggingface'), join(FIXTURES, 'model-card-toolkit'), join(FIXTURES, 'cyclonedx')];

describe('docket import cards', () => {
  it('imports a folder of real cards, then re-imports them as unchanged', async () => {
    const first = await runDocket(['--db', db, '--json', 'import', 'cards', ...goodCards()]);
    expect(first.code).toBe(0);
    const firstResult = first.json() as { imported: number; unchanged: number; rejected: unknown[] };
    expect(firstResult.imported).toBeGreaterThanOrEqual(5);
    expect(firstResult).toEqual({ imported: firstResult.imported, unchanged: 0, rejected: [] });

    const again = await runDocket(['--db', db, '--json', 'import', 'cards', ...goodCards()]);
    expect(again.code).toBe(0);
    expect(again.json()).toEqual({ imported: 0, unchanged: firstResult.imported, rejected: [] });
  });

  it('rejects a whole import when one card is broken, naming file and line, and writes nothing', async () => {
    await runDocket(['--db', db, 'import', 'cards', join(FIXTURES, 'model-card-toolkit')]);
    const before = await runDocket(['--db', db, '--json', 'models', 'list']);
    const broken = join(FIXTURES, 'broken', 'malformed-yaml_README.md');
    const result = await runDocket(['--db', db, '--json', 'import', 'cards', join(FIXTURES, 'huggingface'), broken]);
    expect(result.code).toBe(1);
    const body = result.json() as { imported: number; rejected: { file: string; location: string; reason: string }[] };
    expect(body.imported).toBe(0);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0]).toMatchObject({ file: broken, location: expect.stringMatching(/^line \d+$/) });
    const after = await runDocket(['--db', db, '--json', 'models', 'list']);
    expect(after.json()).toEqual(before.json());
  });

  it('prints a human summary that tells what to do with rejected files', async () => {
    const result = await runDocket(['--db', db, 'import', 'cards', join(FIXTURES, 'broken', 'truncated.model_card.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Nothing from this import was written');
    expect(result.stdout).toMatch(/truncated\.model_card\.json: line \d+: /);
  });

  it('reports an empty folder instead of silently importing nothing', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const result = await runDocket(['--db', db, '--json', 'import', 'cards', empty]);
    expect(result.code).toBe(1);
    expect(result.json()).toMatchObject({ imported: 0, rejected: [{ file: empty, location: 'folder' }] });
  });
});

describe('docket models', () => {
  beforeEach(async () => {
    await runDocket(['--db', db, 'import', 'cards', ...goodCards()]);
  });

  it('lists models as JSON and as a table', async () => {
    const json = await runDocket(['--db', db, '--json', 'models', 'list']);
    const list = json.json() as { name: string; latestVersion: string }[];
    expect(list.length).toBeGreaterThanOrEqual(5);
    const table = await runDocket(['--db', db, 'models', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^MODEL\s+LATEST\s+VERSIONS\s+OWNERS\s+LICENSE\s+CARD\s+FAIRNESS$/);
    for (const m of list) expect(table.stdout).toContain(m.name);
  });

  it('shows the canonical record of one version', async () => {
    const list = (await runDocket(['--db', db, '--json', 'models', 'list'])).json() as { name: string; latestVersion: string }[];
    const first = list[0]!;
    const shown = await runDocket(['--db', db, '--json', 'models', 'show', `${first.name}@${first.latestVersion}`]);
    expect(shown.code).toBe(0);
    expect(shown.json()).toMatchObject({
      name: first.name,
      version: first.latestVersion,
      sections: { present: expect.any(Array), missing: expect.any(Array) },
      metrics: expect.any(Array),
      owners: expect.any(Array),
    });
    expect(Object.keys(shown.json() as object)).toEqual(expect.arrayContaining(['name', 'version', 'license', 'owners', 'sections', 'metrics']));
  });

  it('fails with a clear message for an unknown model or version', async () => {
    const missing = await runDocket(['--db', db, 'models', 'show', 'no-such-model']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No model named "no-such-model"');
  });
});

describe('docket db and audit', () => {
  it('reports path, schema version and counts', async () => {
    await runDocket(['--db', db, 'import', 'cards', join(FIXTURES, 'model-card-toolkit')]);
    const info = (await runDocket(['--db', db, '--json', 'db', 'info'])).json() as { path: string; schemaVersion: number; counts: Record<string, number> };
    expect(info.path).toBe(db);
    expect(info.schemaVersion).toBeGreaterThanOrEqual(2);
    expect(info.counts.models).toBe(1);
  });

  it('takes an online backup that opens and holds the same rows', async () => {
    await runDocket(['--db', db, 'import', 'cards', ...goodCards()]);
    const target = join(dir, 'backup.db');
    const result = await runDocket(['--db', db, 'db', 'backup', '--out', target]);
    expect(result.code).toBe(0);
    const copy = new Database(target, { readonly: true });
    const live = new Database(db, { readonly: true });
    expect(copy.prepare('SELECT count(*) n FROM model_cards').get()).toEqual(live.prepare('SELECT count(*) n FROM model_cards').get());
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    live.close();
  });

  it('verifies the audit chain, and exits 1 when a row was changed behind its back', async () => {
    await runDocket(['--db', db, 'import', 'cards', ...goodCards()]);
    const ok = await runDocket(['--db', db, 'audit', 'verify']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Audit chain intact: \d+ entries/);

    const raw = new Database(db);
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").run();
    raw.close();
    const bad = await runDocket(['--db', db, '--json', 'audit', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.json()).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('refuses to open a file that is not a database, without changing it', async () => {
    writeFileSync(db, 'not sqlite at all, just text '.repeat(100));
    const result = await runDocket(['--db', db, 'models', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not a Docket database|not a database/);
  });
});

describe('docket usage', () => {
  it('exits 2 on usage errors and 0 on --help for every command', async () => {
    expect((await runDocket(['models', 'frobnicate'])).code).toBe(2);
    expect((await runDocket(['--no-such-flag'])).code).toBe(2);
    expect((await runDocket(['import', 'cards'])).code).toBe(2);
    for (const args of [['--help'], ['import', 'cards', '--help'], ['models', 'list', '--help'], ['models', 'show', '--help'], ['db', 'info', '--help'], ['db', 'backup', '--help'], ['audit', 'verify', '--help'], ['demo', '--help']]) {
      const result = await runDocket(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout, args.join(' ')).toMatch(/Usage: docket/);
    }
  });
});

describe('docket --version', () => {
  it('prints the version, and leaves `import cards --version V` to name a card version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = await runDocket([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(`docket ${version}`);
    }
    expect((await runDocket(['--json', '--version'])).json()).toEqual({ version });
    const help = await runDocket(['--help']);
    expect(help.stdout).toMatch(/-V, --version +print Docket's version/);
    // A command's own --version is the command's: the card version, not Docket's.
    const imported = await runDocket(['--db', db, '--json', 'import', 'cards', '--version', '7', ...goodCards()]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).not.toContain(`docket ${version}`);
  });
});

describe('docket demo', () => {
  it('builds the demo workspace from the bundled cards', async () => {
    const out = join(dir, 'demo');
    const result = await runDocket(['--json', 'demo', '--out', out]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const summary = result.json() as { models: number; versions: number; rejected: unknown[] };
    expect(summary.models).toBeGreaterThanOrEqual(10);
    expect(summary.versions).toBeGreaterThan(summary.models);
    expect(summary.rejected).toEqual([]);
    expect(existsSync(join(out, 'docket.db'))).toBe(true);
  });
});
