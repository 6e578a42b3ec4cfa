import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDemoWorkspace } from '../../electron/core/demo/buildDemo';
import { importUserPolicyPack } from '../../electron/core/reviews/activePolicy';
import { startHarness, type Harness } from '../support/harness';
import { fixedClock } from '../support/tempStore';

/**
 * The review flow in real Chromium over the demo workspace: open a review, see fairness fail, request
 * changes with a key generated in Settings, import a better evaluation, see the diff and the rule pass,
 * approve, and find the decision in the audit log.
 *
 * The pack is a small test pack so the checklist is deterministic: one fairness rule (the default
 * pack's high-tier thresholds, no freshness rule) and one approval. credit-default-pd's v2 evaluation
 * fails it (disparate impact 0.74, equalized odds 0.20) and its v3 evaluation passes (0.86, 0.06).
 */
const TEST_PACK = `
name: E2E review pack
version: "e2e.1"
tiering:
  tagKeys: [risk-tier]
  default: high
riskTiers:
  high:
    title: High risk
    rules:
      - id: e2e.fairness
        kind: fairness
        title: Group disparities within thresholds
        controls: [DKT-FAIR-01]
        minGroupCount: 30
        minGroupShare: 0.02
        thresholds:
          - measure: disparate_impact_ratio
            comparison: ">="
            bound: 0.8
            basis: The four-fifths rule, as an organisational screen.
          - measure: demographic_parity_difference
            comparison: "<="
            bound: 0.1
            basis: Organisational threshold.
          - measure: equalized_odds_difference
            comparison: "<="
            bound: 0.1
            basis: Organisational threshold.
      - id: e2e.approvals
        kind: approvals
        title: One approval from someone other than the author
        controls: [DKT-GOV-03]
        minApprovers: 1
        authorMayNotApprove: true
`;

