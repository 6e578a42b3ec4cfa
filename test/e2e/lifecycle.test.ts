import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDemoWorkspace } from '../../electron/core/demo/buildDemo';
import { DEMO_KEY_PASSPHRASE } from '../../electron/core/demo/demoReviews';
import { sunsetCandidates } from '../../electron/core/lifecycle/candidates';
import { decideSunset, proposeSunset } from '../../electron/core/lifecycle/sunsets';
import { defaultKeysDir } from '../../electron/core/reviews/reviewHandlers';
import { unlockLocalKey } from '../../electron/core/signing/localKeys';
import { systemClock } from '../../electron/core/store/clock';
import { formatMoney } from '../../shared/format/money';
import { startHarness, type Harness } from '../support/harness';
import { fixedClock } from '../support/tempStore';

/**
 * Lifecycle in real Chromium over the demo workspace: see the sunset candidates, filter them, plan the
 * sunset of churn-propensity@3 (an invalid plan first), sign its approval with a demo reviewer key (a
 * wrong passphrase first), see the version deprecated, the candidate gone and the saving counted on the
 * Overview; export the one-page summary; then see spend after a retirement date raised as an alarm.
 */
const SCREENS = resolve('test-results/screens');
const MODEL = 'churn-propensity';
// The harness runs on the real clock, so the plan's dates are set from today: the version stays
// deprecated (not retired) through the test whatever day it runs.
const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const DRAIN = dayFromNow(20);
const RETIRE = dayFromNow(60);
const VERSION = '3';
let workDir: string;
let harness: Harness;
/** As the Lifecycle view showed it, e.g. "$210.15". */
let candidateSaving = '';
let sunsetId = 0;

