import { useRef, type KeyboardEvent } from 'react';

export interface TabDef<K extends string> {
  key: K;
  label: string;
}

export function tabId(prefix: string, key: string): string {
  return `${prefix}-tab-${key}`;
}
export function panelId(prefix: string, key: string): string {
  return `${prefix}-panel-${key}`;
}

/**
 * An ARIA tablist with automatic activation: arrow keys, Home and End move and select.
 * The caller renders the panel with role="tabpanel", id panelId() and aria-labelledby tabId().
 */
export function Tabs<K extends string>({ label, tabs, active, onChange, idPrefix }: { label: string; tabs: readonly TabDef<K>[]; active: K; onChange: (key: K) => void; idPrefix: string }) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const select = (index: number) => {
    const n = tabs.length;
    const tab = tabs[((index % n) + n) % n];
    if (!tab) return;
    onChange(tab.key);
    refs.current.get(tab.key)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = tabs.findIndex((t) => t.key === active);
    switch (event.key) {
      case 'ArrowRight':
        select(current + 1);
        break;
      case 'ArrowLeft':
        select(current - 1);
        break;
      case 'Home':
        select(0);
        break;
      case 'End':
        select(tabs.length - 1);
        break;
      default:
        return;
    }
    event.preventDefault();
  };
  return (
    <div role="tablist" aria-label={label} className="tabs" onKeyDown={onKeyDown}>
      {tabs.map((t) => {
        const selected = t.key === active;
        return (
          <button
            key={t.key}
            ref={(el) => {
              if (el) refs.current.set(t.key, el);
              else refs.current.delete(t.key);
            }}
            type="button"
            role="tab"
            id={tabId(idPrefix, t.key)}
            aria-selected={selected}
            aria-controls={selected ? panelId(idPrefix, t.key) : undefined}
            tabIndex={selected ? 0 : -1}
            className={`tab ${selected ? 'active' : ''}`}
            onClick={() => onChange(t.key)}
            data-testid={`tab-${t.key}`}
          >
            {t.label}
          </button>
        );
      })}
    </div>
  );
}