const SCREENS = resolve('test-results/screens');
const PASSPHRASE = 'correct horse battery staple';
let workDir: string;
let harness: Harness;

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  workDir = mkdtempSync(join(tmpdir(), 'docket-e2e-reviews-'));
  const demo = await buildDemoWorkspace({ outDir: workDir, resourcesDir: resolve('resources'), clock: fixedClock(), actor: 'demo' });
  expect(demo.ok, demo.text).toBe(true);
  harness = await startHarness({ dbPath: demo.machine.dbPath, viewport: { width: 1280, height: 900 } });
  const packPath = join(workDir, 'e2e-pack.yaml');
  writeFileSync(packPath, TEST_PACK);
  const pack = importUserPolicyPack(harness.store, packPath, { resourcesDir: resolve('resources'), actor: 'e2e-tester', at: new Date().toISOString() });
  expect(pack.active).toBe(true);
});
afterAll(async () => {
  await harness?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function tall(path: string, height = 2000) {
  await harness.page.setViewportSize({ width: 1280, height });
  await harness.page.screenshot({ path: join(SCREENS, path) });
  await harness.page.setViewportSize({ width: 1280, height: 900 });
}

async function sign(kind: 'request-changes' | 'approve', keyId: string, rationale: string, screenshot?: string) {
  const { page } = harness;
  await page.getByTestId(`action-${kind}`).click();
  const dialog = page.getByTestId('decision-dialog');
  await dialog.waitFor();
  await dialog.getByLabel('Sign as').selectOption(keyId);
  await dialog.getByLabel(/Rationale/).fill(rationale);
  await expect.poll(() => dialog.getByTestId('decision-summary').count(), { timeout: 10_000 }).toBe(1);
  expect(await dialog.getByTestId('decision-summary').innerText()).toMatch(/credit-default-pd@2/);
  if (screenshot) await page.screenshot({ path: join(SCREENS, screenshot) });

  // A wrong passphrase is refused inline and nothing is recorded.
  const passphrase = dialog.getByLabel(/Passphrase for/);
  await passphrase.fill('not the passphrase');
  await dialog.getByTestId('decision-sign').click();
  await dialog.getByTestId('decision-error').waitFor();
  expect(await passphrase.inputValue()).toBe('');

  await passphrase.fill(PASSPHRASE);
  await dialog.getByTestId('decision-sign').click();
  await dialog.waitFor({ state: 'detached', timeout: 15_000 });
  await page.getByTestId('review-notice').waitFor();
}

describe('release review in Chromium', () => {
  let reviewId = 0;
  let keyId = '';

  it('generates a reviewer key in Settings', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/settings`);
    await page.getByTestId('settings-view').waitFor();
    await page.getByTestId('key-generate-toggle').click();
    await page.getByLabel('Name').fill('Rita Okafor');
    await page.getByLabel('Review role').fill('model-risk');
    await page.getByLabel('Passphrase (8+ characters)').fill(PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(PASSPHRASE);
    await page.getByTestId('key-generate-submit').click();
    await page.getByTestId('keys-notice').waitFor();
    const row = harness.store.db.prepare("SELECT key_id FROM reviewer_keys WHERE name = 'Rita Okafor'").get() as { key_id: string } | undefined;
    expect(row).toBeDefined();
    keyId = row!.key_id;
    const keyRow = page.locator(`[data-testid="key-row"][data-key-id="${keyId}"]`);
    expect(await keyRow.innerText()).toMatch(/Trusted[\s\S]*can sign here/);
    // The test pack is the active one.
    expect(await page.locator('[data-testid="policy-row"][data-active="true"]').innerText()).toMatch(/E2E review pack/);
    await tall('review-settings.png', 1100);
  });

  it('opens a review from the inbox and shows the fairness rule failing', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/reviews`);
    await page.getByTestId('reviews-table').waitFor();
    // The demo's reviews are listed with their due dates.
    expect(await page.getByTestId('reviews-table').innerText()).toMatch(/(due in \d+ days?|overdue by \d+ days?|due today)/);
    await page.screenshot({ path: join(SCREENS, 'review-inbox.png') });

    await page.getByTestId('open-review-toggle').click();
    await page.getByTestId('open-review-model').selectOption('credit-default-pd');
    await expect.poll(() => page.getByTestId('open-review-version').locator('option[value="2"]').count()).toBe(1);
    await page.getByTestId('open-review-version').selectOption('2');
    await page.getByLabel('Assignees', { exact: true }).fill('e2e-tester');
    await page.getByTestId('open-review-submit').click();
    await page.waitForURL(/#\/reviews\/\d+$/);
    reviewId = Number(/#\/reviews\/(\d+)$/.exec(page.url())![1]);

    const verdict = page.getByTestId('review-verdict');
    await verdict.waitFor();
    expect(await verdict.innerText()).toMatch(/Blocked by 1 rule: Group disparities within thresholds/);
    const rule = page.locator('[data-testid="rule"][data-rule-id="e2e.fairness"]');
    expect(await rule.getAttribute('data-status')).toBe('fail');
    expect(await rule.innerText()).toMatch(/Fail[\s\S]*disparate_impact_ratio[\s\S]*DKT-FAIR-01/);
    expect(await rule.locator('a').first().getAttribute('href')).toBe('#/models/credit-default-pd@2/fairness');
    // Approve is offered (the state allows it) but its preview names the blocker.
    await tall('review-page-failing.png');

    // It shows in Mine: it is assigned to this workspace's user.
    await page.goto(`${harness.origin}/index.html#/reviews`);
    await page.getByRole('tab', { name: 'Mine' }).click();
    await expect.poll(() => page.locator(`[data-testid="review-row"][data-review-id="${reviewId}"]`).count()).toBe(1);
  });

  it('shows the blocker in the approve dialog, then requests changes with a signed decision', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/reviews/${reviewId}`);
    await page.getByTestId('review-verdict').waitFor();

    await page.getByTestId('action-approve').click();
    const dialog = page.getByTestId('decision-dialog');
    await dialog.getByLabel('Sign as').selectOption(keyId);
    await dialog.getByLabel(/Rationale/).fill('Looks fine to me.');
    await dialog.getByTestId('decision-blockers').waitFor({ timeout: 10_000 });
    expect(await dialog.getByTestId('decision-blockers').innerText()).toMatch(/e2e\.fairness/);
    expect(await dialog.getByTestId('decision-sign').isDisabled()).toBe(true);
    expect(await dialog.getByTestId('decision-why').innerText()).toMatch(/blocked/i);
    await page.screenshot({ path: join(SCREENS, 'review-dialog-blocked.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await sign('request-changes', keyId, 'Disparate impact 0.74 and equalized odds 0.20 are outside the thresholds: re-evaluate on the 2026 Q2 holdout.', 'review-dialog-preview.png');
    // The notice shows before the page has reloaded the review: wait for the new state.
    await expect.poll(() => page.getByTestId('review-page-state').innerText(), { timeout: 10_000 }).toMatch(/Changes requested/);
    const decision = page.getByTestId('decision').first();
    await expect.poll(() => decision.innerText(), { timeout: 10_000 }).toMatch(/Requested changes[\s\S]*Rita Okafor[\s\S]*model-risk[\s\S]*Verified/);
  });

  it('after a new fairness evaluation, shows the fairness diff and the rule passing, then approves', async () => {
    const { page } = harness;
    // Import the improved evaluation for version 2 through the model's fairness tab.
    await page.goto(`${harness.origin}/index.html#/models/credit-default-pd@2/fairness`);
    await page.getByTestId('fairness-tab').waitFor();
    const count = () => (harness.store.db.prepare("SELECT count(*) AS n FROM fairness_evaluations").get() as { n: number }).n;
    const before = count();
    harness.pickPaths([resolve('resources/demo/fairness/credit-default-pd-v3.confusion.csv')]);
    await page.getByTestId('fairness-import-button').click();
    await expect.poll(count, { timeout: 10_000 }).toBe(before + 1);

    await page.goto(`${harness.origin}/index.html#/reviews/${reviewId}`);
    const verdict = page.getByTestId('review-verdict');
    await verdict.waitFor();
    await expect.poll(() => verdict.innerText()).toMatch(/Ready to approve — awaiting 1 more approval/);
    expect(await page.locator('[data-testid="rule"][data-rule-id="e2e.fairness"]').getAttribute('data-status')).toBe('pass');
    const diff = page.getByTestId('review-diff');
    expect(await diff.innerText()).toMatch(/since Rita Okafor chose "request-changes"/);
    const fairnessDiff = diff.locator('[data-testid="diff-section"][data-section="fairness"]');
    expect(await fairnessDiff.count()).toBe(1);
    expect(await fairnessDiff.innerText()).toMatch(/added/);
    // The earlier decision was signed over other evidence.
    expect(await page.getByTestId('decision').first().innerText()).toMatch(/earlier evidence/);
    await tall('review-page-passing.png', 2200);

    // Comments are unsigned notes on the review.
    await page.getByLabel('Add a comment').fill('Thanks, the Q2 holdout numbers look right.');
    await page.getByTestId('comment-submit').click();
    await expect.poll(() => page.getByTestId('comment').count()).toBe(1);
    expect(await page.getByTestId('comment').innerText()).toMatch(/e2e-tester[\s\S]*Q2 holdout numbers/);

    await sign('approve', keyId, 'The 2026 Q2 evaluation is within every threshold.');
    await expect.poll(() => page.getByTestId('review-page-state').innerText(), { timeout: 10_000 }).toMatch(/Approved/);
    await expect.poll(() => verdict.locator('.review-verdict-headline').innerText()).toBe('Approved');
    expect(await page.locator('[data-testid="action-approve"]').count()).toBe(0);
    const approvals = page.locator('[data-testid="decision"][data-kind="approve"]');
    expect(await approvals.innerText()).toMatch(/Approved[\s\S]*Rita Okafor[\s\S]*Verified/);
    await tall('review-approved.png', 2200);
    await page.emulateMedia({ colorScheme: 'dark' });
    await tall('review-approved-dark.png', 1400);
    await page.emulateMedia({ colorScheme: 'light' });

    const stored = harness.store.db.prepare('SELECT state FROM reviews WHERE id = ?').get(reviewId) as { state: string };
    expect(stored.state).toBe('approved');
  });

  it('lists the decision in the Audit log view', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/audit`);
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    await expect.poll(() => table.innerText()).toMatch(/decision\.approve/);
    expect(await table.innerText()).toMatch(/decision\.request-changes/);
    expect(await table.innerText()).toMatch(new RegExp(`review:${reviewId}`));
    // The approval's row is marked verified: its signature checks against the keyring.
    await expect.poll(() => table.innerText()).toMatch(/decision\.approve[^\n]*\n[^\n]*\n\s*✓\s*signed by Rita Okafor, verified/);
    await page.screenshot({ path: join(SCREENS, 'review-audit.png') });
  });

  it('counts the open reviews on the Overview', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/overview`);
    const stat = page.getByTestId('stat-reviews');
    const open = (harness.store.db.prepare("SELECT count(*) AS n FROM reviews WHERE state IN ('draft', 'in_review', 'changes_requested')").get() as { n: number }).n;
    await expect.poll(() => stat.locator('.stat-value').innerText()).toBe(String(open));
    expect(await stat.getByRole('link').getAttribute('href')).toBe('#/reviews');
    await page.screenshot({ path: join(SCREENS, 'review-overview.png') });
  });
});
