import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildDemoWorkspace } from '../../electron/core/demo/buildDemo';
import { decide, openReview, type ReviewDeps } from '../../electron/core/reviews/reviews';
import { keyStatusAt, keyringResolver } from '../../electron/core/signing/keyring';
import { generateLocalKey, unlockLocalKey } from '../../electron/core/signing/localKeys';
import { verifyAuditExport } from '../../electron/core/store/auditExport';
import { startHarness, type Harness } from '../support/harness';
import { fixedClock } from '../support/tempStore';

const SCREENS = resolve('test-results/screens');
const PASSPHRASE = 'correct horse battery';
let workDir: string;
let harness: Harness;
let dbPath: string;
let adaKeyId: string;

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  workDir = mkdtempSync(join(tmpdir(), 'docket-e2e-audit-'));
  const demo = await buildDemoWorkspace({ outDir: workDir, resourcesDir: resolve('resources'), clock: fixedClock(), actor: 'demo' });
  expect(demo.ok, demo.text).toBe(true);
  dbPath = demo.machine.dbPath;
  harness = await startHarness({ dbPath, viewport: { width: 1440, height: 900 } });

  // Two reviewers with workspace keys (as the app's Settings would make them) sign a decision each.
  const { db } = harness.store;
  const keysDir = join(dirname(dbPath), 'keys');
  const at = new Date().toISOString();
  const ada = generateLocalKey(db, keysDir, { name: 'Ada Lovelace', role: 'ml-lead' }, PASSPHRASE, { actor: 'admin', at });
  adaKeyId = ada.keyId;
  const grace = generateLocalKey(db, keysDir, { name: 'Grace Hopper', role: 'model-risk' }, PASSPHRASE, { actor: 'admin', at });
  const versions = db.prepare('SELECT m.name, mv.version FROM model_versions mv JOIN models m ON m.id = mv.model_id ORDER BY m.name, mv.id LIMIT 2').all() as { name: string; version: string }[];
  const deps: ReviewDeps = { store: harness.store, resourcesDir: resolve('resources'), actor: 'e2e-tester', clock: () => new Date() };
  for (const [i, v] of versions.entries()) {
    const key = i === 0 ? ada : grace;
    const reviewId = openReview(deps, { model: v.name, version: v.version });
    await decide(deps, { reviewId, kind: 'request-changes', rationale: `Needs an out-of-scope section (${key.name}).`, key: unlockLocalKey(keysDir, key.keyId, PASSPHRASE) });
  }
});
afterAll(async () => {
  await harness?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('audit log view in Chromium', () => {
  it('verifies on arrival, filters to decisions and shows each signer verified, searches', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/index.html#/audit`);
    await page.getByTestId('audit-verify-panel').waitFor();
    const decisions = (harness.store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'decision.%'").get() as { n: number }).n;
    expect(decisions).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('audit-verify-result').innerText()).toMatch(new RegExp(`Chain intact: [\\d,]+ entries, ${decisions} signed decisions verified`));
    const checks = page.getByTestId('audit-check');
    expect(await checks.count()).toBe(6); // chain, sequence, decision signatures, decisions vs log, signed heads, sunset decisions
    expect(await page.locator('[data-testid="audit-check"][data-ok="false"]').count()).toBe(0);
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(10);
    await page.screenshot({ path: join(SCREENS, 'audit-log.png') });

    await page.getByTestId('audit-category').selectOption('decision.');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(decisions);
    const statuses = (await page.getByTestId('audit-row-status').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
    expect(statuses.slice(0, 2)).toEqual(['✓ signed by Grace Hopper, verified', '✓ signed by Ada Lovelace, verified']);
    expect(statuses.every((s) => /^✓ signed by .+, verified$/.test(s))).toBe(true);
    expect(await page.getByTestId('audit-count').innerText()).toMatch(new RegExp(`Showing 1–${decisions} of ${decisions} matching entries`));
    await page.screenshot({ path: join(SCREENS, 'audit-decisions.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SCREENS, 'audit-decisions-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByTestId('audit-search').fill('Grace');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    await page.getByTestId('audit-clear').first().click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(10);
  });

  it('exports a range signed with a workspace key, and the export verifies', async () => {
    const { page } = harness;
    await page.getByTestId('audit-export-open').click();
    await page.getByTestId('audit-export-panel').waitFor();
    await page.getByTestId('audit-export-from').fill('1');
    await page.getByTestId('audit-export-key').selectOption(adaKeyId);
    await page.getByTestId('audit-export-passphrase').fill(PASSPHRASE);
    await page.screenshot({ path: join(SCREENS, 'audit-export-panel.png') });
    await page.getByTestId('audit-export-submit').click();
    const result = page.getByTestId('audit-export-result');
    await result.waitFor({ timeout: 20_000 }).catch(async (err: unknown) => {
      await page.screenshot({ path: join(SCREENS, 'audit-export-failed.png') });
      throw err;
    });
    const text = await result.innerText();
    expect(text).toMatch(/Exported entries 1 to \d+/);
    const jsonlPath = /(\S+\.jsonl)\n/.exec(text)![1]!;
    expect(existsSync(jsonlPath)).toBe(true);
    const verified = verifyAuditExport(jsonlPath, undefined, {
      resolvePublicKey: keyringResolver(harness.store.db),
      isTrusted: (keyId, at) => ({ ok: keyStatusAt(harness.store.db, keyId, at).status === 'trusted', reason: '' }),
    });
    expect(verified.checks.filter((c) => !c.ok)).toEqual([]);
    await page.getByTestId('audit-category').selectOption('audit.');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    await page.screenshot({ path: join(SCREENS, 'audit-exported.png') });
    await page.getByTestId('audit-category').selectOption('');
  });

  it('marks an entry altered in the file with the sqlite3 shell, and names it', async () => {
    const { page } = harness;
    const seq = (harness.store.db.prepare("SELECT seq FROM audit_log WHERE action = 'review.opened' ORDER BY seq LIMIT 1").get() as { seq: number }).seq;
    execFileSync('sqlite3', ['-bail', dbPath], { input: `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = ${seq};`, encoding: 'utf8' });
    await page.getByTestId('verify-chain').click();
    await expect.poll(() => page.getByTestId('audit-verify-result').innerText()).toMatch(new RegExp(`Chain broken at entry ${seq}: it was changed after it was written`));
    const row = page.locator(`[data-testid="audit-row"][data-seq="${seq}"]`);
    await row.scrollIntoViewIfNeeded();
    expect(await row.getAttribute('data-verified')).toBe('bad');
    expect(await row.getByTestId('audit-row-status').innerText()).toMatch(/changed after it was written/);
    await page.screenshot({ path: join(SCREENS, 'audit-tampered.png') });

    // The Overview's audit card gives the same verdict.
    await page.goto(`${harness.origin}/index.html#/overview`);
    await expect.poll(() => page.getByTestId('stat-audit').innerText()).toMatch(new RegExp(`Chain broken at entry ${seq}`));
    await page.getByTestId('stat-audit').screenshot({ path: join(SCREENS, 'audit-overview-card.png') });
  });
});
