// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { MAX_MARKDOWN_NESTING, MAX_UNBROKEN_CHARS, renderMarkdown } from '../../../renderer/src/markdown';
import { writeAttackCard, NESTED_LIST_DEPTH } from '../../fixtures/hostile/attackCard';

/**
 * Issue 10, item 4 at the renderer's source: whatever a card says, renderMarkdown returns HTML with
 * no element that runs code, fetches anything or navigates outside http(s)/mailto. The e2e test
 * test/e2e/hostileCard.test.ts shows the same in Chromium.
 */

function parse(html: string): HTMLElement {
  const host = document.createElement('div');
  host.innerHTML = html;
  return host;
}

function problems(host: HTMLElement): string[] {
  const found: string[] = [];
  for (const el of host.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (!['p', 'a', 'ul', 'ol', 'li', 'em', 'strong', 'code', 'pre', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'br', 'wbr', 'span', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 's'].includes(tag)) found.push(`<${tag}>`);
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name) || ['src', 'srcdoc', 'action', 'formaction', 'style', 'xlink:href'].includes(attr.name)) found.push(`${tag}[${attr.name}]`);
    }
    const href = el.getAttribute('href');
    if (href !== null && !/^(https?:|mailto:|#$)/i.test(href)) found.push(`href=${href}`);
  }
  return found;
}

const depth = (host: HTMLElement) => Math.max(0, ...[...host.querySelectorAll('li')].map((li) => { let d = 0; for (let e: Element | null = li; e && e !== host; e = e.parentElement) if (e.tagName === 'UL' || e.tagName === 'OL' || e.tagName === 'BLOCKQUOTE') d += 1; return d; }));

describe('renderMarkdown on a hostile card', () => {
  const dir = mkdtempSync(join(tmpdir(), 'docket-hostile-md-'));
  const card = readFileSync(writeAttackCard(dir, 9), 'utf8');
  rmSync(dir, { recursive: true, force: true });

  it('renders the whole attack card inert, fast', () => {
    const started = Date.now();
    const html = renderMarkdown(card);
    expect(Date.now() - started).toBeLessThan(2_000);
    const host = parse(html);
    expect(problems(host)).toEqual([]);
    expect(host.textContent).toContain("<script>window.__pwned = 'script-tag'");
    expect(host.querySelector('a[href="https://example.org/model-card"]')).not.toBeNull();
  });

  it(`cuts a ${NESTED_LIST_DEPTH}-level list or quote at ${MAX_MARKDOWN_NESTING} levels instead of recursing`, () => {
    for (const text of [`${'- '.repeat(NESTED_LIST_DEPTH)}x`, `${'1. '.repeat(NESTED_LIST_DEPTH)}x`, `${'> '.repeat(NESTED_LIST_DEPTH)}x`, `${'> - '.repeat(NESTED_LIST_DEPTH / 2)}x`]) {
      const host = parse(renderMarkdown(text));
      expect(depth(host)).toBeLessThanOrEqual(MAX_MARKDOWN_NESTING);
    }
  });

  it('gives a 1 MB line a break opportunity at least every MAX_UNBROKEN_CHARS characters, and keeps its text', () => {
    const line = `${'A'.repeat(150)} ${'B'.repeat(1_000_000)}`;
    const html = renderMarkdown(line);
    const host = parse(html);
    expect(host.querySelectorAll('wbr').length).toBeGreaterThanOrEqual(Math.floor(190_000 / MAX_UNBROKEN_CHARS));
    const longestRun = Math.max(...html.split(/<wbr>|\s|<[^>]*>/).map((r) => r.length));
    expect(longestRun).toBeLessThanOrEqual(MAX_UNBROKEN_CHARS);
    expect(host.querySelector('p')!.textContent!.startsWith(`${'A'.repeat(150)} BBB`)).toBe(true);
    // A surrogate pair is never split by a break.
    const emoji = parse(renderMarkdown(`${'x'.repeat(MAX_UNBROKEN_CHARS - 1)}${'😀'.repeat(300)}`)).textContent!;
    expect(emoji).toBe(`${'x'.repeat(MAX_UNBROKEN_CHARS - 1)}${'😀'.repeat(300)}\n`);
  });

  it('stays inert on random mixes of hostile fragments (property)', () => {
    const fragment = fc.constantFrom(
      '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)><script>alert(1)</script></svg>', '<iframe src="javascript:alert(1)">',
      '[x](javascript:alert(1))', '[x](JAVASCRIPT:alert(1))', '[x](data:text/html,<script>alert(1)</script>)', '[x](vbscript:x)', '[x](  javascript:alert(1))', '[x](java\tscript:1)',
      '![p](http://127.0.0.1:9/p.png)', '<a href="javascript:1">a</a>', '[r]: javascript:1\n\n[r]', '<javascript:alert(1)>', '<http://127.0.0.1:9/>',
      '- ', '> ', '1. ', '`', '```\n', '**', '_', '\n', '\n\n', ' ', '[', ']', '(', ')', '<', '>', '"', "'", '&#x6a;avascript:', '&lt;', '\u0000', '\u202e',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fragment, fc.string({ maxLength: 8 })), { maxLength: 40 }), (parts) => {
        expect(problems(parse(renderMarkdown(parts.join(''))))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
