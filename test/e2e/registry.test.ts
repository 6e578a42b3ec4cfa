import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startHarness, type Harness } from '../support/harness';
import { generateRegistry, startMlflowServer, type MlflowTestServer } from '../support/mlflowServer';

const SCREENS = resolve('test-results/screens');
let harness: Harness;
let server: MlflowTestServer;
const TOKEN = 'e2e-token-5678';

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  server = await startMlflowServer({ token: TOKEN, maxPageSize: 3, registry: generateRegistry({ models: 8, versionsPerModel: 3 }) });
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
});

describe('MLflow source, lineage and alias timeline in Chromium', () => {
  it('adds the loopback MLflow server, tests it, syncs with visible progress and lists the run', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/sources`);
    await page.getByTestId('sources-view').waitFor();
    await page.getByLabel('MLflow tracking URL').fill(server.url);
    await page.getByLabel('Access token').fill(TOKEN);
    await page.getByTestId('mlflow-test').click();
    await expect.poll(() => page.getByTestId('mlflow-test-result').innerText()).toMatch(/Connected/);

    // Slow the runs endpoint a little so the progress display is on screen long enough to see.
    server.inject('runs/get', { delayMs: 40, times: 24 });
    await page.getByTestId('mlflow-sync').click();
    await page.getByTestId('sync-progress').waitFor();
    await page.screenshot({ path: join(SCREENS, 'sources-sync-progress.png') });
    await page.getByTestId('sync-result').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('sync-result').innerText()).toMatch(/8/);
    await expect.poll(() => page.getByTestId('sync-run-row').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENS, 'sources-after-sync.png') });
  });

  it('opens a synced version: its lineage graph from the run dataset inputs, and its alias timeline', async () => {
    const { page } = harness;
    const name = server.registry.models[0]!.name;
    // Move the champion alias and sync again so the timeline has a move to show.
    server.setAlias(name, 'champion', '1');
    await page.getByTestId('mlflow-sync').click();
    await expect.poll(() => page.getByTestId('sync-run-row').count(), { timeout: 20_000 }).toBeGreaterThan(1);

    await page.goto(`${harness.origin}/index.html#/models/${encodeURIComponent(name)}@3/lineage`);
    const graph = page.getByTestId('lineage-graph');
    await graph.waitFor();
    await expect.poll(() => graph.locator('[data-kind="dataset"]').count()).toBeGreaterThan(0);
    await graph.locator('[data-kind="run"]').first().click();
    await page.getByTestId('lineage-node-panel').waitFor();
    await page.screenshot({ path: join(SCREENS, 'lineage-graph.png') });

    await page.goto(`${harness.origin}/index.html#/models/${encodeURIComponent(name)}@3/history`);
    const timeline = page.getByTestId('alias-timeline');
    await timeline.waitFor();
    await expect.poll(() => timeline.locator('.tl-bar[data-lane]').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(SCREENS, 'alias-timeline.png') });
  });
});
