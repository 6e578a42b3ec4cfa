import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { dispatch, type Handlers } from '../../../shared/ipc/dispatch';
import type { IpcResult } from '../../../shared/ipc/result';
import { createCoreHandlers } from '../../../electron/core/handlers';
import { importUserPolicyPack } from '../../../electron/core/reviews/activePolicy';
import { defaultKeysDir } from '../../../electron/core/reviews/reviewHandlers';
import { unlockLocalKey } from '../../../electron/core/signing/localKeys';
import { asyncSealer, safeStorageSealer, type AsyncKeySealer } from '../../../electron/core/signing/keys';
import { parseSealedKey } from '../../../electron/core/signing/keyFile';
import { fakeSafeStorage, type FakeSafeStorage } from '../../support/fakeKeychain';
import { filesUnder, leaksIn, secretNeedles } from '../../support/secretLeaks';
import { fixedClock, tempStore } from '../../support/tempStore';
import { FRAUD_CARD_PATH, FRAUD_MODEL, TWO_APPROVER_PACK } from '../../support/reviewFixtures';

/**
 * Issue 6 / issue 10 item 5 through the engine's own channels: a reviewer remembers a key in the
 * OS keychain after a passphrase unlock and then signs without it; nothing secret lands in the
 * workspace; a keychain that cannot protect a secret ('basic_text', unknown, unavailable) is
 * refused with its reason and nothing is written; forgetting brings the passphrase back; a sealed
 * key from another machine fails with a clear error. safeStorage is played by an AES-GCM fake.
 */

const PASSPHRASE = `keychain test ${randomBytes(6).toString('hex')}`;

let t: ReturnType<typeof tempStore>;
let keysDir: string;
let storage: FakeSafeStorage;

/** The engine's handlers with a keychain (by default the fake), or none at all (null), as in the CLI. */
function engine(keychain: AsyncKeySealer | null = asyncSealer(safeStorageSealer(storage))): Handlers {
  return createCoreHandlers({ store: t.store, resourcesDir: resolve('resources'), actor: 'rita', clock: fixedClock(), emit: () => undefined, keychain: keychain ?? undefined }) as Handlers;
}

async function call<T = unknown>(h: Handlers, channel: string, input: unknown): Promise<IpcResult<T>> {
  return (await dispatch(h, channel, input)) as IpcResult<T>;
}

