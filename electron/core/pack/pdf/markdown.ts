// Card sections arrive as Markdown. The PDF shows them as plain, readable text: headings stay
// headings, bullets stay bullets, inline syntax is removed, images and link targets are dropped.

export type TextBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'bullet'; text: string; depth: number; marker: string }
  | { kind: 'code'; text: string };

/** Inline Markdown to plain text: links keep their text, images and HTML tags go. */
export function stripInline(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/!\[[^\]]*\]\[[^\]]*\]/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<https?:[^>]+>/g, '')
    .replace(/<\/?[a-zA-Z][^>]*>/g, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w_])_(?=\S)(.+?)(?<=\S)_(?!\w)/g, '$1$2')
    .replace(/~~(.+?)~~/g, '$1')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

export function markdownToBlocks(markdown: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  let para: string[] = [];
  let code: string[] | null = null;
  const flush = () => {
    const text = stripInline(para.join(' '));
    if (text) blocks.push({ kind: 'paragraph', text });
    para = [];
  };
  const lines = markdown.replace(/\r\n?/g, '\n').replace(/<!--[\s\S]*?-->/g, '').split('\n');
  for (const raw of lines) {
    if (code) {
      if (/^\s*(```|~~~)/.test(raw)) {
        blocks.push({ kind: 'code', text: code.join('\n') });
        code = null;
      } else code.push(raw);
      continue;
    }
    if (/^\s*(```|~~~)/.test(raw)) {
      flush();
      code = [];
      continue;
    }
    const line = raw.replace(/^\s*>\s?/, '');
    if (/^\s*$/.test(line)) {
      flush();
      continue;
    }
    const h = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      flush();
      const text = stripInline(h[1] ?? '');
      if (text) blocks.push({ kind: 'heading', text });
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      continue;
    }
    // Table separator rows ("|---|:--:|") say nothing; other table rows read as "a | b | c".
    if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line)) continue;
    if (/^\s*\|.*\|\s*$/.test(line)) {
      flush();
      const cells = line.trim().replace(/^\||\|$/g, '').split('|').map((c) => stripInline(c));
      blocks.push({ kind: 'paragraph', text: cells.join('  |  ') });
      continue;
    }
    const b = /^(\s*)([-*+]|\d{1,3}[.)])\s+(.*)$/.exec(line);
    if (b) {
      flush();
      const text = stripInline(b[3] ?? '').replace(/^\[( |x|X)\]\s*/, (m) => (/x/i.test(m) ? '☑ ' : '☐ '));
      const marker = /\d/.test(b[2] ?? '') ? (b[2] ?? '').replace(')', '.') : '•';
      if (text) blocks.push({ kind: 'bullet', text, depth: Math.min(3, Math.floor((b[1] ?? '').replace(/\t/g, '  ').length / 2)), marker });
      continue;
    }
    // A line following a bullet without a blank line continues it (lazy continuation).
    const last = blocks[blocks.length - 1];
    if (para.length === 0 && last?.kind === 'bullet' && /^\s+\S/.test(raw)) {
      last.text = `${last.text} ${stripInline(line)}`;
      continue;
    }
    para.push(line.trim());
  }
  if (code) blocks.push({ kind: 'code', text: code.join('\n') });
  flush();
  return blocks;
}
