import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { NotificationView } from '../../../shared/budgets/budgetViews';
import { invoke, useEngineEvent } from '../ipc';
import { formatTimestamp } from '../components/ui';

/** How long a toast stays (it can be dismissed sooner; the bell keeps the notification either way). */
const TOAST_MS = 12_000;

function toneOf(n: Pick<NotificationView, 'title'>): 'bad' | 'ok' {
  return /ALARM/.test(n.title) ? 'bad' : 'ok';
}

/**
 * The shell's bell: the unread count of budget alerts, refreshed when the engine announces one
 * ('notifications/new'), with a transient toast for each new one. Opening the list marks them read.
 */
export function NotificationBell() {
  const [unread, setUnread] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<NotificationView[] | null>(null);
  const [toasts, setToasts] = useState<NotificationView[]>([]);
  const wrapRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const ids = useId();

  const refresh = useCallback(async () => {
    const result = await invoke('notifications/list', { unreadOnly: true });
    if (result.ok) setUnread(result.value.length);
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEngineEvent('notifications/new', (n) => {
    setToasts((t) => [...t.filter((x) => x.id !== n.id), n].slice(-3));
    void refresh();
  });

  // Each toast leaves on its own after a while.
  useEffect(() => {
    if (toasts.length === 0) return;
    const timer = window.setTimeout(() => setToasts((t) => t.slice(1)), TOAST_MS);
    return () => window.clearTimeout(timer);
  }, [toasts]);

  const openList = async () => {
    setOpen(true);
    const result = await invoke('notifications/list', {});
    if (result.ok) setItems(result.value);
    if ((unread ?? 0) > 0) {
      const marked = await invoke('notifications/markRead', { ids: 'all' });
      if (marked.ok) setUnread(0);
    }
  };

  const close = useCallback(() => {
    setOpen(false);
    buttonRef.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (wrapRef.current && !wrapRef.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, close]);

  const count = unread ?? 0;
  const label = count === 0 ? 'Notifications: none unread' : `Notifications: ${count} unread`;

  return (
    <>
      <div className="bell-wrap" ref={wrapRef}>
        <button
          ref={buttonRef}
          type="button"
          className={`bell ${count > 0 ? 'bell-unread' : ''}`}
          aria-label={label}
          title={label}
          aria-expanded={open}
          aria-controls={`${ids}-list`}
          onClick={() => (open ? close() : void openList())}
          data-testid="notification-bell"
          data-unread={count}
        >
          <svg className="bell-icon" aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
            <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
          </svg>
          {count > 0 && (
            <span className="bell-count num-inline" aria-hidden="true" data-testid="notification-count">
              {count > 99 ? '99+' : count}
            </span>
          )}
        </button>
        {open && (
          <div
            id={`${ids}-list`}
            className="bell-popover"
            role="dialog"
            aria-label="Notifications"
            data-testid="notification-list"
          >
            <p className="bell-popover-title">Notifications</p>
            {items === null && <p className="muted no-margin">Loading…</p>}
            {items && items.length === 0 && <p className="muted no-margin">No notifications yet. Budget alerts appear here when a threshold changes state.</p>}
            {items && items.length > 0 && (
              <ul className="bell-items">
                {items.map((n) => (
                  <li key={n.id} className={`bell-item ${n.readAt ? '' : 'bell-item-new'}`} data-testid="notification-item">
                    <span className={`bell-item-title bell-item-${toneOf(n)}`}>
                      <span aria-hidden="true">{toneOf(n) === 'bad' ? '⚠ ' : '✓ '}</span>
                      {n.link ? (
                        <a href={n.link} onClick={() => setOpen(false)}>
                          {n.title}
                        </a>
                      ) : (
                        n.title
                      )}
                    </span>
                    <span className="bell-item-body">{n.body}</span>
                    <span className="muted bell-item-at">
                      {formatTimestamp(n.at)}
                      {n.readAt ? '' : ' · new'}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      <div className="toasts" aria-live="polite">
        {toasts.map((n) => (
          <div key={n.id} className={`toast toast-${toneOf(n)}`} role="status" data-testid="notification-toast">
            <span className="toast-icon" aria-hidden="true">
              {toneOf(n) === 'bad' ? '⚠' : '✓'}
            </span>
            <div className="toast-body">
              <p className="toast-title">{n.link ? <a href={n.link}>{n.title}</a> : n.title}</p>
              <p className="toast-text">{n.body}</p>
            </div>
            <button type="button" className="btn btn-ghost toast-close" aria-label="Dismiss notification" onClick={() => setToasts((t) => t.filter((x) => x.id !== n.id))}>
              ✕
            </button>
          </div>
        ))}
      </div>
    </>
  );
}
