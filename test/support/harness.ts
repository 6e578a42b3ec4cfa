import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { dispatch, type Handlers } from '../../shared/ipc/dispatch';
import { answerForTransport } from '../../shared/ipc/jsonAnswer';
import type { IpcResult } from '../../shared/ipc/result';
import { isTrustedSenderUrl } from '../../shared/security/appOrigin';
import { checkExternalUrl } from '../../shared/security/externalUrl';
import { createCoreHandlers, type ShellHandlers } from '../../electron/core/handlers';
import { warmEngine } from '../../electron/core/engineWarmup';
import { checkShowItemPath, packExportsDir, reportExportsDir } from '../../electron/core/pack/packPaths';
import { openStore, type Store } from '../../electron/core/store/openStore';
import { systemClock } from '../../electron/core/store/clock';
import { asyncSealer, safeStorageSealer } from '../../electron/core/signing/keys';
import { launchChromium } from './chromium';
import { fakeSafeStorage, type FakeSafeStorage } from './fakeKeychain';
import { serveRenderer } from './rendererServer';

/**
 * The e2e harness: the built renderer in real Chromium, a window.docket built by the preload's own
 * createDocketApi, and every call routed through page.exposeBinding to the real dispatch over a real
 * SQLite file. Only the shell's dialogs and the OS browser are stood in for.
 */
export interface Harness {
  page: Page;
  store: Store;
  origin: string;
  /** What the next file dialog (cards or fairness) returns. */
  pickPaths(paths: string[]): void;
  openedUrls: string[];
  /** Paths 'shell/showItemInFolder' was allowed to show. */
  shownItems: string[];
  /** The OS keychain the engine seals remembered keys with (AES-GCM stand-in for safeStorage); set `available` / `backend` to play others. */
  keychain: FakeSafeStorage;
  close(): Promise<void>;
}

let bridgeScript: string | undefined;
/** Answers at least this long go through the loopback server (harnessBridge.ts fetches them). */
const BIG_ANSWER_CHARS = 256 * 1024;
const HARNESS_ANSWER_KEY = '$harnessAnswer';

async function harnessBridgeScript(): Promise<string> {
  if (!bridgeScript) {
    const out = await build({ entryPoints: [resolve('test/e2e/harnessBridge.ts')], bundle: true, format: 'iife', platform: 'browser', write: false, target: 'chrome120' });
    bridgeScript = out.outputFiles[0]!.text;
  }
  return bridgeScript;
}

export async function startHarness(
  options: {
    browser?: Browser;
    viewport?: { width: number; height: number };
    dbPath?: string;
    colorScheme?: 'light' | 'dark';
    keychain?: { available?: boolean; backend?: string };
    /** Answers at least this long go through the loopback server (default 256 kB; a test of that path sets it low). */
    bigAnswerChars?: number;
    /** Begin what the app's engine begins as a workspace opens (engineWarmup), and wait for it before the first page loads. */
    warm?: boolean;
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'docket-e2e-'));
  const store = openStore(options.dbPath ?? join(dir, 'docket.db'));
  // Big answers are fetched from the loopback server instead of returned through the binding:
  // Playwright moves a binding's string over the DevTools protocol at a few MB/s (2 s for the 7 MB
  // list of 20,000 models), a cost of the harness that Electron's IPC does not have.
  const bigAnswers = new Map<string, string>();
  const server = await serveRenderer(undefined, bigAnswers);
  const browser = options.browser ?? (await launchChromium());
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  let picked: string[] = [];
  const openedUrls: string[] = [];
  const shownItems: string[] = [];
  const pickedPacks = new Set<string>();

  const takePicked = () => {
    const paths = picked;
    picked = [];
    return { paths };
  };
  const emit = (event: string, payload: unknown) => {
    void page.evaluate(([e, p]) => (window as unknown as { __docketEmit(e: string, p: unknown): void }).__docketEmit(e, p), [event, payload] as const).catch(() => undefined);
  };
  const shell: ShellHandlers = {
    'dialog/pickPack': () => {
      const taken = takePicked();
      for (const p of taken.paths) pickedPacks.add(resolve(p));
      return taken;
    },
    'shell/showItemInFolder': ({ path }) => {
      const verdict = checkShowItemPath(path, { roots: [packExportsDir(store.path), reportExportsDir(store.path)], picked: pickedPacks });
      if (!verdict.ok) return { shown: false, reason: verdict.reason };
      shownItems.push(verdict.path);
      return { shown: true, reason: null };
    },
    'app/info': () => ({ version: 'e2e', platform: process.platform, dbPath: store.path, actor: 'e2e-tester' }),
    'dialog/pickCardPaths': () => takePicked(),
    'dialog/pickFairnessPaths': () => takePicked(),
    'dialog/pickSpendPaths': () => takePicked(),
    'shell/openExternal': ({ url }) => {
      const verdict = checkExternalUrl(url);
      if (!verdict.allowed) return { opened: false, reason: verdict.reason };
      openedUrls.push(verdict.url);
      return { opened: true, reason: null };
    },
  };
  // The app's engine reaches safeStorage through the main process; here a fake over AES-GCM stands in.
  const keychain = fakeSafeStorage(options.keychain);
  const handlers = { ...createCoreHandlers({ store, resourcesDir: resolve('resources'), actor: 'e2e-tester', clock: systemClock, emit, keychain: asyncSealer(safeStorageSealer(keychain)) }), ...shell } as Handlers;
  if (options.warm) await Promise.all(Object.values(warmEngine(handlers)));

  // Results travel as one JSON string: Playwright serializes large object graphs value by value,
  // which would make the harness, not Docket, the slowest part of a 5,000-model list.
  await page.exposeBinding('__docketInvoke', async (source, channel: unknown, input: unknown): Promise<string> => {
    // The same sender rule as electron/main/ipc.ts, with the loopback server as the app's origin.
    const result: IpcResult<unknown> = isTrustedSenderUrl(source.frame.url(), [server.origin])
      ? answerForTransport(String(channel), await dispatch(handlers, channel, input))
      : { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'foreign frame' } };
    const text = JSON.stringify(result);
    if (text.length < (options.bigAnswerChars ?? BIG_ANSWER_CHARS)) return text;
    const token = randomUUID();
    bigAnswers.set(token, text);
    return JSON.stringify({ [HARNESS_ANSWER_KEY]: token });
  });
  await page.addInitScript({ content: await harnessBridgeScript() });
  await page.goto(`${server.origin}/index.html`);

  return {
    page,
    store,
    origin: server.origin,
    pickPaths: (paths) => (picked = paths),
    openedUrls,
    shownItems,
    keychain,
    async close() {
      await context.close();
      if (!options.browser) await browser.close();
      await server.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