const candidates = () => sunsetCandidates(harness.store, { resourcesDir: resolve('resources'), clock: systemClock });

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  workDir = mkdtempSync(join(tmpdir(), 'docket-e2e-lifecycle-'));
  const demo = await buildDemoWorkspace({ outDir: workDir, resourcesDir: resolve('resources'), clock: fixedClock(), actor: 'demo' });
  expect(demo.ok, demo.text).toBe(true);
  harness = await startHarness({ dbPath: demo.machine.dbPath, viewport: { width: 1440, height: 900 } });
});
afterAll(async () => {
  await harness?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function tall(path: string, height = 1700) {
  await harness.page.setViewportSize({ width: 1440, height });
  await harness.page.screenshot({ path: join(SCREENS, path) });
  await harness.page.setViewportSize({ width: 1440, height: 900 });
}

const candidateRow = (model: string, version: string) => harness.page.locator(`[data-testid="candidate-row"][data-model="${model}"][data-version="${version}"]`);

describe('lifecycle in Chromium', () => {
  it('lists sunset candidates ranked by saving, with their reasons, and filters them by reason', async () => {
    const { page } = harness;
    const expected = candidates();
    const churn = expected.find((c) => c.model === MODEL && c.version === VERSION);
    expect(churn, 'churn-propensity@3 is a candidate in the demo').toBeDefined();
    const lowTraffic = churn!.reasons.find((r) => r.code === 'low-traffic-for-cost');
    expect(lowTraffic).toBeDefined();

    await page.goto(`${harness.origin}/index.html#/lifecycle`);
    await expect.poll(() => page.getByTestId('candidate-row').count()).toBe(expected.length);
    expect(await page.getByTestId('lifecycle-horizon').innerText()).toMatch(/^judged on spend through \d{4}-\d{2}-\d{2} and usage through \d{4}-\d{2}-\d{2}$/);

    // Ranked by saving: the first row saves the most.
    const savings = (await page.getByTestId('candidate-saving').allInnerTexts()).map((t) => Number(t.replace(/[^0-9.]/g, '')));
    expect(savings).toEqual([...savings].sort((a, b) => b - a));

    // The reason is a labelled chip with its sentence (and the ratio in it) on the row, not only on hover.
    const row = candidateRow(MODEL, VERSION);
    const reason = row.locator('[data-testid="candidate-reason"][data-code="low-traffic-for-cost"]');
    expect(await reason.innerText()).toContain('Low traffic for its cost');
    expect(await reason.innerText()).toContain(lowTraffic!.detail);
    expect(lowTraffic!.detail).toContain(`${Number(lowTraffic!.figures.ratio).toFixed(1)}×`);
    candidateSaving = (await row.getByTestId('candidate-saving').innerText()).trim();
    expect(candidateSaving).toBe(formatMoney(churn!.monthlySaving, churn!.currency));
    await tall('lifecycle-candidates.png', 1400);

    // Filter by that reason: the list and the count narrow to the candidates with it.
    const withReason = expected.filter((c) => c.reasons.some((r) => r.code === 'low-traffic-for-cost'));
    expect(withReason.length).toBeLessThan(expected.length);
    await page.getByTestId('lifecycle-filter-reason').selectOption('low-traffic-for-cost');
    await expect.poll(() => page.getByTestId('candidate-row').count()).toBe(withReason.length);
    expect(await page.getByTestId('lifecycle-count').innerText()).toMatch(new RegExp(`^${withReason.length} of ${expected.length} candidates`));
    expect(await candidateRow(MODEL, VERSION).count()).toBe(1);
    await page.getByTestId('lifecycle-filter-clear').click();
    await expect.poll(() => page.getByTestId('candidate-row').count()).toBe(expected.length);

    // In a 1280 px window the table fits its panel: the saving and the "Plan sunset" action are not cut off.
    await page.setViewportSize({ width: 1280, height: 800 });
    try {
      const fits = () => page.getByTestId('candidates-table').evaluate((table) => table.parentElement!.scrollWidth <= table.parentElement!.clientWidth);
      await expect.poll(fits).toBe(true);
      expect(await page.getByTestId('plan-sunset').first().isVisible()).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('plans the sunset: an invalid plan is refused under its field, the calculator agrees with the candidate', async () => {
    const { page } = harness;
    await candidateRow(MODEL, VERSION).getByTestId('plan-sunset').click();
    const form = page.getByTestId('sunset-form');
    await form.waitFor();
    expect(await page.getByTestId('sunset-form-reasons').innerText()).toContain('Low traffic for its cost');

    // Retirement before drain: refused under the retirement date, nothing proposed.
    await page.getByTestId('sunset-drain').fill(RETIRE);
    await page.getByTestId('sunset-retirement').fill(DRAIN);
    await page.getByTestId('sunset-owner').fill('Platform team (Jo Bloggs)');
    await page.getByTestId('sunset-retention').fill('Artefacts and prediction logs kept 7 years in cold storage, then deleted.');
    await page.getByTestId('sunset-rollback').fill('Redeploy the registered v3 artefact behind the same endpoint within one working day.');
    await page.getByTestId('sunset-propose').click();
    const retirementError = page.getByTestId('sunset-error-retirementDate');
    await retirementError.waitFor();
    expect(await retirementError.innerText()).toMatch(new RegExp(`retirement date \\(${DRAIN}\\) is before the drain date \\(${RETIRE}\\)`));
    expect(await page.getByTestId('sunset-retirement').getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toMatch(/#\/lifecycle\/new\?/);

    // Fixed: the message goes; the calculator's net saving is the candidate's monthly saving, formatted the same.
    await page.getByTestId('sunset-drain').fill(DRAIN);
    await page.getByTestId('sunset-retirement').fill(RETIRE);
    await expect.poll(() => retirementError.count()).toBe(0);
    await expect.poll(() => page.getByTestId('saving-net').innerText()).toBe(candidateSaving);
    expect(await page.getByTestId('saving-basis').innerText()).toMatch(/^Basis: .+2026-03-31\.$/);
    expect(await page.getByTestId('saving-year').innerText()).toMatch(/^\$[\d,]+\.\d\d$/);
    await tall('sunset-form.png', 1500);

    await page.getByTestId('sunset-propose').click();
    await page.getByTestId('sunset-page').waitFor();
    const match = /#\/lifecycle\/sunsets\/(\d+)$/.exec(page.url());
    expect(match).not.toBeNull();
    sunsetId = Number(match![1]);
    await expect.poll(() => page.getByTestId('sunset-state').innerText()).toMatch(/Proposed/);
    expect(await page.getByTestId('sunset-lifecycle').innerText()).toMatch(/Active/);
    expect(await page.getByTestId('sunset-net').innerText()).toContain(candidateSaving);
  });

  it('approves with a signed decision: a wrong passphrase is refused inline, then the version is deprecated', async () => {
    const { page } = harness;
    await page.getByTestId('sunset-action-approve').click();
    const dialog = page.getByTestId('sunset-decision-dialog');
    await dialog.waitFor();
    const keySelect = dialog.getByTestId('sunset-decision-key');
    await expect.poll(() => keySelect.locator('option', { hasText: 'Priya Raman' }).count()).toBe(1);
    const priya = await keySelect.locator('option', { hasText: 'Priya Raman' }).getAttribute('value');
    await keySelect.selectOption(priya!);
    await dialog.getByTestId('sunset-decision-rationale').fill('Sixteen times the peer cost per prediction for a stale model; the plan drains traffic before year end.');
    expect(await dialog.getByTestId('sunset-decision-sign').isDisabled()).toBe(true);

    const passphrase = dialog.getByTestId('sunset-decision-passphrase');
    await passphrase.fill('not the passphrase');
    await dialog.getByTestId('sunset-decision-sign').click();
    await dialog.getByTestId('sunset-decision-error').waitFor({ timeout: 30_000 });
    expect(await passphrase.inputValue()).toBe('');
    expect(await page.getByTestId('sunset-state').innerText()).toMatch(/Proposed/);
    await page.screenshot({ path: join(SCREENS, 'sunset-decision-dialog.png') });

    await passphrase.fill(DEMO_KEY_PASSPHRASE);
    await dialog.getByTestId('sunset-decision-sign').click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    // Read the state only once the page has reloaded it (the notice comes first).
    await expect.poll(() => page.getByTestId('sunset-state').innerText(), { timeout: 15_000 }).toMatch(/Approved/);
    await expect.poll(() => page.getByTestId('sunset-lifecycle').innerText()).toMatch(/Deprecated/);
    const decision = page.getByTestId('sunset-decision');
    expect(await decision.count()).toBe(1);
    expect(await decision.innerText()).toMatch(/Approved\s+by Priya Raman \(model-risk\)/);
    expect(await decision.getByTestId('sunset-decision-verified').innerText()).toMatch(/✓\s*Verified/);
    expect(await page.getByTestId('sunset-action-approve').count()).toBe(0);
    await tall('sunset-page.png', 1400);
  });

  it('exports the one-page summary and shows it in its folder', async () => {
    const { page } = harness;
    await page.getByTestId('sunset-export-button').click();
    const result = page.getByTestId('sunset-export-result');
    await result.waitFor({ timeout: 60_000 });
    const path = (await page.getByTestId('sunset-export-path').innerText()).trim();
    expect(path).toMatch(/\.pdf$/);
    expect(existsSync(path)).toBe(true);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await page.getByTestId('sunset-export-sha').innerText()).trim()).toBe(createHash('sha256').update(bytes).digest('hex'));
    await page.getByTestId('sunset-show-in-folder').click();
    await page.getByTestId('sunset-show-note').waitFor();
    expect(harness.shownItems).toEqual([path]);
  });

  it('no longer lists the version as a candidate, lists it as deprecated, and counts the saving on the Overview', async () => {
    const { page } = harness;
    const remaining = candidates();
    expect(remaining.some((c) => c.model === MODEL && c.version === VERSION)).toBe(false);

    await page.goto(`${harness.origin}/index.html#/lifecycle`);
    // The sunsets table only exists in the freshly loaded view: wait for it before reading the candidates.
    const sunsetRow = page.locator(`[data-testid="sunset-row"][data-model="${MODEL}"][data-version="${VERSION}"]`);
    await sunsetRow.waitFor();
    await expect.poll(() => page.getByTestId('candidate-row').count()).toBe(remaining.length);
    expect(await candidateRow(MODEL, VERSION).count()).toBe(0);
    expect(await sunsetRow.getAttribute('data-lifecycle')).toBe('deprecated');
    expect(await sunsetRow.getByTestId('sunset-row-state').innerText()).toMatch(/Approved/);
    expect(await sunsetRow.getByTestId('sunset-row-lifecycle').innerText()).toMatch(/Deprecated/);
    expect(await sunsetRow.innerText()).toContain('Priya Raman');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('lifecycle-sunsets').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENS, 'lifecycle-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    const stake = remaining.reduce((s, c) => s + c.monthlySaving, 0);
    await page.goto(`${harness.origin}/index.html#/overview`);
    const card = page.getByTestId('stat-savings');
    await expect.poll(() => card.getByTestId('stat-lifecycle-counts').innerText().catch(() => '')).toBe('1 deprecated, 0 retired');
    expect(await card.getByTestId('stat-savings-value').innerText()).toBe(formatMoney(stake, 'USD'));
    expect(await card.getByTestId('stat-savings-note').innerText()).toContain(`per month, from ${remaining.length} sunset candidates`);
    await expect.poll(() => card.getByTestId('stat-savings-decided').innerText().catch(() => '')).toBe(`Decided: ${candidateSaving} / month from 1 approved sunset`);
    await page.locator('.stat-grid').screenshot({ path: join(SCREENS, 'overview-savings.png') });
  });

  it('raises spend after a retirement date as an alarm on the Spend view', async () => {
    const { page } = harness;
    // A version retired in the past while its spend kept arriving (signed through the engine, as the CLI would).
    const deps = { store: harness.store, actor: 'e2e-tester', clock: systemClock };
    const { id } = proposeSunset(deps, {
      model: 'claims-triage-nlp',
      version: '3',
      plan: { replacement: null, drainDate: '2026-02-15', retirementDate: '2026-03-01', dataRetention: 'Kept 7 years.', rollback: 'Redeploy v3.', owner: 'Claims ML', sharedMonthly: 0, commitments: [] },
    });
    const tomas = harness.store.db.prepare("SELECT key_id AS keyId FROM reviewer_keys WHERE name = 'Tomás Ortega'").get() as { keyId: string } | undefined;
    expect(tomas).toBeDefined();
    decideSunset(deps, { sunsetId: id, kind: 'approve', rationale: 'Claims triage moved to the vendor service.', key: unlockLocalKey(defaultKeysDir(harness.store), tomas!.keyId, DEMO_KEY_PASSPHRASE) });

    await page.goto(`${harness.origin}/index.html#/spend`);
    const alarm = page.getByTestId('spend-retired-alarm');
    await alarm.waitFor();
    expect(await alarm.innerText()).toMatch(/Spend after retirement/);
    expect(await alarm.innerText()).toMatch(/claims-triage-nlp@3 retired 2026-03-01, still \$[\d,]+\.\d\d since 2026-03-\d\d/);
    const marked = page.locator('[data-testid="spend-row"][data-retired="true"]');
    await expect.poll(() => marked.count()).toBeGreaterThan(0);
    expect(await marked.first().innerText()).toMatch(/spend after retirement/);
    await expect.poll(() => page.getByText('Loading chart…').count()).toBe(0);
    await page.screenshot({ path: join(SCREENS, 'spend-retired-alarm.png') });
    await marked.first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENS, 'spend-retired-row.png') });
    expect(sunsetId).toBeGreaterThan(0);
  });
});
