import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startHarness, type Harness } from '../support/harness';
import { generateDataset, startCostExplorerServer, type CostExplorerTestServer } from '../support/costExplorerServer';
import { syncAwsCe } from '../../electron/core/awsce/syncAwsCe';
import { importUsage } from '../../electron/core/spend/importUsage';

const SCREENS = resolve('test-results/screens');
let harness: Harness;
let server: CostExplorerTestServer;

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  // Two weeks of Cost Explorer spend, the last three days still Estimated.
  server = await startCostExplorerServer({
    dataset: generateDataset({ from: '2026-11-01', days: 14, estimatedTail: 3, models: ['fraud-scorer', 'churn-predictor', 'credit-default-pd'] }),
    pageSize: 50,
  });
  harness = await startHarness({ viewport: { width: 1366, height: 1000 } });
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
});

describe('Spend view with a Cost Explorer source, in Chromium', () => {
  it('shows Cost Explorer spend after a sync, says on hover where each figure came from and that it is Estimated, and switches between sources', async () => {
    const { page } = harness;
    const sync = await syncAwsCe(harness.store, {
      from: '2026-11-01',
      to: '2026-11-15',
      endpoint: server.url,
      credentials: { accessKeyId: 'AKIDEXAMPLETESTKEY', secretAccessKey: 'test-secret-key-not-real' },
      actor: 'e2e-tester',
      clock: () => new Date('2026-11-15T06:30:00Z'),
    });
    expect(sync.days).toBe(14);
    // Daily usage of two models, for unit costs over Cost Explorer spend.
    const usageDir = mkdtempSync(join(tmpdir(), 'docket-usage-'));
    const usageCsv = join(usageDir, 'usage.csv');
    const usageLines = ['day,model,requests,input_tokens,output_tokens'];
    for (let d = 1; d <= 14; d += 1) {
      const day = `2026-11-${String(d).padStart(2, '0')}`;
      usageLines.push(`${day},fraud-scorer,${12000 + d * 100},,`, `${day},churn-predictor,${4000 + d * 50},${900000 + d * 1000},${300000 + d * 500}`);
    }
    writeFileSync(usageCsv, `${usageLines.join('\n')}\n`);
    expect(importUsage(harness.store, usageCsv, { actor: 'e2e-tester', clock: () => new Date('2026-11-15T06:40:00Z') }).rejected).toEqual([]);
    rmSync(usageDir, { recursive: true, force: true });

    // Only Cost Explorer has spend: the view opens on it, without a selector (one source only).
    await page.goto(`${harness.origin}/index.html#/spend`);
    await page.getByTestId('spend-view').waitFor();
    await page.getByTestId('spend-chart').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('spend-source').count()).toBe(0);
    await expect.poll(() => page.getByTestId('spend-table').innerText()).toMatch(/unattributed/);
    const table = await page.getByTestId('spend-table').innerText();
    expect(table).toMatch(/credit-default-pd/);
    expect(table).toMatch(/≈ \$[\d,]+\.\d\d/); // estimated figures are marked in text

    const provenanceLine = await page.getByTestId('spend-provenance').innerText();
    expect(provenanceLine).toContain(`AWS Cost Explorer ${server.url}`);
    expect(provenanceLine).toContain('Synced: 2026-11-15 06:30:00 UTC');
    expect(provenanceLine).toMatch(/Estimated: 3 days in range/);

    // Every figure says on hover: source, sync time, Estimated.
    const hovers = [
      await page.getByTestId('spend-effective-USD').getAttribute('title'),
      await page.getByTestId('spend-billed-USD').getAttribute('title'),
      await page.getByTestId('spend-unattributed-USD').getAttribute('title'),
      await page.getByTestId('spend-row').first().getAttribute('title'),
      await page.getByTestId('spend-mover').first().getAttribute('title'),
      await page.getByTestId('spend-unit-cost').first().getAttribute('title'),
    ];
    for (const title of hovers) {
      expect(title).toContain(`Source: AWS Cost Explorer ${server.url}`);
      expect(title).toContain('tag ml:model');
      expect(title).toMatch(/Synced: 2026-11-15 06:30:00 UTC \(sync run \d+\)/);
      expect(title).toContain('Estimated: 3 days (2026-11-12, 2026-11-13, 2026-11-14)');
    }
    expect(await page.getByTestId('spend-effective-USD').innerText()).toMatch(/^≈ \$/);
    const units = await page.getByTestId('spend-unit-costs').innerText();
    expect(units).toMatch(/fraud-scorer/);
    expect(units).toMatch(/churn-predictor/);
    expect(units).toMatch(/≈ /);

    // A range of final days only: no figure is Estimated any more.
    await page.getByTestId('spend-from').fill('2026-11-01');
    await page.getByTestId('spend-to').fill('2026-11-07');
    await expect.poll(() => page.getByTestId('spend-effective-USD').getAttribute('title')).toContain('Final: no day behind this figure is Estimated.');
    expect(await page.getByTestId('spend-effective-USD').innerText()).toMatch(/^\$/);
    expect(await page.getByTestId('spend-estimated-badge').count()).toBe(0);
    await page.getByRole('button', { name: 'All data' }).click();
    await expect.poll(() => page.getByTestId('spend-effective-USD').innerText()).toMatch(/^≈/);

    // Cost Explorer has no team: the grouping is offered as unavailable, not as an error.
    const teamOption = page.getByTestId('spend-group-by').locator('option[value="team"]');
    expect(await teamOption.isDisabled()).toBe(true);
    expect(await teamOption.innerText()).toContain('(n/a)');

    // Hover a bar of an Estimated day so the chart's tooltip shows its provenance, and keep the picture.
    const box = (await page.locator('.spend-chart-box canvas').boundingBox())!;
    await page.getByTestId('spend-chart').scrollIntoViewIfNeeded();
    const canvas = (await page.locator('.spend-chart-box canvas').boundingBox()) ?? box;
    await page.mouse.move(canvas.x + canvas.width - 40, canvas.y + canvas.height - 95);
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(SCREENS, 'spend-ce.png'), fullPage: true });
    await page.locator('.spend-grid').screenshot({ path: join(SCREENS, 'spend-ce-tables.png') });

    // FOCUS imported too: a selector appears, FOCUS shows (never added to Cost Explorer), and the user can go back.
    harness.pickPaths([resolve('resources/demo/spend/halden-focus-2026q1.csv')]);
    await page.getByTestId('spend-import-button').click();
    await page.getByTestId('spend-source').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('spend-provenance').innerText()).toContain('FOCUS file halden-focus-2026q1.csv (FOCUS 1.');
    const options = await page.getByTestId('spend-source').locator('option').allInnerTexts();
    expect(options).toHaveLength(2);
    expect(options).toEqual(['FOCUS files (1)', 'Cost Explorer: ml:model by SERVICE']);
    expect(await page.getByTestId('spend-source').locator('option').nth(1).getAttribute('title')).toContain('Covers 2026-11-01 to 2026-11-14');
    expect(await page.getByTestId('spend-effective-USD').getAttribute('title')).not.toContain('Estimated');

    const ceValue = await page.getByTestId('spend-source').locator('option').nth(1).getAttribute('value');
    await page.getByTestId('spend-source').selectOption(ceValue!);
    await expect.poll(() => page.getByTestId('spend-provenance').innerText()).toContain('AWS Cost Explorer');
    await page.getByTestId('spend-group-by').selectOption({ label: 'Service' });
    await expect.poll(() => page.getByTestId('spend-table').innerText()).toMatch(/Amazon SageMaker/);
    await page.screenshot({ path: join(SCREENS, 'spend-ce-by-service.png'), fullPage: true });
  });
});
