import { useMemo, useState, type MouseEvent } from 'react';
import { renderMarkdown, isAllowedLink } from '../markdown';
import { invoke } from '../ipc';

/** Untrusted Markdown rendered inert; links open in the user's browser only through the engine's allowlist. */
export function Markdown({ text, className }: { text: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const target = event.target as Element | null;
    const anchor = target?.closest?.('a');
    if (!anchor) return;
    event.preventDefault();
    const url = anchor.getAttribute('href') ?? '';
    if (!isAllowedLink(url)) {
      setNotice(`Link not opened: ${url || '(empty)'} is not an http, https or mailto address.`);
      return;
    }
    void invoke('shell/openExternal', { url }).then((result) => {
      if (!result.ok) setNotice(`Could not open ${url}: ${result.error.message}`);
      else if (!result.value.opened) setNotice(`Link not opened: ${result.value.reason ?? 'refused by the allowlist'}`);
      else setNotice(undefined);
    });
  };

  return (
    <>
      {/* The HTML comes from markdown-it with html:false, a link allowlist and no images: it is inert. */}
      <div
        className={`markdown ${className ?? ''}`}
        onClick={onClick}
        onAuxClick={(e) => {
          // Middle-click must not open a window either.
          if ((e.target as Element | null)?.closest?.('a')) e.preventDefault();
        }}
        dangerouslySetInnerHTML={{ __html: html }}
      />
      {notice && (
        <p className="inline-notice" role="status">
          {notice}
        </p>
      )}
    </>
  );
}