async function ok<T = unknown>(h: Handlers, channel: string, input: unknown): Promise<T> {
  const result = await call<T>(h, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** A key made in the app (passphrase only) and an open review it may decide on. */
async function keyAndReview(h: Handlers): Promise<{ keyId: string; reviewId: number }> {
  const key = await ok<{ keyId: string }>(h, 'keys/generate', { name: 'Rita Okafor', role: 'model-risk', passphrase: PASSPHRASE });
  const { id } = await ok<{ id: number }>(h, 'reviews/open', { model: FRAUD_MODEL, version: '3' });
  return { keyId: key.keyId, reviewId: id };
}

const decisionCount = () => (t.store.db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n;
const sealedFiles = () => (existsSync(keysDir) ? readdirSync(keysDir).filter((f) => f.endsWith('.sealed-key.json')) : []);

beforeEach(async () => {
  t = tempStore();
  keysDir = defaultKeysDir(t.store);
  storage = fakeSafeStorage();
  mkdirSync(join(t.dir, FRAUD_MODEL));
  copyFileSync(FRAUD_CARD_PATH, join(t.dir, FRAUD_MODEL, 'README.md'));
  const pack = join(t.dir, 'pack.yaml');
  writeFileSync(pack, TWO_APPROVER_PACK);
  importUserPolicyPack(t.store, pack, { resourcesDir: resolve('resources'), actor: 'admin', at: '2026-11-01T00:00:00.000Z' });
  await ok(engine(), 'cards/import', { paths: [join(t.dir, FRAUD_MODEL)], version: '3' });
});
afterEach(() => t.cleanup());

describe('remembering a reviewer key in the OS keychain', () => {
  it('signs without the passphrase once remembered, and writes no private key or passphrase anywhere', async () => {
    const h = engine();
    expect(await ok(h, 'keys/keychain', {})).toEqual({ usable: true, backend: 'gnome_libsecret', reason: null });
    const { keyId, reviewId } = await keyAndReview(h);
    // Not remembered yet: without a passphrase the engine says to type it.
    const early = await call(h, 'reviews/decide', { id: reviewId, kind: 'request-changes', rationale: 'Tighten the card.', keyId });
    expect(early).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/not remembered in this machine's OS keychain: type its passphrase/) } });

    // Passphrase + remember: signs, then the keychain holds the key.
    const first = await ok<{ state: string }>(h, 'reviews/decide', { id: reviewId, kind: 'request-changes', rationale: 'Tighten the card.', keyId, passphrase: PASSPHRASE, remember: true });
    expect(first.state).toBe('changes_requested');
    expect(storage.sealed).toBe(1);
    expect(sealedFiles()).toEqual([`${keyId}.sealed-key.json`]);
    const sealedPath = join(keysDir, `${keyId}.sealed-key.json`);
    expect(statSync(sealedPath).mode & 0o077).toBe(0);
    expect(parseSealedKey(readFileSync(sealedPath, 'utf8'))).toMatchObject({ format: 'docket-sealed-key/1', keyId, name: 'Rita Okafor', role: 'model-risk' });
    expect((await ok<{ keyId: string; inKeychain: boolean }[]>(h, 'keys/list', {})).find((k) => k.keyId === keyId)).toMatchObject({ hasPrivateKey: true, inKeychain: true });

    // Later decisions need no passphrase: the keychain opens the key.
    await ok(h, 'reviews/move', { id: reviewId, move: 'resubmit' });
    const second = await ok<{ state: string }>(h, 'reviews/decide', { id: reviewId, kind: 'approve', rationale: 'Card is complete now.', keyId });
    expect(second.state).toBe('in_review');
    expect(storage.opened).toBe(1);
    expect(decisionCount()).toBe(2);

    // Nothing secret on disk: not the passphrase, not the private key in any encoding, in the
    // database, its WAL, the sealed file or any other workspace file (the passphrase-encrypted key file included).
    const privateKey = unlockLocalKey(keysDir, keyId, PASSPHRASE).privateKey;
    const needles = secretNeedles([{ label: 'passphrase', value: PASSPHRASE }], [privateKey]);
    const files = filesUnder(t.dir);
    expect(files).toContain(sealedPath);
    expect(files).toContain(t.dbPath);
    expect(files.flatMap((f) => leaksIn(f, readFileSync(f), needles))).toEqual([]);
    // The check would see a leak (control): the sealed bytes opened are the key.
    const opened = storage.decryptString(Buffer.from(parseSealedKey(readFileSync(sealedPath, 'utf8')).sealedPrivateKey, 'base64'));
    expect(leaksIn('control', Buffer.from(opened), needles)).toContain('private key 0 base64 DER in control');
  });

  it('remembers a key when it is created, and through keys/remember for an existing key', async () => {
    const h = engine();
    const made = await ok<{ keyId: string }>(h, 'keys/generate', { name: 'Ada', role: 'ml-lead', passphrase: PASSPHRASE, remember: true });
    expect(sealedFiles()).toEqual([`${made.keyId}.sealed-key.json`]);
    const other = await ok<{ keyId: string }>(h, 'keys/generate', { name: 'Grace', role: 'model-risk', passphrase: PASSPHRASE });
    expect(await call(h, 'keys/remember', { keyId: other.keyId, passphrase: 'not the passphrase' })).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringMatching(/wrong passphrase/) } });
    expect(sealedFiles()).toHaveLength(1);
    expect(await ok(h, 'keys/remember', { keyId: other.keyId, passphrase: PASSPHRASE })).toEqual({ keyId: other.keyId, inKeychain: true });
    expect(sealedFiles().sort()).toEqual([`${made.keyId}.sealed-key.json`, `${other.keyId}.sealed-key.json`].sort());
    // remember without a passphrase is refused by the contract's caller check.
    const { id } = await ok<{ id: number }>(h, 'reviews/open', { model: FRAUD_MODEL, version: '3' });
    expect(await call(h, 'reviews/decide', { id, kind: 'request-changes', rationale: 'x', keyId: made.keyId, remember: true })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'passphrase' }] } });
  });

  it('forgetting the key brings the passphrase back', async () => {
    const h = engine();
    const { keyId, reviewId } = await keyAndReview(h);
    await ok(h, 'keys/remember', { keyId, passphrase: PASSPHRASE });
    expect(await ok(h, 'keys/forget', { keyId })).toEqual({ keyId, forgotten: true });
    expect(sealedFiles()).toEqual([]);
    expect((await ok<{ keyId: string; inKeychain: boolean }[]>(h, 'keys/list', {})).find((k) => k.keyId === keyId)?.inKeychain).toBe(false);
    const refused = await call(h, 'reviews/decide', { id: reviewId, kind: 'request-changes', rationale: 'Tighten the card.', keyId });
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringMatching(/type its passphrase/) } });
    expect(decisionCount()).toBe(0);
    expect(await ok(h, 'reviews/decide', { id: reviewId, kind: 'request-changes', rationale: 'Tighten the card.', keyId, passphrase: PASSPHRASE })).toMatchObject({ state: 'changes_requested' });
    expect(await ok(h, 'keys/forget', { keyId })).toEqual({ keyId, forgotten: false });
  });

  it('fails clearly, not with a crash, when the sealed key was made on another machine', async () => {
    const h = engine();
    const { keyId, reviewId } = await keyAndReview(h);
    await ok(h, 'keys/remember', { keyId, passphrase: PASSPHRASE });
    // The same workspace folder opened on another machine: same files, a different keychain secret.
    const otherMachine = engine(asyncSealer(safeStorageSealer(fakeSafeStorage({ machineKey: randomBytes(32) }))));
    const result = await call(otherMachine, 'reviews/decide', { id: reviewId, kind: 'request-changes', rationale: 'Tighten the card.', keyId });
    expect(result).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    const message = (result as { error: { message: string } }).error.message;
    expect(message).toMatch(/could not be opened by the OS keychain/);
    expect(message).toMatch(/another machine/);
    expect(message).toMatch(/type the passphrase/);
    expect(decisionCount()).toBe(0);
    // The passphrase still signs there.
    expect(await ok(otherMachine, 'reviews/decide', { id: reviewId, kind: 'request-changes', rationale: 'Tighten the card.', keyId, passphrase: PASSPHRASE })).toMatchObject({ state: 'changes_requested' });
  });

  it('signs a sunset decision with a remembered key too, and the passphrase path still works', async () => {
    const h = engine();
    const key = await ok<{ keyId: string }>(h, 'keys/generate', { name: 'Rita Okafor', role: 'model-risk', passphrase: PASSPHRASE, remember: true });
    const plan = { replacement: null, drainDate: '2026-12-10', retirementDate: '2026-12-31', dataRetention: 'Keep 10 years, then delete.', rollback: 'Redeploy version 3 from the registry.', owner: 'ml-platform-oncall' };
    const { id } = await ok<{ id: number }>(h, 'sunsets/propose', { model: FRAUD_MODEL, version: '3', plan });
    expect(await ok(h, 'sunsets/decide', { id, kind: 'withdraw', rationale: 'Not now.', keyId: key.keyId })).toMatchObject({ state: 'withdrawn' });
    expect(storage.opened).toBe(1);
    await ok(h, 'keys/forget', { keyId: key.keyId });
    const again = await ok<{ id: number }>(h, 'sunsets/propose', { model: FRAUD_MODEL, version: '3', plan });
    expect(await call(h, 'sunsets/decide', { id: again.id, kind: 'withdraw', rationale: 'Still not now.', keyId: key.keyId })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/type its passphrase/) } });
    expect(await ok(h, 'sunsets/decide', { id: again.id, kind: 'withdraw', rationale: 'Still not now.', keyId: key.keyId, passphrase: PASSPHRASE })).toMatchObject({ state: 'withdrawn' });
  });

  it('refuses a sealed file whose key was swapped for another key', async () => {
    const h = engine();
    const a = await ok<{ keyId: string }>(h, 'keys/generate', { name: 'Ada', role: 'ml-lead', passphrase: PASSPHRASE, remember: true });
    const b = await ok<{ keyId: string }>(h, 'keys/generate', { name: 'Eve', role: 'ml-lead', passphrase: PASSPHRASE, remember: true });
    const pathA = join(keysDir, `${a.keyId}.sealed-key.json`);
    const sealedB = parseSealedKey(readFileSync(join(keysDir, `${b.keyId}.sealed-key.json`), 'utf8')).sealedPrivateKey;
    writeFileSync(pathA, JSON.stringify({ ...parseSealedKey(readFileSync(pathA, 'utf8')), sealedPrivateKey: sealedB }));
    const { id } = await ok<{ id: number }>(h, 'reviews/open', { model: FRAUD_MODEL, version: '3' });
    expect(await call(h, 'reviews/decide', { id, kind: 'request-changes', rationale: 'x', keyId: a.keyId })).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringMatching(/belongs to key/) } });
  });
});

