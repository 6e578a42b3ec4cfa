import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDemoWorkspace } from '../../../electron/core/demo/buildDemo';
import { DEMO_KEY_PASSPHRASE } from '../../../electron/core/demo/demoReviews';
import { createCoreHandlers } from '../../../electron/core/handlers';
import { checkShowItemPath, countPdfPages, packExportsDir } from '../../../electron/core/pack/packHandlers';
import { openStore, type Store } from '../../../electron/core/store/openStore';
import { dispatch, type Handlers } from '../../../shared/ipc/dispatch';
import type { EventName } from '../../../shared/ipc/contract';
import { fixedClock } from '../../support/tempStore';

/** The pack channels through the real dispatcher, over the demo workspace (claims-triage-nlp@3 is approved there). */
let dir: string;
let store: Store;
let handlers: Handlers;
const events: { event: EventName; payload: unknown }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-pack-handlers-'));
  const demo = await buildDemoWorkspace({ outDir: dir, resourcesDir: resolve('resources'), clock: fixedClock(), actor: 'demo' });
  expect(demo.ok, demo.text).toBe(true);
  store = openStore(demo.machine.dbPath);
  handlers = createCoreHandlers({ store, resourcesDir: resolve('resources'), actor: 'tester', clock: fixedClock(), emit: (event, payload) => events.push({ event, payload }) }) as Handlers;
}, 60_000);
afterAll(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function call<T = unknown>(channel: string, input: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  return (await dispatch(handlers, channel, input)) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
}

async function signerKeyId(): Promise<string> {
  const keys = await call<{ keyId: string; name: string; hasPrivateKey: boolean; trusted: boolean }[]>('keys/list', {});
  if (!keys.ok) throw new Error(keys.error.message);
  const key = keys.value.find((k) => k.hasPrivateKey && k.trusted);
  if (!key) throw new Error('the demo has no usable key');
  return key.keyId;
}

describe('pack channels', () => {
  it('previews the cover and summary facts without writing anything', async () => {
    const preview = await call<{ model: string; decision: { kind: string | null; text: string }; signers: unknown[]; policy: { result: string }; evidenceSha256: string; pageCount: number; sections: string[] }>('pack/preview', { model: 'claims-triage-nlp', version: '3' });
    expect(preview.ok, JSON.stringify(preview)).toBe(true);
    if (!preview.ok) return;
    expect(preview.value.model).toBe('claims-triage-nlp');
    expect(preview.value.decision).toMatchObject({ kind: 'approve', text: 'APPROVED' });
    expect(preview.value.signers.length).toBeGreaterThan(0);
    expect(preview.value.evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(preview.value.pageCount).toBeGreaterThanOrEqual(3);
    expect(preview.value.sections.slice(0, 2)).toEqual(['Cover', 'Executive summary']);
    expect(existsSync(packExportsDir(store.path))).toBe(false);
  }, 60_000);

  it('refuses a wrong passphrase and writes nothing', async () => {
    const keyId = await signerKeyId();
    const result = await call('pack/export', { model: 'claims-triage-nlp', version: '3', keyId, passphrase: 'not the passphrase', zip: false });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/passphrase/i);
    expect(existsSync(join(packExportsDir(store.path), 'claims-triage-nlp-3-audit-pack'))).toBe(false);
  });

  it('exports under exports/packs with progress, verifies it, and catches a changed byte', async () => {
    const keyId = await signerKeyId();
    events.length = 0;
    const exported = await call<{ folder: string; zip: string | null; evidenceSha256: string; files: { name: string }[] }>('pack/export', { model: 'claims-triage-nlp', version: '3', keyId, passphrase: DEMO_KEY_PASSPHRASE, zip: true });
    expect(exported.ok, JSON.stringify(exported)).toBe(true);
    if (!exported.ok) return;
    expect(exported.value.folder).toBe(join(packExportsDir(store.path), 'claims-triage-nlp-3-audit-pack'));
    expect(exported.value.zip).toBe(join(packExportsDir(store.path), 'claims-triage-nlp-3-audit-pack.zip'));
    expect(exported.value.files.map((f) => f.name)).toEqual(expect.arrayContaining(['audit-pack.pdf', 'evidence.json', 'ml-bom.cdx.json', 'decisions.json']));
    const progress = events.filter((e) => e.event === 'pack/exportProgress').map((e) => e.payload as { step: string; done: number; total: number });
    expect(progress[0]).toMatchObject({ step: 'evidence', done: 0 });
    expect(progress.at(-1)).toMatchObject({ step: 'done' });
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);

    for (const path of [exported.value.folder, exported.value.zip!, join(exported.value.folder, 'audit-pack.pdf')]) {
      const verified = await call<{ ok: boolean; checks: { name: string; ok: boolean }[]; subject: unknown; trust: string | null }>('pack/verify', { path });
      expect(verified.ok).toBe(true);
      if (!verified.ok) return;
      expect(verified.value.checks.filter((c) => !c.ok), path).toEqual([]);
      expect(verified.value.ok).toBe(true);
    }

    const bom = join(exported.value.folder, 'ml-bom.cdx.json');
    const bytes = readFileSync(bom);
    bytes[10] = bytes[10]! ^ 0x01;
    writeFileSync(bom, bytes);
    const tampered = await call<{ ok: boolean; checks: { name: string; ok: boolean; detail: string }[] }>('pack/verify', { path: exported.value.folder });
    expect(tampered.ok).toBe(true);
    if (!tampered.ok) return;
    expect(tampered.value.ok).toBe(false);
    expect(tampered.value.checks.find((c) => c.name === 'file ml-bom.cdx.json')).toMatchObject({ ok: false });
  }, 90_000);

  it('never overwrites an existing pack', async () => {
    const keyId = await signerKeyId();
    const again = await call('pack/export', { model: 'claims-triage-nlp', version: '3', keyId, passphrase: DEMO_KEY_PASSPHRASE, zip: false });
    expect(again).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    if (again.ok) return;
    expect(again.error.message).toContain('already exists');
    expect(again.error.message).toContain(join(packExportsDir(store.path), 'claims-triage-nlp-3-audit-pack'));
  });

  it('refuses a relative or missing path to verify', async () => {
    expect(await call('pack/verify', { path: 'some-pack' })).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    expect(await call('pack/verify', { path: join(dir, 'nowhere') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('checkShowItemPath', () => {
  it('allows files inside the exports folder or just picked, nothing else', () => {
    const root = mkdtempSync(join(tmpdir(), 'docket-show-'));
    try {
      const exportsDir = join(root, 'exports', 'packs');
      mkdirSync(join(exportsDir, 'p'), { recursive: true });
      writeFileSync(join(exportsDir, 'p', 'a.pdf'), 'x');
      writeFileSync(join(root, 'outside.zip'), 'x');
      symlinkSync(join(root, 'outside.zip'), join(exportsDir, 'link.zip'));
      const allowed = { roots: [exportsDir], picked: new Set<string>() };
      expect(checkShowItemPath(join(exportsDir, 'p', 'a.pdf'), allowed)).toMatchObject({ ok: true });
      expect(checkShowItemPath(join(exportsDir, 'p'), allowed)).toMatchObject({ ok: true });
      expect(checkShowItemPath('exports/packs/p', allowed)).toMatchObject({ ok: false, reason: 'not an absolute path' });
      expect(checkShowItemPath(join(exportsDir, 'missing.pdf'), allowed)).toMatchObject({ ok: false });
      expect(checkShowItemPath(join(root, 'outside.zip'), allowed)).toMatchObject({ ok: false });
      expect(checkShowItemPath(join(exportsDir, '..', '..', 'outside.zip'), allowed)).toMatchObject({ ok: false });
      expect(checkShowItemPath(join(exportsDir, 'link.zip'), allowed)).toMatchObject({ ok: false });
      expect(checkShowItemPath(exportsDir, allowed)).toMatchObject({ ok: false });
      expect(checkShowItemPath(join(root, 'outside.zip'), { ...allowed, picked: new Set([join(root, 'outside.zip')]) })).toMatchObject({ ok: true });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('counts PDF pages, not the page tree', () => {
    expect(countPdfPages(Buffer.from('<< /Type /Pages /Count 2 >> << /Type /Page >> << /Type /Page\n/Parent 1 0 R >>'))).toBe(2);
  });
});
