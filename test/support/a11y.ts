import { AxeBuilder } from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';

/** The WCAG 2.0 and 2.1 A/AA rules: issue 10's bar for every view. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;
/** Violations at these impacts fail the suite; minor and moderate ones are reported by axe but tolerated. */
export const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

export interface A11yViolation {
  id: string;
  impact: string;
  help: string;
  helpUrl: string;
  targets: string[];
  summary: string;
}

/**
 * Runs axe over the whole page as it is now and returns the serious and critical violations. Legacy
 * mode runs axe in the page itself (the app has no frames), instead of finishing each run in a new
 * page: half the time per scan.
 */
export async function seriousViolations(page: Page): Promise<A11yViolation[]> {
  const results = await new AxeBuilder({ page }).withTags([...AXE_TAGS]).setLegacyMode(true).analyze();
  return results.violations
    .filter((v) => BLOCKING_IMPACTS.has(v.impact ?? ''))
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.map(String).join(' >> ')),
      summary: v.nodes[0]?.failureSummary?.replace(/\s+/g, ' ').trim() ?? '',
    }));
}

/** One line per violation: rule, impact, what it means, and (up to 8 of) the elements it was found on. */
export function formatViolations(scene: string, violations: A11yViolation[]): string {
  if (violations.length === 0) return `${scene}: no serious or critical violations`;
  return [
    `${scene}: ${violations.length} serious or critical accessibility violation(s)`,
    ...violations.map((v) =>
      [
        `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
        ...v.targets.slice(0, 8).map((t) => `      at ${t}`),
        ...(v.targets.length > 8 ? [`      … and ${v.targets.length - 8} more`] : []),
        `      ${v.summary}`,
      ].join('\n'),
    ),
  ].join('\n');
}

/**
 * The views the renderer can route to, read from the Route union in renderer/src/router.ts, so a new
 * view added there without an accessibility scene fails the suite rather than going unchecked.
 */
export function routedViews(): string[] {
  const source = readFileSync(resolve('renderer/src/router.ts'), 'utf8');
  const union = /export type Route =([\s\S]*?);\n/.exec(source);
  if (!union) throw new Error('renderer/src/router.ts: the Route union was not found');
  return [...union[1]!.matchAll(/\{\s*view:\s*'([A-Za-z]+)'/g)].map((m) => m[1]!).sort();
}

/** The main navigation's targets, read from the NAV table in renderer/src/App.tsx. */
export function navViews(): string[] {
  const source = readFileSync(resolve('renderer/src/App.tsx'), 'utf8');
  const table = /const NAV[^=]*=\s*\[([\s\S]*?)\];/.exec(source);
  if (!table) throw new Error('renderer/src/App.tsx: the NAV table was not found');
  return [...table[1]!.matchAll(/view:\s*'([A-Za-z]+)'/g)].map((m) => m[1]!);
}

/** What the focused element looks like: enough to tell whether focus is visible. */
export interface FocusInfo {
  tag: string;
  testId: string | null;
  text: string;
  outlineStyle: string;
  outlineWidth: string;
  boxShadow: string;
  visible: boolean;
}

export async function focusInfo(page: Page): Promise<FocusInfo | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    // On screen at all: a box, and no ancestor faded to nothing (an opacity-0 control must appear on focus).
    const shown = (node: Element): boolean => {
      const box = node.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) return false;
      for (let e: Element | null = node; e; e = e.parentElement) if (Number(getComputedStyle(e).opacity) === 0) return false;
      return true;
    };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    // An SVG control (a lineage node) shows focus on its shape's stroke: a dashed ring.
    const shape = el instanceof SVGElement ? el.querySelector('.lg-shape') : null;
    const stroke = shape !== null && getComputedStyle(shape).strokeDasharray !== 'none';
    return {
      tag: el.tagName.toLowerCase(),
      testId: el.getAttribute('data-testid'),
      text: (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60),
      outlineStyle: style.outlineStyle,
      outlineWidth: style.outlineWidth,
      boxShadow: style.boxShadow,
      visible: (outline || shadow || stroke) && shown(el),
    };
  });
}

export function describeFocus(f: FocusInfo): string {
  return `${f.tag}${f.testId ? `[data-testid=${f.testId}]` : ''} "${f.text}" (outline ${f.outlineStyle} ${f.outlineWidth}, box-shadow ${f.boxShadow})`;
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches `selector` and returns every element
 * focus landed on, the last being the target. Fails after `limit` presses.
 */
export async function tabTo(page: Page, selector: string, options: { limit?: number; backwards?: boolean } = {}): Promise<FocusInfo[]> {
  const limit = options.limit ?? 80;
  const visited: FocusInfo[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const info = await focusInfo(page);
    if (info) visited.push(info);
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return visited;
  }
  throw new Error(`${selector} was not reached with ${options.backwards ? 'Shift+Tab' : 'Tab'} in ${limit} presses; focus went through:\n${visited.map((v) => `  ${describeFocus(v)}`).join('\n')}`);
}
