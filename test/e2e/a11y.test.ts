import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { buildDemoWorkspace } from '../../electron/core/demo/buildDemo';
import { exportDemoPack } from '../../electron/core/demo/demoPack';
import { proposeSunset } from '../../electron/core/lifecycle/sunsets';
import { systemClock } from '../../electron/core/store/clock';
import { MODEL_TABS, modelHref, type ModelTab } from '../../renderer/src/router';
import { startHarness, type Harness } from '../support/harness';
import { fixedClock } from '../support/tempStore';
import { describeFocus, focusInfo, formatViolations, navViews, routedViews, seriousViolations, tabTo, type FocusInfo } from '../support/a11y';

/**
 * Accessibility (issue 10, item 7) in real Chromium over the demo workspace: axe (WCAG 2.0/2.1 A and
 * AA) on every view the router knows, with its dialogs and panels open, fails on any serious or
 * critical violation; and every nav item and each view's primary action is reached and used with the
 * keyboard alone, focus always visible, dialogs taking focus and giving it back on Escape.
 */
const MODEL = 'credit-default-pd';
const MODEL_VERSION = '2';
/** churn-propensity@3 is a sunset candidate in the demo: a proposed sunset of it awaits a decision. */
const SUNSET_MODEL = 'churn-propensity';
const SUNSET_VERSION = '3';
const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

