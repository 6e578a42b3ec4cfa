import type { ReactNode } from 'react';
import type { IpcErrorBody } from '../../../shared/ipc/result';

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

const ICONS: Record<Tone, string> = { ok: '✓', warn: '!', bad: '✕', info: 'i', neutral: '–' };

/** Status is always text plus colour plus icon: never colour alone. */
export function Status({ tone, children, testId, title }: { tone: Tone; children: ReactNode; testId?: string; title?: string }) {
  return (
    <span className={`status status-${tone}`} data-testid={testId} title={title}>
      <span className="status-icon" aria-hidden="true">
        {ICONS[tone]}
      </span>
      <span className="status-text">{children}</span>
    </span>
  );
}

/** An IPC error, shown where it happened with its message and (for bad input) the failing fields. */
export function ErrorBanner({
  error,
  context,
  onRetry,
  onDismiss,
}: {
  error: IpcErrorBody;
  context?: string;
  onRetry?: () => void;
  onDismiss?: () => void;
}) {
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner">
      <span className="banner-icon" aria-hidden="true">
        ✕
      </span>
      <div className="banner-body">
        <p className="banner-title">
          {context ? `${context}: ` : ''}
          {error.message}
        </p>
        <p className="banner-meta">Error code {error.code}</p>
        {error.issues && error.issues.length > 0 && (
          <ul className="banner-issues">
            {error.issues.map((issue, i) => (
              <li key={i}>
                <code>{issue.path || '(input)'}</code>: {issue.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="banner-actions">
        {onRetry && (
          <button type="button" className="btn btn-secondary" onClick={onRetry}>
            Retry
          </button>
        )}
        {onDismiss && (
          <button type="button" className="btn btn-ghost" onClick={onDismiss} aria-label="Dismiss error">
            Dismiss
          </button>
        )}
      </div>
    </div>
  );
}

export function EmptyState({ title, children, testId, actions }: { title: string; children: ReactNode; testId?: string; actions?: ReactNode }) {
  return (
    <section className="empty-state" data-testid={testId ?? 'empty-state'} aria-label={title}>
      <h2 className="empty-title">{title}</h2>
      <div className="empty-body">{children}</div>
      {actions && <div className="empty-actions">{actions}</div>}
    </section>
  );
}

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1 className="page-title">{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** Dates are shown unambiguously: ISO date and time, in UTC. */
export function formatTimestamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function shortHash(hash: string, length = 12): string {
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}
