import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startHarness, type Harness } from '../support/harness';

const SCREENS = resolve('test-results/screens');
let harness: Harness;

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('Spend view in Chromium', () => {
  it('imports a FOCUS file, charts spend by model, regroups and narrows the range', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/spend`);
    await page.getByTestId('spend-view').waitFor();
    harness.pickPaths([resolve('resources/demo/spend/halden-focus-2026q1.csv')]);
    await page.getByTestId('spend-import-button').click();
    await page.getByTestId('spend-chart').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('spend-row').count()).toBeGreaterThan(3);
    const byModel = await page.getByTestId('spend-table').innerText();
    expect(byModel).toMatch(/unattributed/);
    expect(byModel).toMatch(/credit-default-pd/);
    await expect.poll(() => page.getByTestId('spend-unattributed-USD').count()).toBe(1);
    await page.screenshot({ path: join(SCREENS, 'spend-by-model.png') });

    // Drill down from a model to the line items behind its figure.
    await page.getByTestId('spend-row').filter({ hasText: 'credit-default-pd' }).locator('td').nth(2).click();
    const items = page.getByTestId('spend-line-items');
    await items.waitFor();
    await expect.poll(() => items.getByTestId('spend-line-item').count()).toBeGreaterThan(0);
    expect(await items.innerText()).toMatch(/halden-focus-2026q1\.csv:\d+/);
    await page.screenshot({ path: join(SCREENS, 'spend-drill-down.png') });

    // An attribution rule moves the untagged "shared" endpoints' spend to a model, without re-importing.
    const unattributedBefore = await page.getByTestId('spend-row').filter({ hasText: 'unattributed' }).innerText();
    await page.getByLabel('Pattern', { exact: true }).fill('arn:aws:sagemaker:*:endpoint/shared-*');
    await page.getByLabel('Model', { exact: true }).fill('shared-inference');
    await page.getByTestId('attribution-add').click();
    await expect.poll(() => page.getByTestId('attribution-rule').count()).toBe(1);
    await expect.poll(() => page.getByTestId('spend-table').innerText()).toMatch(/shared-inference/);
    expect(await page.getByTestId('spend-row').filter({ hasText: 'unattributed' }).innerText()).not.toBe(unattributedBefore);

    await page.getByTestId('spend-group-by').selectOption({ label: 'Service' });
    await expect.poll(() => page.getByTestId('spend-table').innerText()).toMatch(/Amazon SageMaker/);

    // Narrow to one week: the totals shrink.
    const before = await page.getByTestId('spend-total-USD').innerText();
    await page.getByTestId('spend-from').fill('2026-02-01');
    await page.getByTestId('spend-to').fill('2026-02-07');
    await expect.poll(() => page.getByTestId('spend-total-USD').innerText()).not.toBe(before);
    await page.screenshot({ path: join(SCREENS, 'spend-by-service-week.png') });
  });
});