let workDir: string;
let harness: Harness;
let approvedReviewId = 0;
let waitingReviewId = 0;
let sunsetId = 0;
let budgetId = 0;
let packFolder = '';

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'docket-e2e-a11y-'));
  const demo = await buildDemoWorkspace({ outDir: workDir, resourcesDir: resolve('resources'), clock: fixedClock(), actor: 'demo' });
  expect(demo.ok, demo.text).toBe(true);
  approvedReviewId = demo.reviews.approved.reviewId;
  const pack = await exportDemoPack({ dbPath: demo.machine.dbPath, resourcesDir: resolve('resources'), clock: fixedClock(), subject: { model: demo.reviews.approved.model, version: demo.reviews.approved.version }, signer: 'Priya Raman' });
  expect(pack.ok, pack.lines.join('\n')).toBe(true);
  packFolder = pack.folder;
  harness = await startHarness({ dbPath: demo.machine.dbPath, viewport: { width: 1280, height: 900 } });
  const db = harness.store.db;
  waitingReviewId = (db.prepare("SELECT r.id FROM reviews r JOIN model_versions v ON v.id = r.model_version_id JOIN models m ON m.id = v.model_id WHERE m.name = 'fraud-score-card-txn' AND v.version = '3'").get() as { id: number }).id;
  budgetId = (db.prepare('SELECT id FROM budgets ORDER BY id LIMIT 1').get() as { id: number }).id;
  sunsetId = proposeSunset(
    { store: harness.store, actor: 'e2e-tester', clock: systemClock },
    {
      model: SUNSET_MODEL,
      version: SUNSET_VERSION,
      plan: { replacement: null, drainDate: dayFromNow(20), retirementDate: dayFromNow(60), dataRetention: 'Kept 7 years in cold storage.', rollback: 'Redeploy the v3 artefact.', owner: 'Platform team', sharedMonthly: 0, commitments: [] },
    },
  ).id;
});
afterAll(async () => {
  await harness?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function go(hash: string, ready: string): Promise<Page> {
  const { page } = harness;
  // A fresh document each time (a hash-only goto would keep the last view's state and focus).
  await page.goto('about:blank');
  await page.goto(`${harness.origin}/index.html${hash}`);
  await page.getByTestId(ready).first().waitFor({ timeout: 20_000 });
  // Let lazy chunks, queries and charts settle: axe should judge the view, not its spinner.
  await waitIdle(page);
  return page;
}

async function waitIdle(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.loading, .spinner').count(), { timeout: 20_000 }).toBe(0);
}

/** What shows when each nav item's view has opened. */
const VIEW_READY: Record<string, string> = {
  overview: 'overview-view',
  models: 'models-view',
  reviews: 'reviews-view',
  spend: 'spend-view',
  budgets: 'budgets-view',
  lifecycle: 'lifecycle-view',
  audit: 'audit-view',
  sources: 'sources-view',
  settings: 'settings-view',
};

interface Scene {
  name: string;
  /** The router view this scene shows (Route['view']). */
  view: string;
  /** For the model page: which tab. */
  tab?: ModelTab;
  open(): Promise<void>;
}

const SCENES: Scene[] = [
  { name: 'Overview', view: 'overview', open: async () => void (await go('#/overview', 'overview-view')) },
  { name: 'Models list', view: 'models', open: async () => void (await go('#/models', 'model-row')) },
  ...MODEL_TABS.map<Scene>((tab) => ({ name: `Model page, ${tab} tab`, view: 'model', tab, open: async () => void (await go(modelHref(MODEL, MODEL_VERSION, tab), `tabpanel-${tab}`)) })),
  { name: 'Reviews inbox', view: 'reviews', open: async () => void (await go('#/reviews', 'review-row')) },
  {
    name: 'Reviews inbox, open-review form',
    view: 'reviews',
    open: async () => {
      const page = await go('#/reviews', 'review-row');
      await page.getByTestId('open-review-toggle').click();
      await page.getByTestId('open-review-form').waitFor();
    },
  },
  { name: 'Review page (in review)', view: 'review', open: async () => void (await go(`#/reviews/${waitingReviewId}`, 'review-page-state')) },
  {
    name: 'Review page, decision dialog',
    view: 'review',
    open: async () => {
      const page = await go(`#/reviews/${waitingReviewId}`, 'review-page-state');
      await page.getByTestId('action-request-changes').click();
      await page.getByTestId('decision-dialog').waitFor();
      await waitIdle(page);
    },
  },
  {
    name: 'Review page (approved), export pack panel',
    view: 'review',
    open: async () => {
      const page = await go(`#/reviews/${approvedReviewId}`, 'review-page-state');
      await page.getByTestId('export-pack-button').click();
      await page.getByTestId('pack-preview').waitFor({ timeout: 30_000 });
    },
  },
  { name: 'Spend', view: 'spend', open: async () => void (await go('#/spend', 'spend-chart')) },
  { name: 'Budgets list', view: 'budgets', open: async () => void (await go('#/budgets', 'budget-row')) },
  {
    name: 'Budgets, export report panel',
    view: 'budgets',
    open: async () => {
      const page = await go('#/budgets', 'budget-row');
      await page.getByTestId('budgets-export').click();
      await page.getByTestId('export-report-panel').waitFor();
      await waitIdle(page);
    },
  },
  { name: 'Budget detail', view: 'budget', open: async () => void (await go(`#/budgets/${budgetId}`, 'budget-headline')) },
  {
    name: 'Budget detail, edit form',
    view: 'budget',
    open: async () => {
      const page = await go(`#/budgets/${budgetId}`, 'budget-headline');
      await page.getByTestId('budget-edit').click();
      await page.getByTestId('budget-form').waitFor();
    },
  },
  { name: 'New budget form', view: 'budgetNew', open: async () => void (await go('#/budgets/new', 'budget-form')) },
  { name: 'Spend anomalies', view: 'anomalies', open: async () => void (await go('#/budgets/anomalies', 'anomaly')) },
  { name: 'Lifecycle', view: 'lifecycle', open: async () => void (await go('#/lifecycle', 'candidate-row')) },
  { name: 'Sunset page (proposed)', view: 'sunset', open: async () => void (await go(`#/lifecycle/sunsets/${sunsetId}`, 'sunset-plan')) },
  {
    name: 'Sunset page, decision dialog',
    view: 'sunset',
    open: async () => {
      const page = await go(`#/lifecycle/sunsets/${sunsetId}`, 'sunset-plan');
      await page.getByTestId('sunset-action-approve').click();
      await page.getByTestId('sunset-decision-dialog').waitFor();
      await waitIdle(page);
    },
  },
  { name: 'New sunset form', view: 'sunsetNew', open: async () => void (await go(`#/lifecycle/new?model=${encodeURIComponent(MODEL)}&version=${MODEL_VERSION}`, 'sunset-form')) },
  { name: 'Audit log', view: 'audit', open: async () => void (await go('#/audit', 'audit-row')) },
  {
    name: 'Audit log, export panel',
    view: 'audit',
    open: async () => {
      const page = await go('#/audit', 'audit-row');
      await page.getByTestId('audit-export-open').click();
      await page.getByTestId('audit-export-panel').waitFor();
    },
  },
  { name: 'Sources', view: 'sources', open: async () => void (await go('#/sources', 'sources-view')) },
  { name: 'Settings', view: 'settings', open: async () => void (await go('#/settings', 'key-row')) },
  {
    name: 'Settings, generate-key form',
    view: 'settings',
    open: async () => {
      const page = await go('#/settings', 'key-row');
      await page.getByTestId('key-generate-toggle').click();
      await page.getByLabel('Passphrase again').waitFor();
    },
  },
  { name: 'Verify a pack (nothing opened)', view: 'verify', open: async () => void (await go('#/verify', 'verify-empty')) },
  {
    name: 'Verify a pack, verdict',
    view: 'verify',
    open: async () => {
      const page = await go('#/verify', 'verify-empty');
      harness.pickPaths([packFolder]);
      await page.getByTestId('verify-open').click();
      await page.getByTestId('verify-result').waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'Notifications open',
    view: 'overview',
    open: async () => {
      const page = await go('#/overview', 'overview-view');
      await page.getByTestId('notification-bell').click();
      await page.getByTestId('notification-list').waitFor();
      await expect.poll(() => page.getByTestId('notification-list').innerText()).not.toMatch(/Loading/);
    },
  },
  { name: 'Page not found', view: 'notFound', open: async () => void (await go('#/no-such-page', 'not-found')) },
];

describe('accessibility: axe on every view', () => {
  it('covers every view the router knows, every model tab and every nav item', () => {
    expect([...new Set(SCENES.map((s) => s.view))].sort()).toEqual(routedViews());
    expect([...new Set(SCENES.filter((s) => s.view === 'model').map((s) => s.tab))].sort()).toEqual([...MODEL_TABS].sort());
    for (const view of navViews()) expect(SCENES.some((s) => s.view === view), `nav item ${view} has a scene`).toBe(true);
  });

  // Each scene is judged as it stands in the light theme and again in the dark one (same page, the
  // colour scheme switched), so both palettes' contrast is checked.
  for (const scene of SCENES) {
    it(`${scene.name}: no serious or critical violations, light or dark`, async () => {
      const { page } = harness;
      await page.emulateMedia({ colorScheme: 'light' });
      await scene.open();
      const light = await seriousViolations(page);
      await page.emulateMedia({ colorScheme: 'dark' });
      const dark = await seriousViolations(page);
      await page.emulateMedia({ colorScheme: 'light' });
      const report = [light.length > 0 ? formatViolations(`${scene.name} (light theme)`, light) : '', dark.length > 0 ? formatViolations(`${scene.name} (dark theme)`, dark) : ''].filter(Boolean).join('\n');
      if (report) expect.fail(report);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// The keyboard alone: Tab, Shift+Tab, Enter, Space, Escape and the arrow keys of composite widgets.

/** Every element focus landed on while tabbing, for the focus-indicator check at the end of each test. */
let landed: FocusInfo[] = [];

/** Opens a view fresh, as if just navigated to, with nothing focused. */
async function start(hash: string, ready: string): Promise<Page> {
  const page = await go(hash, ready);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  return page;
}

/** The view just navigated to, loaded afresh: focus starts again at the top of the document. */
async function restart(ready: string): Promise<Page> {
  return start(new URL(harness.page.url()).hash, ready);
}

/** Tab (from wherever focus is) until `selector` has focus; remembers where focus went on the way. */
async function tab(selector: string, options: { limit?: number; backwards?: boolean } = {}): Promise<void> {
  landed.push(...(await tabTo(harness.page, selector, { limit: 150, ...options })));
}

/** From the top of the page: the skip link first, Enter on it, then Tab into the view to `selector`. */
async function skipThenTab(selector: string): Promise<void> {
  const { page } = harness;
  await tab('a.skip-link', { limit: 1 });
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  await tab(selector);
}

const focusedTestId = () => harness.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
const focusInside = (selector: string) => harness.page.evaluate((s) => document.querySelector(s)?.contains(document.activeElement) ?? false, selector);

/** A dialog opened from the focused control with `key`: focus moves into it, Escape closes it, focus returns. */
async function dialogRoundTrip(dialog: string, key: 'Enter' | ' ' = 'Enter'): Promise<void> {
  const { page } = harness;
  const opener = await focusedTestId();
  expect(opener, 'the opener is a control with a test id').not.toBeNull();
  await page.keyboard.press(key === ' ' ? 'Space' : key);
  await page.getByTestId(dialog).waitFor();
  await expect.poll(() => focusInside(`[data-testid="${dialog}"]`), { message: `focus moves into ${dialog}` }).toBe(true);
  // Tab stays inside a modal dialog.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    landed.push(...[await focusInfo(page)].filter((f): f is FocusInfo => f !== null));
    expect(await focusInside(`[data-testid="${dialog}"]`), `Tab ${i + 1} stays inside ${dialog}`).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId(dialog).count(), { message: `Escape closes ${dialog}` }).toBe(0);
  await expect.poll(focusedTestId, { message: `focus returns to ${opener}` }).toBe(opener);
}

describe('accessibility: every action by keyboard', () => {
  beforeAll(async () => harness.page.emulateMedia({ colorScheme: 'light' }));
  beforeEach(() => {
    landed = [];
  });
  afterEach(({ task }) => {
    // Every element focus landed on showed where it was.
    if (task.result?.state === 'fail') return;
    const hidden = landed.filter((f) => !f.visible);
    if (hidden.length > 0) expect.fail(`focus was not visible on:\n${hidden.map((f) => `  ${describeFocus(f)}`).join('\n')}`);
  });

  it('starts with a visible skip link that moves focus to the main content', async () => {
    const page = await start('#/overview', 'overview-view');
    await page.keyboard.press('Tab');
    const skip = await focusInfo(page);
    expect(skip?.text).toBe('Skip to content');
    landed.push(skip!);
    const box = await page.locator('a.skip-link').boundingBox();
    expect(box && box.y >= 0 && box.height > 0, 'the focused skip link is on screen').toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // The next Tab goes into the view, not back through the sidebar.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
  });

  it('opens every nav item with Tab and Enter, and walks back with Shift+Tab', async () => {
    const page = await start('#/overview', 'overview-view');
    const views = navViews();
    expect(Object.keys(VIEW_READY).sort(), 'each nav item says what its view shows when open').toEqual([...views].sort());
    for (const view of views) {
      await tab(`[data-testid="nav-${view}"]`);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/${view}`);
      await expect.poll(() => page.getByTestId(`nav-${view}`).getAttribute('aria-current')).toBe('page');
      await page.getByTestId(VIEW_READY[view]!).first().waitFor();
    }
    // And back up the list.
    for (const view of [...views].reverse().slice(1)) await tab(`[data-testid="nav-${view}"]`, { backwards: true });
    expect(await focusedTestId()).toBe(`nav-${views[0]}`);
  });

  it('Overview: its cards link on to the views they summarise', async () => {
    const page = await start('#/overview', 'overview-view');
    await skipThenTab('a.stat-link[href="#/reviews"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('reviews-view').waitFor();
  });

  it('Models: the grid takes arrows and Enter; the model page tabs take arrows, Home and End', async () => {
    const page = await start('#/models', 'model-row');
    await skipThenTab('[data-testid="model-list"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('model-detail').waitFor();
    await restart('tab-card');
    await skipThenTab('[data-testid="tab-card"]');
    for (const tabKey of MODEL_TABS.slice(1)) {
      await page.keyboard.press('ArrowRight');
      expect(await focusedTestId()).toBe(`tab-${tabKey}`);
      await page.getByTestId(`tabpanel-${tabKey}`).waitFor();
      expect(await page.getByTestId(`tab-${tabKey}`).getAttribute('aria-selected')).toBe('true');
    }
    await page.keyboard.press('Home');
    expect(await focusedTestId()).toBe('tab-card');
    await page.keyboard.press('End');
    expect(await focusedTestId()).toBe(`tab-${MODEL_TABS[MODEL_TABS.length - 1]}`);
    // Tab leaves the tab list for the panel.
    await page.keyboard.press('Tab');
    expect(await focusedTestId()).toBe(`tabpanel-${MODEL_TABS[MODEL_TABS.length - 1]}`);
  });

  it('Model page, lineage: a node is a button reached with Tab and opened with Enter', async () => {
    const page = await start(modelHref(MODEL, MODEL_VERSION, 'lineage'), 'lineage-graph');
    await skipThenTab('g.lg-node');
    await page.keyboard.press('Enter');
    await page.getByTestId('lineage-node-panel').waitFor();
  });

  it('Reviews: the open-review form toggles with Enter; a review opens from its row', async () => {
    const page = await start('#/reviews', 'review-row');
    await skipThenTab('[data-testid="open-review-toggle"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('open-review-form').waitFor();
    expect(await page.getByTestId('open-review-toggle').getAttribute('aria-expanded')).toBe('true');
    await tab('[data-testid="open-review-model"]');
    await tab(`[data-testid="review-row"][data-review-id="${waitingReviewId}"] a.review-link`);
    await page.keyboard.press('Enter');
    await page.getByTestId('review-page-state').waitFor();
  });

  it('Review page: the decision dialog and the audit pack dialog open, trap focus, close on Escape', async () => {
    await start(`#/reviews/${waitingReviewId}`, 'review-page-state');
    await skipThenTab('[data-testid="export-pack-button"]');
    await dialogRoundTrip('export-pack-panel');
    await tab('[data-testid="action-request-changes"]');
    await dialogRoundTrip('decision-dialog');
  });

  it('Spend: a row shows its line items by keyboard; Close gives focus back to the row', async () => {
    const page = await start('#/spend', 'spend-chart');
    await skipThenTab('[data-testid="spend-import-button"]');
    await tab('[data-testid="spend-row-drill"]');
    const key = await page.evaluate(() => document.activeElement?.getAttribute('data-drill-key'));
    await page.keyboard.press('Enter');
    await page.getByTestId('spend-line-items').waitFor();
    await expect.poll(focusedTestId).toBe('spend-line-items');
    await expect.poll(() => page.getByTestId('spend-line-item').count()).toBeGreaterThan(0);
    await tab('button[aria-label="Close line items"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('spend-line-items').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-drill-key'))).toBe(key);
  });

  it('Budgets: export dialog, new budget, a budget and its edit form, all by keyboard', async () => {
    const page = await start('#/budgets', 'budget-row');
    await skipThenTab('[data-testid="budgets-export"]');
    await dialogRoundTrip('export-report-panel');
    await tab('[data-testid="budget-new"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('budget-form').waitFor();
    await start('#/budgets', 'budget-row');
    await skipThenTab('[data-testid="budget-link"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('budget-headline').waitFor();
    await restart('budget-headline');
    await skipThenTab('[data-testid="budget-edit"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('budget-form').waitFor();
  });

  it('Spend anomalies: a verdict is given with Space and shows as pressed', async () => {
    const page = await start('#/budgets/anomalies', 'anomaly');
    await skipThenTab('[data-testid="anomaly-verdict-expected"]');
    const id = await page.evaluate(() => document.activeElement?.closest('[data-testid="anomaly"]')?.getAttribute('data-anomaly-id'));
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator(`[data-testid="anomaly"][data-anomaly-id="${id}"] [data-testid="anomaly-verdict-expected"]`).getAttribute('aria-pressed')).toBe('true');
  });

  it('Lifecycle: plan a sunset from a candidate; the sunset decision dialog opens and closes', async () => {
    const page = await start('#/lifecycle', 'candidate-row');
    await skipThenTab('[data-testid="plan-sunset"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('sunset-form').waitFor();
    await start(`#/lifecycle/sunsets/${sunsetId}`, 'sunset-plan');
    await skipThenTab('[data-testid="sunset-action-approve"]');
    await dialogRoundTrip('sunset-decision-dialog');
  });

  it('Audit log: verify the chain and open the export form', async () => {
    const page = await start('#/audit', 'audit-row');
    await skipThenTab('[data-testid="audit-export-open"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('audit-export-panel').waitFor();
    expect(await page.getByTestId('audit-export-open').getAttribute('aria-expanded')).toBe('true');
    await tab('[data-testid="verify-chain"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('audit-verify-result').waitFor();
  });

  it('Sources: the MLflow form is typed into and its buttons reached', async () => {
    const page = await start('#/sources', 'sources-view');
    await skipThenTab('[data-testid="mlflow-url"]');
    await page.keyboard.type('http://127.0.0.1:9/');
    await tab('[data-testid="mlflow-test"]');
    expect(await page.getByTestId('mlflow-test').isEnabled()).toBe(true);
    await tab('[data-testid="mlflow-sync"]');
  });

  it('Settings: the generate-key form opens with Space and its fields are reached', async () => {
    const page = await start('#/settings', 'key-row');
    await skipThenTab('[data-testid="key-generate-toggle"]');
    await page.keyboard.press('Space');
    await page.getByLabel('Passphrase again').waitFor();
    // Typed field by field: the submit button is enabled once the form is complete.
    for (const [field, text] of [['key-name', 'Kim Keyboard'], ['key-role', 'model-risk'], ['key-pass1', 'keyboard passphrase'], ['key-pass2', 'keyboard passphrase']] as const) {
      await tab(`[data-testid="${field}"]`);
      await page.keyboard.type(text);
    }
    await tab('[data-testid="key-generate-submit"]');
  });

  it('Verify: a pack is opened and verified by keyboard', async () => {
    const page = await start('#/verify', 'verify-empty');
    harness.pickPaths([packFolder]);
    await skipThenTab('[data-testid="verify-open"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('verify-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('verify-verdict').innerText()).toMatch(/Verified/);
  });

  it('Notifications: the bell opens its list with Enter; Escape closes it and focus returns to the bell', async () => {
    const page = await start('#/overview', 'overview-view');
    await tab('[data-testid="notification-bell"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('notification-list').waitFor();
    expect(await page.getByTestId('notification-bell').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('notification-list').count()).toBe(0);
    expect(await focusedTestId()).toBe('notification-bell');
  });

  it('Page not found: a link leads back to the Overview', async () => {
    const page = await start('#/no-such-page', 'not-found');
    await skipThenTab('main a[href="#/overview"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('overview-view').waitFor();
  });
});
