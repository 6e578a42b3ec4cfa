import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDemoWorkspace } from '../../electron/core/demo/buildDemo';
import { DEMO_KEY_PASSPHRASE } from '../../electron/core/demo/demoReviews';
import { packExportsDir } from '../../electron/core/pack/packHandlers';
import { startHarness, type Harness } from '../support/harness';
import { fixedClock } from '../support/tempStore';

/**
 * Audit packs in real Chromium over the demo workspace: from the approved review of
 * claims-triage-nlp@3, preview and export a signed pack with a demo reviewer key, watch the
 * progress end and the files listed; then verify the folder from #/verify (all checks pass), change
 * one byte of the ML-BOM and verify again (that file's check fails).
 */
const SCREENS = resolve('test-results/screens');
let workDir: string;
let harness: Harness;
let reviewId = 0;

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  workDir = mkdtempSync(join(tmpdir(), 'docket-e2e-pack-'));
  const demo = await buildDemoWorkspace({ outDir: workDir, resourcesDir: resolve('resources'), clock: fixedClock(), actor: 'demo' });
  expect(demo.ok, demo.text).toBe(true);
  reviewId = demo.reviews.approved.reviewId;
  harness = await startHarness({ dbPath: demo.machine.dbPath, viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await harness?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function tall(path: string, height = 1600) {
  await harness.page.setViewportSize({ width: 1280, height });
  await harness.page.screenshot({ path: join(SCREENS, path) });
  await harness.page.setViewportSize({ width: 1280, height: 900 });
}

describe('audit packs in Chromium', () => {
  const folder = () => join(packExportsDir(harness.store.path), 'claims-triage-nlp-3-audit-pack');

  it('previews and exports a signed pack from the review page', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/reviews/${reviewId}`);
    await page.getByTestId('review-page-state').waitFor();
    await page.getByTestId('export-pack-button').click();
    const panel = page.getByTestId('export-pack-panel');
    await panel.waitFor();
    const preview = panel.getByTestId('pack-preview');
    await preview.waitFor({ timeout: 30_000 });
    expect(await preview.innerText()).toMatch(/Preview of the cover and summary/);
    expect(await panel.getByTestId('pack-preview-decision').innerText()).toMatch(/APPROVED/);
    expect(await panel.getByTestId('pack-preview-sha').innerText()).toMatch(/^[0-9a-f]{64}$/);
    await page.screenshot({ path: join(SCREENS, 'pack-export-preview.png') });

    // Export stays disabled until a passphrase is typed; a wrong one is refused and the field cleared.
    expect(await panel.getByTestId('pack-export').isDisabled()).toBe(true);
    const passphrase = panel.getByTestId('pack-passphrase');
    await passphrase.fill('not the passphrase');
    await panel.getByTestId('pack-export').click();
    await panel.getByTestId('pack-error').waitFor({ timeout: 30_000 });
    expect(await passphrase.inputValue()).toBe('');

    await passphrase.fill(DEMO_KEY_PASSPHRASE);
    await panel.getByTestId('pack-export').click();
    await panel.getByTestId('pack-result').waitFor({ timeout: 60_000 });
    expect(await panel.getByTestId('pack-progress-count').innerText()).toBe('8 of 8 steps');
    expect(await panel.getByTestId('pack-progress-step').innerText()).toMatch(/Done/);
    expect(await page.locator('[data-testid="pack-progress"] progress').evaluate((el) => [(el as HTMLProgressElement).value, (el as HTMLProgressElement).max])).toEqual([8, 8]);
    const files = await panel.getByTestId('pack-files').innerText();
    for (const name of ['audit-pack.pdf', 'evidence.json', 'ml-bom.cdx.json', 'decisions.json', 'signing-certificate.pem', 'VERIFY.txt']) expect(files).toContain(name);
    expect(await panel.getByTestId('pack-result-folder').innerText()).toBe(folder());
    expect(await panel.getByTestId('pack-result-zip').innerText()).toBe(`${folder()}.zip`);
    await page.screenshot({ path: join(SCREENS, 'pack-export-done.png') });

    await panel.getByTestId('pack-show-in-folder').click();
    await panel.getByTestId('pack-show-note').waitFor();
    expect(harness.shownItems).toEqual([folder()]);
    await panel.getByTestId('pack-close').click();
    await panel.waitFor({ state: 'detached' });
  });

  it('refuses to overwrite the pack on a second export', async () => {
    const { page } = harness;
    await page.getByTestId('export-pack-button').click();
    const panel = page.getByTestId('export-pack-panel');
    await panel.getByTestId('pack-preview').waitFor({ timeout: 30_000 });
    await panel.getByTestId('pack-passphrase').fill(DEMO_KEY_PASSPHRASE);
    await panel.getByTestId('pack-export').click();
    await panel.getByTestId('pack-error').waitFor({ timeout: 30_000 });
    expect(await panel.getByTestId('pack-error').innerText()).toMatch(/already exists[\s\S]*never overwrites/);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('opens the verifier from the app menu and verifies the exported folder', async () => {
    const { page } = harness;
    // What the shell sends when "Verify audit pack…" is chosen in the menu.
    await page.evaluate(() => (window as unknown as { __docketEmit(e: string, p: unknown): void }).__docketEmit('pack/openVerify', {}));
    await page.getByTestId('verify-page').waitFor();
    expect(await page.evaluate(() => window.location.hash)).toBe('#/verify');
    await page.getByTestId('verify-empty').waitFor();
    await page.screenshot({ path: join(SCREENS, 'pack-verify-empty.png') });

    harness.pickPaths([folder()]);
    await page.getByTestId('verify-open').click();
    await page.getByTestId('verify-result').waitFor({ timeout: 30_000 });
    const verdict = await page.getByTestId('verify-verdict').innerText();
    expect(verdict).toMatch(/Verified[\s\S]*claims-triage-nlp@3/);
    expect(verdict).toMatch(/All \d+ checks passed/);
    const checks = page.getByTestId('verify-check');
    expect(await checks.count()).toBeGreaterThan(5);
    expect(await page.locator('[data-testid="verify-check"][data-ok="false"]').count()).toBe(0);
    await tall('pack-verify-ok.png');

    // The zip, picked as a file, verifies too.
    harness.pickPaths([`${folder()}.zip`]);
    await page.getByTestId('verify-open-file').click();
    await expect.poll(() => page.getByTestId('verify-verdict').innerText(), { timeout: 30_000 }).toMatch(/pack zip/);
    expect(await page.getByTestId('verify-verdict').innerText()).toMatch(/All \d+ checks passed/);

    harness.pickPaths([folder()]);
    await page.getByTestId('verify-open').click();
    await expect.poll(() => page.getByTestId('verify-verdict').innerText(), { timeout: 30_000 }).toMatch(/pack folder/);
  });

  it('flags the one file whose byte changed', async () => {
    const { page } = harness;
    const bom = join(folder(), 'ml-bom.cdx.json');
    const bytes = readFileSync(bom);
    bytes[20] = bytes[20]! ^ 0x01;
    writeFileSync(bom, bytes);
    await page.getByTestId('verify-again').click();
    await page.getByTestId('verify-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('verify-verdict').innerText()).toMatch(/NOT verified[\s\S]*1 of \d+ checks failed/);
    const bad = page.locator('[data-testid="verify-check"][data-ok="false"]');
    expect(await bad.count()).toBe(1);
    expect(await bad.getAttribute('data-check')).toBe('file ml-bom.cdx.json');
    expect(await bad.innerText()).toMatch(/Fail/);
    await tall('pack-verify-tampered.png');
  });

  it('offers the export on the model page too', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/models/claims-triage-nlp@3`);
    await page.getByTestId('model-name').waitFor();
    await page.screenshot({ path: join(SCREENS, 'pack-model-header.png'), clip: { x: 0, y: 0, width: 1280, height: 260 } });
    await page.getByTestId('export-pack-button').click();
    await page.getByTestId('pack-preview').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('pack-preview').innerText()).toMatch(/claims-triage-nlp/);
    await tall('pack-export-model.png', 1300);
  });
});
