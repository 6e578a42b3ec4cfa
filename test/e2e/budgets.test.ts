import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { reportExportsDir } from '../../electron/core/pack/packPaths';
import { startHarness, type Harness } from '../support/harness';

/**
 * Budgets in real Chromium against the real engine, starting from an empty workspace (no spend):
 * the form refuses bad values under the field that caused each; a Q1 2026 budget is created and is
 * OK at $0; importing the demo FOCUS file (Jan–Mar 2026) through the Spend view moves it to ALARM,
 * which the bell and a toast announce; the detail page charts it and shows the thresholds in ALARM;
 * the signed report is exported with a key generated in Settings and verifies.
 */
const SCREENS = resolve('test-results/screens');
const PASSPHRASE = 'budget report passphrase';
let harness: Harness;

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  // A fresh workspace: the harness imports nothing, so the budget starts with no spend at all.
  harness = await startHarness({ viewport: { width: 1280, height: 900 } });
  harness.page.on('pageerror', (err) => console.error('[page error]', err.message));
});
afterAll(async () => {
  await harness?.close();
});

/** Calls the engine from the page, through the same window.docket the app uses. */
async function engine<T>(page: Page, channel: string, input: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  return page.evaluate(([c, i]) => (window as unknown as { docket: { invoke(c: string, i: unknown): Promise<never> } }).docket.invoke(c, i), [channel, input] as const);
}

async function budgetCount(page: Page): Promise<number> {
  const list = await engine<{ budgets: unknown[] }>(page, 'budgets/list', {});
  if (!list.ok) throw new Error(list.error.message);
  return list.value.budgets.length;
}

/** The message shown under a field, checked to be the one the input points at (aria-describedby). */
async function fieldError(page: Page, input: ReturnType<Page['getByTestId']>, path: string): Promise<string> {
  const error = page.locator(`[data-testid="budget-error-${path}"]`);
  await error.waitFor();
  expect(await input.getAttribute('aria-invalid')).toBe('true');
  const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
  expect(describedBy.split(' ')).toContain(await error.getAttribute('id'));
  return error.innerText();
}

async function canvasInk(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="budget-chart-canvas"]') as HTMLCanvasElement | null;
    if (!canvas || canvas.width === 0) return 0;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  });
}

/** Toasts are transient: dismiss them so a screenshot shows the page beneath. */
async function dismissToasts(page: Page) {
  const close = page.getByRole('button', { name: 'Dismiss notification' });
  while ((await close.count()) > 0) await close.first().click();
}

async function tall(path: string, height = 1500) {
  await dismissToasts(harness.page);
  await harness.page.setViewportSize({ width: 1280, height });
  await harness.page.screenshot({ path: join(SCREENS, path) });
  await harness.page.setViewportSize({ width: 1280, height: 900 });
}

