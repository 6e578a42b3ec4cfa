// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { isAllowedLink, renderMarkdown, MAX_MARKDOWN_CHARS } from '../../renderer/src/markdown';
import { Markdown } from '../../renderer/src/components/Markdown';
import type { DocketApi } from '../../shared/ipc/bridge';

function toDom(md: string): HTMLDivElement {
  const div = document.createElement('div');
  div.innerHTML = renderMarkdown(md);
  return div;
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('renderMarkdown: untrusted card text is inert', () => {
  it('shows <script> tags as text, never as elements', () => {
    const dom = toDom('Hello <script>alert(1)</script> world\n\n<script>window.x=1</script>');
    expect(dom.querySelector('script')).toBeNull();
    expect(dom.textContent).toContain('<script>alert(1)</script>');
  });

  it('leaves <img src=x onerror=...> as inert text', () => {
    const dom = toDom('<img src=x onerror="alert(1)">\n\ninline <img src=x onerror=alert(1)> too');
    expect(dom.querySelector('img')).toBeNull();
    expect(dom.querySelector('[onerror]')).toBeNull();
    expect(dom.textContent).toContain('<img src=x onerror="alert(1)">');
  });

  it('does not turn [x](javascript:alert(1)) into a link', () => {
    for (const md of ['[x](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '[x]( javascript:alert(1))', '[x](data:text/html,<b>hi</b>)', '[x](vbscript:msgbox)', '[x](file:///etc/passwd)', '<javascript:alert(1)>']) {
      const dom = toDom(md);
      expect(dom.querySelector('a'), md).toBeNull();
    }
  });

  it('keeps http, https and mailto links, with rel="noreferrer noopener"', () => {
    const dom = toDom('[site](https://example.com/a) [plain](http://example.com) [mail](mailto:owner@example.com)');
    const links = Array.from(dom.querySelectorAll('a'));
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/a', 'http://example.com', 'mailto:owner@example.com']);
    for (const a of links) expect(a.getAttribute('rel')).toBe('noreferrer noopener');
  });

  it('does not linkify bare URLs', () => {
    expect(toDom('see https://example.com').querySelector('a')).toBeNull();
  });

  it('renders ![a](https://evil/x.png) as alt text, with no img element', () => {
    const dom = toDom('![a](https://evil/x.png)\n\n![](https://evil/y.png "t")\n\n[![badge](https://evil/b.svg)](https://example.com)');
    expect(dom.querySelector('img')).toBeNull();
    expect(dom.innerHTML).not.toContain('evil/x.png');
    expect(dom.textContent).toContain('image: a');
  });

  it('renders a 10,000-level nested list without throwing', () => {
    const bullets = '- '.repeat(10_000) + 'deep';
    const indented = Array.from({ length: 10_000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
    const quotes = '>'.repeat(10_000) + ' deep';
    for (const md of [bullets, indented, quotes]) {
      let html = '';
      expect(() => {
        html = renderMarkdown(md);
      }).not.toThrow();
      const div = document.createElement('div');
      div.innerHTML = html;
      // Nesting is capped, so the DOM stays shallow.
      let depth = 0;
      let node: Element | null = div;
      while (node && node.firstElementChild) {
        node = node.firstElementChild;
        depth += 1;
      }
      expect(depth).toBeLessThan(60);
    }
  });

  it('caps very long input', () => {
    const html = renderMarkdown('a'.repeat(MAX_MARKDOWN_CHARS + 50_000));
    expect(html).toContain('truncated');
    expect(html.length).toBeLessThan(MAX_MARKDOWN_CHARS + 1_000);
  });

  it('isAllowedLink allows only http, https and mailto', () => {
    expect(isAllowedLink('https://x.org')).toBe(true);
    expect(isAllowedLink('http://x.org')).toBe(true);
    expect(isAllowedLink('mailto:a@b.c')).toBe(true);
    expect(isAllowedLink('javascript:alert(1)')).toBe(false);
    expect(isAllowedLink('java\tscript:alert(1)')).toBe(false);
    expect(isAllowedLink('data:text/html,x')).toBe(false);
    expect(isAllowedLink('file:///etc/passwd')).toBe(false);
    expect(isAllowedLink('/relative')).toBe(false);
  });
});

describe('<Markdown>', () => {
  it('intercepts link clicks and asks the engine to open them', async () => {
    const invoke = vi.fn(async () => ({ ok: true as const, value: { opened: true, reason: null } }));
    (window as unknown as { docket: Partial<DocketApi> }).docket = { invoke: invoke as unknown as DocketApi['invoke'], on: () => () => undefined };
    const { container } = render(<Markdown text={'Read [the paper](https://example.com/paper).'} />);
    const a = container.querySelector('a');
    expect(a).not.toBeNull();
    const notPrevented = fireEvent.click(a!);
    expect(notPrevented).toBe(false);
    expect(invoke).toHaveBeenCalledWith('shell/openExternal', { url: 'https://example.com/paper' });
  });

  it('renders hostile HTML inert inside the component', () => {
    const { container } = render(<Markdown text={'<img src=x onerror=alert(1)><script>alert(2)</script>![a](https://evil/x.png)'} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
  });
});