describe('a keychain that cannot protect the key is refused, with its reason, and nothing is written', () => {
  const cases: { name: string; setup: () => AsyncKeySealer | null; reason: RegExp }[] = [
    { name: "Linux 'basic_text' backend", setup: () => ((storage.backend = 'basic_text'), asyncSealer(safeStorageSealer(storage))), reason: /'basic_text'.*hard-coded password/ },
    { name: "Linux 'unknown' backend", setup: () => ((storage.backend = 'unknown'), asyncSealer(safeStorageSealer(storage))), reason: /'unknown'/ },
    { name: 'safeStorage unavailable', setup: () => ((storage.available = false), asyncSealer(safeStorageSealer(storage))), reason: /not available/ },
    { name: 'no keychain at all (the CLI)', setup: () => null, reason: /not available/ },
  ];
  it.each(cases)('$name', async ({ setup, reason }) => {
    const ready = engine();
    const { keyId, reviewId } = await keyAndReview(ready);
    const h = engine(setup());
    const status = await ok<{ usable: boolean; reason: string | null }>(h, 'keys/keychain', {});
    expect(status.usable).toBe(false);
    expect(status.reason).toMatch(reason);

    const refusedDecision = await call(h, 'reviews/decide', { id: reviewId, kind: 'request-changes', rationale: 'Tighten the card.', keyId, passphrase: PASSPHRASE, remember: true });
    expect(refusedDecision).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringMatching(reason) } });
    const refusedRemember = await call(h, 'keys/remember', { keyId, passphrase: PASSPHRASE });
    expect(refusedRemember).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringMatching(reason) } });
    const keysBefore = (await ok<unknown[]>(h, 'keys/list', {})).length;
    const refusedGenerate = await call(h, 'keys/generate', { name: 'Ada', role: 'ml-lead', passphrase: PASSPHRASE, remember: true });
    expect(refusedGenerate).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringMatching(reason) } });

    expect(storage.sealed).toBe(0);
    expect(sealedFiles()).toEqual([]);
    expect(decisionCount()).toBe(0);
    expect((await ok<unknown[]>(h, 'keys/list', {})).length).toBe(keysBefore);
    // Without "remember", the passphrase signs as before.
    expect(await ok(h, 'reviews/decide', { id: reviewId, kind: 'request-changes', rationale: 'Tighten the card.', keyId, passphrase: PASSPHRASE })).toMatchObject({ state: 'changes_requested' });
  });

  it('will not open a remembered key once the backend has become basic_text', async () => {
    const h = engine();
    const { keyId, reviewId } = await keyAndReview(h);
    await ok(h, 'keys/remember', { keyId, passphrase: PASSPHRASE });
    storage.backend = 'basic_text';
    const result = await call(h, 'reviews/decide', { id: reviewId, kind: 'request-changes', rationale: 'Tighten the card.', keyId });
    expect(result).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringMatching(/cannot open key .* with the OS keychain: .*basic_text/) } });
    expect(storage.opened).toBe(0);
  });
});