describe('budgets in Chromium', () => {
  let budgetId = 0;

  it('generates a reviewer key in Settings (to sign the report later)', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/settings`);
    await page.getByTestId('settings-view').waitFor();
    await page.getByTestId('key-generate-toggle').click();
    await page.getByLabel('Name').fill('Fin Ops');
    await page.getByLabel('Review role').fill('finops');
    await page.getByLabel('Passphrase (8+ characters)').fill(PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(PASSPHRASE);
    await page.getByTestId('key-generate-submit').click();
    await page.getByTestId('keys-notice').waitFor();
    await expect.poll(() => page.getByTestId('key-row').count()).toBe(1);
  });

  it('shows the empty state, then refuses bad values under the field that caused each', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/budgets`);
    await page.getByTestId('budgets-empty').waitFor();
    expect(await page.getByTestId('budgets-empty').innerText()).toMatch(/spend/i);
    await page.getByTestId('budget-new').click();
    await page.getByTestId('budget-form').waitFor();
    expect(await page.evaluate(() => window.location.hash)).toBe('#/budgets/new');

    await page.getByTestId('budget-name').fill('Bad budget');
    await page.getByTestId('budget-period-kind').selectOption('custom');
    await page.getByTestId('budget-from').fill('2026-03-31');
    await page.getByTestId('budget-to').fill('2026-01-01');
    await page.getByTestId('budget-amount').fill('-5');
    // On blur: the amount's message appears before any submit.
    await page.getByTestId('budget-currency').focus();
    expect(await fieldError(page, page.getByTestId('budget-amount'), 'amount')).toMatch(/the amount must be greater than 0/);

    await page.getByTestId('budget-currency').fill('XYZ');
    await page.getByTestId('threshold-value').first().fill('1500');
    await page.getByTestId('budget-save').click();
    await page.getByTestId('budget-form-summary').waitFor();

    expect(await fieldError(page, page.getByTestId('budget-amount'), 'amount')).toMatch(/the amount must be greater than 0/);
    expect(await fieldError(page, page.getByTestId('budget-to'), 'period.to')).toMatch(/the end \(2026-01-01\) is before the start \(2026-03-31\)/);
    expect(await fieldError(page, page.getByTestId('budget-currency'), 'currency')).toMatch(/unknown currency "XYZ"/);
    expect(await fieldError(page, page.getByTestId('threshold-value').first(), 'thresholds.0.value')).toMatch(/cannot exceed 1000%/);
    // Focus went to the first field in error.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    expect(await page.evaluate(() => window.location.hash)).toBe('#/budgets/new');
    expect(await budgetCount(page)).toBe(0);
    await tall('budget-form-errors.png', 1300);

    // An empty amount says so (the number input's text is not taken as 0).
    await page.getByTestId('budget-amount').fill('');
    await page.getByTestId('budget-save').click();
    await expect.poll(() => page.getByTestId('budget-error-amount').innerText()).toMatch(/enter an amount/);
    expect(await budgetCount(page)).toBe(0);
  });

  it('creates a valid Q1 budget: OK at $0 before any spend', async () => {
    const { page } = harness;
    await page.getByTestId('budget-name').fill('Q1 inference');
    await page.getByTestId('budget-scope-kind').selectOption('all');
    await page.getByTestId('budget-from').fill('2026-01-01');
    await page.getByTestId('budget-to').fill('2026-03-31');
    await page.getByTestId('budget-amount').fill('1000');
    await page.getByTestId('budget-currency').fill('USD');
    const rows = page.getByTestId('budget-threshold-row');
    expect(await rows.count()).toBe(2);
    await rows.nth(0).getByTestId('threshold-basis').selectOption('actual');
    await rows.nth(0).getByTestId('threshold-kind').selectOption('percent');
    await rows.nth(0).getByTestId('threshold-value').fill('80');
    await rows.nth(1).getByTestId('threshold-basis').selectOption('forecasted');
    await rows.nth(1).getByTestId('threshold-value').fill('100');
    await page.getByTestId('budget-save').click();

    await page.getByTestId('budget-headline').waitFor();
    const hash = await page.evaluate(() => window.location.hash);
    expect(hash).toMatch(/^#\/budgets\/\d+$/);
    budgetId = Number(hash.split('/').pop());
    expect(await page.getByTestId('budget-page-state').innerText()).toMatch(/OK/);
    expect(await page.getByTestId('budget-page-actual').innerText()).toBe('$0.00');
    expect(await page.getByTestId('budget-notes').innerText()).toMatch(/No spend data/);

    await page.goto(`${harness.origin}/index.html#/budgets`);
    const row = page.locator(`[data-testid="budget-row"][data-budget-id="${budgetId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('OK');
    expect(await row.getByTestId('budget-state').innerText()).toMatch(/OK/);
    expect(await row.getByTestId('budget-actual').innerText()).toBe('$0.00');
    expect(await page.getByTestId('notification-bell').getAttribute('data-unread')).toBe('0');
  });

  it('goes to ALARM when the FOCUS file is imported through Spend, and says so', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/spend`);
    await page.getByTestId('spend-view').waitFor();
    harness.pickPaths([resolve('resources/demo/spend/halden-focus-2026q1.csv')]);
    await page.getByTestId('spend-import-button').click();
    // The engine judges budgets right after the import and announces the change: a toast, and the bell's count.
    const toast = page.getByTestId('notification-toast').filter({ hasText: 'Q1 inference' });
    await toast.first().waitFor({ timeout: 30_000 });
    expect(await toast.first().innerText()).toMatch(/ALARM/);
    expect(await toast.first().getAttribute('role')).toBe('status');
    await page.getByTestId('spend-chart').waitFor({ timeout: 20_000 });
    await expect.poll(async () => Number(await page.getByTestId('notification-bell').getAttribute('data-unread'))).toBeGreaterThanOrEqual(1);

    await page.getByTestId('nav-budgets').click();
    const row = page.locator(`[data-testid="budget-row"][data-budget-id="${budgetId}"]`);
    await expect.poll(() => row.getAttribute('data-state')).toBe('ALARM');
    expect(await row.getByTestId('budget-state').innerText()).toMatch(/⚠\s*ALARM/);
    expect(await row.getByTestId('budget-actual').innerText()).not.toBe('$0.00');
    // The data covers the whole quarter: its period-end figure is the actual, with no interval.
    expect(await row.locator('.budget-forecast-cell').innerText()).toMatch(/period ended/);
    expect(await row.locator('.budget-forecast-cell').innerText()).not.toMatch(/–/);
    // The demo quarter has spend anomalies: the list links to them.
    await expect.poll(() => page.getByTestId('budgets-anomalies-link').count()).toBe(1);
    await page.screenshot({ path: join(SCREENS, 'budgets-list-toasts.png') });
    await dismissToasts(page);
    await page.screenshot({ path: join(SCREENS, 'budgets-list.png') });

    // Opening the bell lists the alert and marks it read.
    await page.getByTestId('notification-bell').click();
    const list = page.getByTestId('notification-list');
    await list.waitFor();
    await expect.poll(() => list.getByTestId('notification-item').count()).toBeGreaterThanOrEqual(1);
    expect(await list.innerText()).toMatch(/Q1 inference: ALARM/);
    await expect.poll(() => page.getByTestId('notification-bell').getAttribute('data-unread')).toBe('0');
    await page.screenshot({ path: join(SCREENS, 'budgets-notifications.png') });
    await page.keyboard.press('Escape');

    // The Overview names the budget in ALARM with a link to it.
    await page.goto(`${harness.origin}/index.html#/overview`);
    const card = page.getByTestId('stat-budgets');
    await expect.poll(() => card.innerText()).toMatch(/Q1 inference/);
    expect(await card.locator(`a[href="#/budgets/${budgetId}"]`).count()).toBe(1);
    await expect.poll(() => page.getByTestId('stat-anomalies').count()).toBe(1);
    await expect.poll(() => page.getByTestId('stat-anomalies').innerText()).toMatch(/Open spend anomalies: [1-9]\d*/);
    await dismissToasts(page);
    await page.screenshot({ path: join(SCREENS, 'budgets-overview.png'), clip: { x: 0, y: 0, width: 1280, height: 420 } });
  });

  it('shows the budget in ALARM on its page, with the chart drawn and the thresholds in ALARM', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/budgets`);
    await page.locator(`[data-testid="budget-row"][data-budget-id="${budgetId}"]`).getByTestId('budget-link').click();
    await page.getByTestId('budget-headline').waitFor();
    expect(await page.getByTestId('budget-page').getAttribute('data-state')).toBe('ALARM');
    expect(await page.getByTestId('budget-page-state').innerText()).toMatch(/⚠\s*ALARM/);
    const actualThreshold = page.getByTestId('budget-threshold').filter({ hasText: /Actual > 80% of budget/ });
    expect(await actualThreshold.getAttribute('data-state')).toBe('ALARM');
    expect(await actualThreshold.innerText()).toMatch(/ALARM[\s\S]*since/);
    // The period has ended in the data, so the period-end figure is the actual and the forecasted threshold fires too.
    expect(await page.getByTestId('budget-threshold').filter({ hasText: /Forecasted > 100% of budget/ }).getAttribute('data-state')).toBe('ALARM');
    expect(await page.getByTestId('budget-alert-forecast').innerText()).toMatch(/Docket's forecast drives the forecasted thresholds/);
    await expect.poll(() => canvasInk(page)).toBeGreaterThan(2000);
    expect(await page.getByTestId('budget-history').innerText()).toMatch(/Created[\s\S]*Amount \$1,000\.00/);
    await tall('budget-detail-q1.png', 1500);

    // A verdict on an anomaly in scope is saved and shown (and audited by the engine).
    const anomaly = page.getByTestId('anomaly').first();
    expect(await anomaly.getAttribute('data-verdict')).toBe('');
    expect(await page.getByTestId('anomaly-method').innerText()).toMatch(/median/);
    await anomaly.getByTestId('anomaly-verdict-expected').click();
    await expect.poll(() => anomaly.getAttribute('data-verdict')).toBe('expected');
    expect(await anomaly.getByTestId('anomaly-verdict').innerText()).toMatch(/Expected/);
    expect(await anomaly.getByTestId('anomaly-verdict-expected').getAttribute('aria-pressed')).toBe('true');

    // A change needs a reason; it then shows in the history, old → new amount, with the reason.
    await page.getByTestId('budget-edit').click();
    await page.getByTestId('budget-form').waitFor();
    expect(await page.getByTestId('budget-amount').inputValue()).toBe('1000');
    await page.getByTestId('budget-amount').fill('1200');
    await page.getByTestId('budget-save').click();
    expect(await fieldError(page, page.getByTestId('budget-reason'), 'reason')).toMatch(/say why/);
    await page.getByTestId('budget-reason').fill('Q1 traffic forecast revised');
    await page.getByTestId('budget-save').click();
    await page.getByTestId('budget-notice').waitFor();
    await expect.poll(() => page.getByTestId('budget-history').innerText()).toMatch(/Amount \$1,000\.00 → \$1,200\.00[\s\S]*Q1 traffic forecast revised/);
    expect(await page.getByTestId('budget-form').count()).toBe(0);
  });

  it('charts the forecast band for a period running past the data', async () => {
    const { page } = harness;
    // March and April: the data ends March 31, so April is forecast with its interval. The spend so far
    // is under the actual threshold, but the forecast passes the budget: the forecasted threshold fires.
    const made = await engine<{ id: number }>(page, 'budgets/set', {
      definition: { name: 'Spring inference', scope: { kind: 'all' }, period: { kind: 'custom', from: '2026-03-01', to: '2026-04-30' }, amount: 3000, currency: 'USD', thresholds: [{ basis: 'actual', kind: 'percent', value: 80 }, { basis: 'forecasted', kind: 'percent', value: 100 }] },
    });
    expect(made.ok).toBe(true);
    const id = made.ok ? made.value.id : 0;
    await page.goto(`${harness.origin}/index.html#/budgets/${id}`);
    await page.getByTestId('budget-headline').waitFor();
    expect(await page.getByTestId('budget-headline').innerText()).toMatch(/\d+% prediction interval/);
    expect(await page.getByTestId('budget-method').innerText()).toMatch(/\S/);
    expect(await page.getByTestId('budget-threshold').filter({ hasText: /Actual > 80% of budget/ }).getAttribute('data-state')).toBe('OK');
    expect(await page.getByTestId('budget-threshold').filter({ hasText: /Forecasted > 100% of budget/ }).getAttribute('data-state')).toBe('ALARM');
    await expect.poll(() => canvasInk(page)).toBeGreaterThan(2000);
    await tall('budget-detail.png', 1500);

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(246, 247, 249)');
    await expect.poll(() => canvasInk(page)).toBeGreaterThan(2000);
    await tall('budget-detail-dark.png', 1500);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('exports the signed report: a wrong passphrase is refused, then the PDF is written and verifies', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/budgets`);
    await page.getByTestId('budgets-export').click();
    const panel = page.getByTestId('export-report-panel');
    await panel.waitFor();
    await panel.getByTestId('report-format-pdf').check();
    expect(await panel.getByTestId('report-export').isDisabled()).toBe(true);

    const passphrase = panel.getByTestId('report-passphrase');
    await passphrase.fill('not the passphrase');
    await panel.getByTestId('report-export').click();
    await panel.getByTestId('report-error').waitFor({ timeout: 30_000 });
    expect(await passphrase.inputValue()).toBe('');
    expect(await panel.getByTestId('report-result').count()).toBe(0);

    await passphrase.fill(PASSPHRASE);
    await panel.getByTestId('report-export').click();
    await panel.getByTestId('report-result').waitFor({ timeout: 60_000 });
    const path = await panel.getByTestId('report-result-path').innerText();
    const sha = await panel.getByTestId('report-result-sha').innerText();
    expect(path.startsWith(reportExportsDir(harness.store.path))).toBe(true);
    expect(path).toMatch(/\.pdf$/);
    expect(existsSync(path)).toBe(true);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(sha);
    expect(existsSync(await panel.getByTestId('report-result-envelope').innerText())).toBe(true);
    await page.screenshot({ path: join(SCREENS, 'budget-report-export.png') });

    await panel.getByTestId('report-show-in-folder').click();
    await panel.getByTestId('report-show-note').waitFor();
    expect(harness.shownItems).toEqual([path]);

    const verified = await engine<{ ok: boolean; kind: string; checks: { name: string; ok: boolean }[] }>(page, 'pack/verify', { path });
    expect(verified.ok).toBe(true);
    if (verified.ok) {
      expect(verified.value.kind).toBe('budget-report');
      expect(verified.value.checks.filter((c) => !c.ok)).toEqual([]);
      expect(verified.value.ok).toBe(true);
    }
    await panel.getByTestId('report-close').click();
    await panel.waitFor({ state: 'detached' });
  });

  it('fits a 1280 px window with figures in the millions: every column, the state included, is in view', async () => {
    const { page } = harness;
    // The demo quarter's spend a thousandfold, in a file of its own: actuals and forecasts in the millions.
    const scaled = join(mkdtempSync(join(tmpdir(), 'docket-e2e-millions-')), 'halden-focus-2026q1-x1000.csv');
    const [header, ...rows] = readFileSync(resolve('resources/demo/spend/halden-focus-2026q1.csv'), 'utf8').trimEnd().split('\n');
    const columns = header!.split(',');
    const costs = ['BilledCost', 'ContractedCost', 'EffectiveCost', 'ListCost'].map((c) => columns.indexOf(c));
    const fields = (line: string) => line.match(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)!.map((f) => f.replace(/,$/, '')).slice(0, columns.length);
    writeFileSync(scaled, [header, ...rows.map((r) => fields(r).map((f, i) => (costs.includes(i) ? String(Number(f) * 1000) : f)).join(','))].join('\n') + '\n');
    const imported = await engine<{ files: { rows: number }[] }>(page, 'spend/import', { paths: [scaled] });
    expect(imported.ok && imported.value.files[0]!.rows).toBe(2500);
    const made = await engine<{ id: number }>(page, 'budgets/set', {
      definition: { name: 'Platform inference, all regions', scope: { kind: 'all' }, period: { kind: 'custom', from: '2026-01-01', to: '2026-06-30' }, amount: 12_345_678.9, currency: 'USD', thresholds: [{ basis: 'actual', kind: 'percent', value: 80 }, { basis: 'forecasted', kind: 'percent', value: 100 }] },
    });
    expect(made.ok).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
    // The window may already show #/budgets (the test before ends there): load it afresh.
    await page.goto(`${harness.origin}/index.html#/budgets`);
    await page.reload();
    await expect.poll(() => page.getByText('Platform inference, all regions').count()).toBeGreaterThan(0);
    expect(await page.getByText('$12,345,678.90').count()).toBeGreaterThan(0);
    await expect.poll(async () => (await page.getByTestId('budget-actual').allInnerTexts()).some((t) => /\$\d,\d{3},\d{3}\./.test(t))).toBe(true);
    await dismissToasts(page);
    await page.screenshot({ path: join(SCREENS, 'budgets-list-millions.png') });
    // The table's scroll box holds it whole: nothing runs past the panel's right edge.
    const table = page.getByTestId('budgets-table');
    await expect.poll(() => table.evaluate((t) => t.parentElement!.scrollWidth <= t.parentElement!.clientWidth)).toBe(true);
  });
});
