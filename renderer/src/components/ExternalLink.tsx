import { useState, type ReactNode } from 'react';
import { isAllowedLink } from '../markdown';
import { invoke } from '../ipc';

/** http(s) only: what may become a clickable link to the user's browser. */
export function isWebLink(url: string | null | undefined): url is string {
  return typeof url === 'string' && /^https?:\/\//i.test(url.trim()) && isAllowedLink(url);
}

/**
 * A link that opens in the user's browser through the engine's allowlist (shell/openExternal),
 * never in the app window. Anything that is not http(s) is shown as plain text.
 */
export function ExternalLink({ url, children, className }: { url: string; children?: ReactNode; className?: string }) {
  const [notice, setNotice] = useState<string | undefined>(undefined);
  if (!isWebLink(url)) return <span className={className}>{children ?? url}</span>;
  return (
    <>
      <a
        href={url}
        className={className}
        title={url}
        rel="noreferrer"
        onClick={(event) => {
          event.preventDefault();
          void invoke('shell/openExternal', { url }).then((result) => {
            if (!result.ok) setNotice(`Could not open ${url}: ${result.error.message}`);
            else if (!result.value.opened) setNotice(`Link not opened: ${result.value.reason ?? 'refused by the allowlist'}`);
            else setNotice(undefined);
          });
        }}
        onAuxClick={(event) => event.preventDefault()}
      >
        {children ?? url}
        <span aria-hidden="true"> ↗</span>
      </a>
      {notice && (
        <span className="inline-notice" role="status">
          {' '}
          {notice}
        </span>
      )}
    </>
  );
}
