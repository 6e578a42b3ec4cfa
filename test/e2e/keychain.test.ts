import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { importCards } from '../../electron/core/cards/importCards';
import { importUserPolicyPack } from '../../electron/core/reviews/activePolicy';
import { moveReview, openReview } from '../../electron/core/reviews/reviews';
import { systemClock } from '../../electron/core/store/clock';
import { startHarness, type Harness } from '../support/harness';
import { FRAUD_CARD_PATH, FRAUD_MODEL, TWO_APPROVER_PACK } from '../support/reviewFixtures';

/**
 * "Remember this key in the OS keychain" in real Chromium against the real engine: the harness's
 * keychain is an AES-GCM stand-in for Electron's safeStorage (the OS boundary). A key generated
 * with the option signs a decision with no passphrase; forgotten, it asks again and can be
 * remembered from the dialog; with Linux's 'basic_text' backend the option is disabled with the reason.
 */

const SCREENS = resolve('test-results/screens');
const PASSPHRASE = 'keychain e2e passphrase';
let workDir: string;
let harness: Harness;
let reviewId = 0;
let keyId = '';

const keysDir = () => join(dirname(harness.store.path), 'keys');
const sealedFiles = () => (existsSync(keysDir()) ? readdirSync(keysDir()).filter((f) => f.endsWith('.sealed-key.json')) : []);
const decisions = () => (harness.store.db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n;

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  workDir = mkdtempSync(join(tmpdir(), 'docket-e2e-keychain-'));
  harness = await startHarness({ viewport: { width: 1280, height: 900 } });
  mkdirSync(join(workDir, FRAUD_MODEL));
  copyFileSync(FRAUD_CARD_PATH, join(workDir, FRAUD_MODEL, 'README.md'));
  expect(importCards(harness.store, [join(workDir, FRAUD_MODEL)], { actor: 'e2e-tester', clock: systemClock, fallbackVersion: '3' }).rejected).toEqual([]);
  writeFileSync(join(workDir, 'pack.yaml'), TWO_APPROVER_PACK);
  importUserPolicyPack(harness.store, join(workDir, 'pack.yaml'), { resourcesDir: resolve('resources'), actor: 'e2e-tester', at: new Date().toISOString() });
  reviewId = openReview({ store: harness.store, resourcesDir: resolve('resources'), actor: 'e2e-tester', clock: systemClock }, { model: FRAUD_MODEL, version: '3' });
});
afterAll(async () => {
  await harness?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function openDecision(kind: 'request-changes' | 'approve', rationale: string) {
  const { page } = harness;
  await page.goto(`${harness.origin}/index.html#/reviews/${reviewId}`);
  await page.getByTestId('review-verdict').waitFor();
  await page.getByTestId(`action-${kind}`).click();
  const dialog = page.getByTestId('decision-dialog');
  await dialog.waitFor();
  await dialog.getByLabel('Sign as').selectOption(keyId);
  await dialog.getByLabel(/Rationale/).fill(rationale);
  await expect.poll(() => dialog.getByTestId('decision-summary').count(), { timeout: 10_000 }).toBe(1);
  return dialog;
}

describe('remembering a reviewer key in the OS keychain, in Chromium', () => {
  it('generates a key remembered by the keychain in Settings', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/settings`);
    await page.getByTestId('key-generate-toggle').click();
    await page.getByLabel('Name').fill('Rita Okafor');
    await page.getByLabel('Review role').fill('model-risk');
    await page.getByLabel('Passphrase (8+ characters)').fill(PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(PASSPHRASE);
    const remember = page.getByTestId('key-remember');
    await expect.poll(() => remember.isEnabled(), { timeout: 10_000 }).toBe(true);
    await remember.check();
    await page.getByTestId('key-generate-submit').click();
    await page.getByTestId('keys-notice').waitFor();
    keyId = (harness.store.db.prepare("SELECT key_id FROM reviewer_keys WHERE name = 'Rita Okafor'").get() as { key_id: string }).key_id;
    expect(sealedFiles()).toEqual([`${keyId}.sealed-key.json`]);
    expect(harness.keychain.sealed).toBe(1);
    await expect.poll(() => page.locator(`[data-testid="key-row"][data-key-id="${keyId}"]`).innerText(), { timeout: 10_000 }).toMatch(/in the OS keychain/);
  });

  it('signs a decision with no passphrase: the dialog says the OS keychain unlocks the key', async () => {
    const dialog = await openDecision('request-changes', 'Say what the model must not be used for, per business line.');
    const note = dialog.getByTestId('decision-keychain-note');
    await note.waitFor();
    expect(await note.innerText()).toMatch(/Unlocked by the OS keychain/);
    expect(await dialog.getByLabel(/Passphrase for/).count()).toBe(0);
    await harness.page.screenshot({ path: join(SCREENS, 'keychain-dialog-unlocked.png') });
    await dialog.getByTestId('decision-sign').click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    expect(decisions()).toBe(1);
    expect(harness.keychain.opened).toBe(1);
  });

  it('after "Forget", asks for the passphrase again, and can remember the key from the dialog', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/settings`);
    const row = page.locator(`[data-testid="key-row"][data-key-id="${keyId}"]`);
    await row.getByTestId('key-forget').click();
    await page.getByTestId('keys-notice').waitFor();
    expect(sealedFiles()).toEqual([]);
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).not.toMatch(/in the OS keychain/);

    moveReview({ store: harness.store, resourcesDir: resolve('resources'), actor: 'e2e-tester', clock: systemClock }, reviewId, 'resubmit');
    const dialog = await openDecision('approve', 'The card now says what it is not for.');
    expect(await dialog.getByTestId('decision-keychain-note').count()).toBe(0);
    await expect.poll(() => dialog.getByTestId('decision-why').innerText(), { timeout: 10_000 }).toMatch(/passphrase/);
    await dialog.getByLabel('Remember this key in the OS keychain').check();
    await dialog.getByLabel(/Passphrase for/).fill(PASSPHRASE);
    await dialog.getByTestId('decision-sign').click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    expect(decisions()).toBe(2);
    expect(sealedFiles()).toEqual([`${keyId}.sealed-key.json`]);
  });

  it("with the 'basic_text' backend, disables the option and shows why, in Settings and in the dialog", async () => {
    const { page } = harness;
    harness.keychain.backend = 'basic_text';
    const sealedBefore = harness.keychain.sealed;
    await page.goto(`${harness.origin}/index.html#/settings`);
    await page.getByTestId('key-generate-toggle').click();
    const reason = page.getByTestId('key-keychain-reason');
    await reason.waitFor();
    expect(await reason.innerText()).toMatch(/basic_text[\s\S]*hard-coded password/);
    expect(await page.getByTestId('key-remember').isDisabled()).toBe(true);

    // The remembered key is not opened by a keychain that cannot be trusted: the passphrase is asked.
    // One approval of two: the review is still in review, so changes can be requested.
    const dialog = await openDecision('request-changes', 'Checking the keychain refusal.');
    const dialogReason = dialog.getByTestId('decision-keychain-reason');
    await dialogReason.waitFor();
    expect(await dialogReason.innerText()).toMatch(/basic_text/);
    expect(await dialog.getByLabel('Remember this key in the OS keychain').isDisabled()).toBe(true);
    expect(await dialog.getByLabel(/Passphrase for/).count()).toBe(1);
    await page.screenshot({ path: join(SCREENS, 'keychain-dialog-basic-text.png') });
    expect(harness.keychain.sealed).toBe(sealedBefore);
    await page.keyboard.press('Escape');
  });
});
