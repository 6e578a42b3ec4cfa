import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDemoWorkspace } from '../../electron/core/demo/buildDemo';
import { startHarness, type Harness } from '../support/harness';
import { fixedClock } from '../support/tempStore';

const SCREENS = resolve('test-results/screens');
let workDir: string;
let harness: Harness;

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  workDir = mkdtempSync(join(tmpdir(), 'docket-e2e-fairness-'));
  const demo = await buildDemoWorkspace({ outDir: workDir, resourcesDir: resolve('resources'), clock: fixedClock(), actor: 'demo' });
  expect(demo.ok, demo.text).toBe(true);
  harness = await startHarness({ dbPath: demo.machine.dbPath });
});
afterAll(async () => {
  await harness?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('fairness tab in Chromium', () => {
  it('imports an evaluation from the tab, then shows the chart and the failing metric with its basis', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/models/credit-default-pd@1/fairness`);
    const tab = page.getByTestId('fairness-tab');
    await tab.waitFor();
    const before = harness.store.db.prepare('SELECT count(*) n FROM fairness_evaluations').get();

    // Version 1 has no evaluation yet: import the same failing counts v2 had, for v1, through the dialog.
    harness.pickPaths([resolve('resources/demo/fairness/credit-default-pd-v2.confusion.csv')]);
    await page.getByTestId('fairness-import-button').click();
    await expect.poll(() => page.getByTestId('disparity-summary').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(harness.store.db.prepare('SELECT count(*) n FROM fairness_evaluations').get()).toEqual({ n: (before as { n: number }).n + 1 });

    const failing = page.locator('[data-testid="disparity-summary"] [data-status="fail"]');
    await expect.poll(() => failing.count()).toBeGreaterThan(0);
    const failingText = await failing.allInnerTexts();
    expect(failingText.join('\n')).toMatch(/Disparate impact ratio/);
    expect(failingText.join('\n')).toMatch(/four-fifths/i);
    await expect.poll(() => page.getByTestId('fairness-chart').count()).toBeGreaterThan(0);
    // The chart really drew: its canvas has non-blank pixels.
    const drawn = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="fairness-chart"] canvas') as HTMLCanvasElement | null;
      if (!canvas) return false;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
      return false;
    });
    expect(drawn).toBe(true);
    await page.screenshot({ path: join(SCREENS, 'fairness-tab-failing.png') });
    // The app scrolls inside its main pane, so a tall viewport shows the whole tab in one image.
    await page.setViewportSize({ width: 1280, height: 2600 });
    await page.screenshot({ path: join(SCREENS, 'fairness-tab-failing-full.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows an improving version with the gaps compared to its predecessor, and the fairness column', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/models/credit-default-pd@3/fairness`);
    const comparison = page.getByTestId('fairness-comparison');
    await comparison.waitFor();
    expect(await comparison.innerText()).toMatch(/Disparate impact ratio/);
    await page.setViewportSize({ width: 1280, height: 2600 });
    await page.screenshot({ path: join(SCREENS, 'fairness-tab-improved-full.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.goto(`${harness.origin}/index.html#/models`);
    await page.getByRole('searchbox', { name: 'Search models' }).fill('churn');
    await expect.poll(() => page.getByTestId('model-row').count()).toBe(1);
    expect(await page.getByTestId('model-row').first().innerText()).toMatch(/fail/i);

    // Overview names the models whose latest version fails the fairness policy.
    await page.goto(`${harness.origin}/index.html#/overview`);
    const stat = page.getByTestId('stat-fairness');
    await expect.poll(() => stat.innerText()).toMatch(/churn-propensity/);
    await page.screenshot({ path: join(SCREENS, 'overview.png') });
  });
});
