import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { buildDemoWorkspace } from '../../electron/core/demo/buildDemo';
import { launchChromium } from '../support/chromium';
import { startHarness, type Harness } from '../support/harness';
import { fixedClock } from '../support/tempStore';

const SCREENS = resolve('test-results/screens');
const FIXTURES = resolve('test/fixtures/model-cards');

let browser: Browser;
let workDir: string;
let harness: Harness;

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  workDir = mkdtempSync(join(tmpdir(), 'docket-e2e-demo-'));
  // The demo workspace, built by the real engine from resources/demo.
  const demo = await buildDemoWorkspace({ outDir: workDir, resourcesDir: resolve('resources'), clock: fixedClock(), actor: 'demo' });
  expect(demo.ok, demo.text).toBe(true);
  browser = await launchChromium();
  harness = await startHarness({ browser, dbPath: demo.machine.dbPath });
});

afterAll(async () => {
  await harness?.close();
  await browser?.close();
  rmSync(workDir, { recursive: true, force: true });
});

const rowCount = () => harness.store.db.prepare('SELECT (SELECT count(*) FROM models) m, (SELECT count(*) FROM model_versions) v, (SELECT count(*) FROM model_cards) c').get();

describe('model inventory in Chromium', () => {
  it('lists the demo models', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/models`);
    await page.getByTestId('model-list').waitFor();
    await expect.poll(() => page.getByTestId('model-row').count()).toBeGreaterThanOrEqual(10);
    await page.screenshot({ path: join(SCREENS, 'models-list.png') });
  });

  it('loads the same list when every answer takes the harness loopback path for big answers', async () => {
    const viaServer = await startHarness({ browser, dbPath: harness.store.path, bigAnswerChars: 1 });
    try {
      await viaServer.page.goto(`${viaServer.origin}/index.html#/models`);
      await expect.poll(() => viaServer.page.getByTestId('model-row').count()).toBe(await harness.page.getByTestId('model-row').count());
      await viaServer.page.goto(`${viaServer.origin}/index.html#/overview`);
      await expect.poll(() => viaServer.page.getByTestId('stat-models').textContent()).toContain(String((rowCount() as { m: number }).m));
    } finally {
      await viaServer.close();
    }
  });

  it('imports real cards through the file dialog, finds one by search and opens it', async () => {
    const { page } = harness;
    harness.pickPaths([join(FIXTURES, 'huggingface'), join(FIXTURES, 'model-card-toolkit')]);
    await page.getByRole('button', { name: /Import model cards/ }).first().click();
    await expect.poll(() => page.getByText(/Imported \d+/).count()).toBeGreaterThan(0);

    await page.getByRole('searchbox', { name: 'Search models' }).fill('deberta');
    await expect.poll(() => page.getByTestId('model-row').count()).toBe(1);
    await page.screenshot({ path: join(SCREENS, 'models-search.png') });
    await page.getByTestId('model-row').first().dblclick();

    const detail = page.getByTestId('model-detail');
    await detail.waitFor();
    await expect.poll(() => detail.getByRole('heading', { name: 'Model details' }).count()).toBe(1);
    await expect.poll(() => detail.getByRole('heading', { name: 'Bias, risks and limitations' }).count()).toBe(1);
    // A metric from the card's model-index, with its dataset.
    await expect.poll(() => detail.getByText('multi_nli').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENS, 'model-detail.png'), fullPage: true });
  });

  it('shows a broken card with file and location, and leaves the inventory unchanged', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/models`);
    await page.getByTestId('model-list').waitFor();
    const before = rowCount();
    const broken = join(FIXTURES, 'broken', 'wrong-type.model_card.json');
    harness.pickPaths([join(FIXTURES, 'cyclonedx'), broken]);
    await page.getByRole('button', { name: /Import model cards/ }).first().click();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    const text = await errors.innerText();
    expect(text).toContain('wrong-type.model_card.json');
    expect(text).toMatch(/\$\.model_details/);
    expect(rowCount()).toEqual(before);
    await page.screenshot({ path: join(SCREENS, 'import-error.png') });
  });

  it('renders the overview and audit log, dark mode at 1920x1080', async () => {
    const dark = await startHarness({ browser, dbPath: harness.store.path, viewport: { width: 1920, height: 1080 }, colorScheme: 'dark' });
    try {
      await dark.page.goto(`${dark.origin}/index.html#/models`);
      await dark.page.getByTestId('model-list').waitFor();
      await dark.page.screenshot({ path: join(SCREENS, 'models-dark-1920.png') });
      await dark.page.goto(`${dark.origin}/index.html#/audit`);
      await dark.page.getByRole('button', { name: /Verify/ }).click();
      await expect.poll(() => dark.page.getByText(/Chain intact/).count()).toBeGreaterThan(0);
      await dark.page.screenshot({ path: join(SCREENS, 'audit-dark-1920.png') });
    } finally {
      await dark.close();
    }
  });
});

describe('model spend on the model page', () => {
  it('shows the effective cost attributed to a demo model', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/models/credit-default-pd@3`);
    const spend = page.getByTestId('model-spend');
    await spend.waitFor();
    expect(await spend.innerText()).toMatch(/\$[\d,]+\.\d\d effective/);
  });
});

describe('keyboard', () => {
  it('moves through the model list with the arrow keys and opens with Enter', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/models`);
    await page.getByRole('searchbox', { name: 'Search models' }).fill('');
    await page.getByTestId('model-list').waitFor();
    await page.getByTestId('model-row').first().click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('model-detail').waitFor();
    expect(page.url()).toMatch(/#\/models\/.+@.+/);
  });
});

describe('IPC boundary in the page', () => {
  it('refuses unknown channels and bad input from page script', async () => {
    const { page } = harness;
    const unknown = await page.evaluate(() => (window as unknown as { docket: { invoke(c: string, i: unknown): Promise<unknown> } }).docket.invoke('fs/read', {}));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    const bad = await page.evaluate(() => (window as unknown as { docket: { invoke(c: string, i: unknown): Promise<unknown> } }).docket.invoke('models/show', { name: 42 }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
