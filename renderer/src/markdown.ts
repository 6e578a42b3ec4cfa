import MarkdownIt from 'markdown-it';
import { checkExternalUrl } from '../../shared/security/externalUrl';

type MarkdownRenderer = ReturnType<typeof MarkdownIt>;

/**
 * Renders untrusted card Markdown to inert HTML:
 * - raw HTML is escaped and shown as text (html: false);
 * - only http:, https: and mailto: links survive; anything else stays plain text;
 * - images never become <img>: their alt text is shown instead, so no remote image is fetched;
 * - input length and nesting depth are capped so a hostile card cannot hang the window;
 * - a very long run without spaces gets a break opportunity (<wbr>) every MAX_UNBROKEN_CHARS, because
 *   Chromium lays out one 200,000-character word under `overflow-wrap: anywhere` for tens of seconds.
 */
export const MAX_MARKDOWN_CHARS = 200_000;
export const MAX_MARKDOWN_NESTING = 20;
export const MAX_UNBROKEN_CHARS = 2_000;

/** The same allowlist the shell applies before opening a link (after stripping the control chars browsers ignore). */
export function isAllowedLink(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  return checkExternalUrl(url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '')).allowed;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Escapes text, inserting <wbr> inside runs of more than MAX_UNBROKEN_CHARS non-space characters (never inside a surrogate pair). */
function escapeWithBreaks(text: string): string {
  if (text.length <= MAX_UNBROKEN_CHARS) return escapeHtml(text);
  return text
    .split(/(\s+)/)
    .map((part) => {
      if (part.length <= MAX_UNBROKEN_CHARS) return escapeHtml(part);
      const pieces: string[] = [];
      let start = 0;
      while (start < part.length) {
        let end = Math.min(start + MAX_UNBROKEN_CHARS, part.length);
        const code = part.charCodeAt(end - 1);
        if (end < part.length && code >= 0xd800 && code <= 0xdbff) end += 1;
        pieces.push(escapeHtml(part.slice(start, end)));
        start = end;
      }
      return pieces.join('<wbr>');
    })
    .join('');
}

function createRenderer(): MarkdownRenderer {
  const md = MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false, maxNesting: MAX_MARKDOWN_NESTING });
  md.validateLink = isAllowedLink;
  md.renderer.rules.text = (tokens, idx) => escapeWithBreaks(tokens[idx]?.content ?? '');

  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const alt = token ? self.renderInlineAsText(token.children ?? [], options, env) : '';
    const label = alt.trim() === '' ? 'image not shown' : `image: ${alt}`;
    return `<span class="md-image-alt" title="Images in cards are not loaded">[${escapeHtml(label)}]</span>`;
  };

  const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (token) {
      const href = String(token.attrGet('href') ?? '');
      if (!isAllowedLink(href)) token.attrSet('href', '#');
      token.attrSet('rel', 'noreferrer noopener');
      token.attrSet('class', 'md-link');
      token.attrSet('title', String(href));
    }
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  return md;
}

let renderer: MarkdownRenderer | undefined;

export function renderMarkdown(text: string): string {
  renderer ??= createRenderer();
  const truncated = text.length > MAX_MARKDOWN_CHARS;
  const input = truncated ? text.slice(0, MAX_MARKDOWN_CHARS) : text;
  let html: string;
  try {
    html = renderer.render(input);
  } catch {
    // markdown-it should not throw, but if a pathological input ever makes it, show the text verbatim.
    html = `<pre class="md-fallback">${escapeHtml(input)}</pre>`;
  }
  if (truncated) {
    html += `<p class="md-truncated">[Text truncated: only the first ${MAX_MARKDOWN_CHARS.toLocaleString('en-US')} characters are shown.]</p>`;
  }
  return html;
}
