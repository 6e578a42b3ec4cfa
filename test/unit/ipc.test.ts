import { afterEach, describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../shared/ipc/dispatch';
import { contract } from '../../shared/ipc/contract';
import { createDocketApi } from '../../shared/ipc/bridge';
import { DocketError } from '../../shared/ipc/result';
import { isTrustedSenderUrl, APP_ORIGIN } from '../../shared/security/appOrigin';
import { checkExternalUrl } from '../../shared/security/externalUrl';
import { registerIpc, INVOKE_CHANNEL } from '../../electron/main/ipc';
import { createCoreHandlers, CORE_CHANNELS, SHELL_CHANNELS, type ShellHandlers } from '../../electron/core/handlers';
import { tempStore, fixedClock } from '../support/tempStore';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function realHandlers(): Handlers {
  const t = tempStore();
  cleanups.push(t.cleanup);
  const shell: ShellHandlers = {
    'app/info': () => ({ version: 't', platform: 'linux', dbPath: t.dbPath, actor: 'tester' }),
    'dialog/pickCardPaths': () => ({ paths: [] }),
    'dialog/pickFairnessPaths': () => ({ paths: [] }),
    'dialog/pickSpendPaths': () => ({ paths: [] }),
    'shell/openExternal': () => ({ opened: false, reason: 'test' }),
    'dialog/pickPack': () => ({ paths: [] }),
    'shell/showItemInFolder': () => ({ shown: false, reason: 'test' }),
  };
  return { ...createCoreHandlers({ store: t.store, resourcesDir: resolve('resources'), actor: 'tester', clock: fixedClock(), emit: () => undefined }), ...shell } as Handlers;
}

/** A stand-in for Electron's ipcMain that keeps the one registered handler. */
function fakeIpcMain() {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors Electron's own listener type
  type Listener = (event: any, ...args: any[]) => unknown;
  const registered = new Map<string, Listener>();
  return {
    handle: (name: string, fn: Listener) => {
      registered.set(name, fn);
    },
    registered,
  };
}

describe('IPC dispatch', () => {
  it('answers a known channel with its value', async () => {
    const result = await dispatch(realHandlers(), 'models/list', {});
    expect(result).toEqual({ ok: true, value: [] });
  });

  it('rejects an unknown channel with a typed error', async () => {
    const result = await dispatch(realHandlers(), 'fs/readFile', { path: '/etc/passwd' });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    const proto = await dispatch(realHandlers(), '__proto__', {});
    expect(proto).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('rejects input that fails its schema, naming the field', async () => {
    const result = await dispatch(realHandlers(), 'cards/import', { paths: 'not-a-list' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'paths' }] } });
    const extra = await dispatch(realHandlers(), 'models/list', { sql: 'DROP TABLE models' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('passes typed errors from handlers through and wraps unexpected ones', async () => {
    const notFound = await dispatch(realHandlers(), 'models/show', { name: 'nope' });
    expect(notFound).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('nope') } });
    const broken = { ...realHandlers(), 'models/list': () => { throw new Error('disk on fire'); } } as Handlers;
    expect(await dispatch(broken, 'models/list', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'disk on fire' } });
    const typed = { ...realHandlers(), 'models/list': () => { throw new DocketError('REJECTED', 'no'); } } as Handlers;
    expect(await dispatch(typed, 'models/list', {})).toEqual({ ok: false, error: { code: 'REJECTED', message: 'no' } });
  });

  it('has a handler for every channel of the contract', () => {
    expect(Object.keys(realHandlers()).sort()).toEqual(Object.keys(contract).sort());
  });

  it('leaves the pack dialog and "show in folder" to the shell, and validates their input', async () => {
    for (const c of ['dialog/pickPack', 'shell/showItemInFolder'] as const) {
      expect(SHELL_CHANNELS).toContain(c);
      expect(CORE_CHANNELS).not.toContain(c);
    }
    expect(CORE_CHANNELS).toEqual(expect.arrayContaining(['pack/preview', 'pack/export', 'pack/verify']));
    expect(await dispatch(realHandlers(), 'shell/showItemInFolder', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'path' }] } });
    expect(await dispatch(realHandlers(), 'dialog/pickPack', { kind: 'folder', path: '/etc' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(realHandlers(), 'dialog/pickPack', { kind: 'anything' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'kind' }] } });
    expect(await dispatch(realHandlers(), 'dialog/pickPack', { kind: 'file' })).toEqual({ ok: true, value: { paths: [] } });
    expect(await dispatch(realHandlers(), 'pack/export', { model: 'm', version: '1', keyId: 'k', passphrase: 'p', zip: false })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'keyId' }] } });
  });
});

describe('Electron IPC registration', () => {
  it('registers one handler that refuses a foreign sender and serves the app origin', async () => {
    const ipcMain = fakeIpcMain();
    registerIpc(ipcMain, realHandlers(), [APP_ORIGIN]);
    const handler = ipcMain.registered.get(INVOKE_CHANNEL)!;
    expect(ipcMain.registered.size).toBe(1);
    const foreign = await handler({ senderFrame: { url: 'https://evil.example/x' } }, 'models/list', {});
    expect(foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    const prefixTrick = await handler({ senderFrame: { url: 'app://docket.evil.example/index.html' } }, 'models/list', {});
    expect(prefixTrick).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    const noFrame = await handler({ senderFrame: null }, 'models/list', {});
    expect(noFrame).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    const own = await handler({ senderFrame: { url: `${APP_ORIGIN}/index.html#/models` } }, 'models/list', {});
    expect(own).toEqual({ ok: true, value: [] });
    const unknown = await handler({ senderFrame: { url: `${APP_ORIGIN}/index.html` } }, 'shell/exec', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('the preload uses the same channel names as the main process', () => {
    const preload = readFileSync('electron/preload/index.ts', 'utf8');
    expect(preload).toContain(`'${INVOKE_CHANNEL}'`);
  });
});

describe('window.docket bridge', () => {
  it('refuses channels outside the contract before they reach the transport', async () => {
    const calls: string[] = [];
    const api = createDocketApi({
      invoke: (channel) => {
        calls.push(channel);
        return Promise.resolve({ ok: true, value: null });
      },
      subscribe: () => () => undefined,
    });
    const result = await api.invoke('evil/run' as never, {} as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(calls).toEqual([]);
    expect(() => api.on('evil/event' as never, () => undefined)).toThrow();
    expect(Object.isFrozen(api)).toBe(true);
  });
});

describe('origin and link checks', () => {
  it.each([
    ['app://docket/index.html', true],
    ['app://docket/', true],
    ['app://docket.evil/index.html', false],
    ['app://evil/index.html', false],
    ['file:///app/index.html', false],
    ['https://docket/index.html', false],
    ['not a url', false],
  ])('sender %s trusted: %s', (url, trusted) => expect(isTrustedSenderUrl(url)).toBe(trusted));

  it.each([
    ['https://huggingface.co/docs', true],
    ['mailto:ana@halden.example', true],
    ['javascript:alert(1)', false],
    ['JaVaScRiPt:alert(1)', false],
    ['file:///etc/passwd', false],
    ['data:text/html,<script>', false],
    ['https://user:pw@example.com/', false],
    ['ms-settings:', false],
    ['/relative', false],
  ])('external link %s allowed: %s', (url, allowed) => expect(checkExternalUrl(url).allowed).toBe(allowed));
});
