import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ModelSummary } from '../../../shared/ipc/contract';
import { completenessCounts, sectionTitle, type SortKey, type SortState } from '../../../shared/models/filterSort';
import { modelHref, navigate } from '../router';
import { FAIRNESS_STATUS } from '../fairness/format';

const ROW_HEIGHT = 48;
const HEADER_HEIGHT = 44;

interface Column {
  key: SortKey;
  label: string;
  numeric?: boolean;
}

export const COLUMNS: readonly Column[] = [
  { key: 'name', label: 'Model' },
  { key: 'owners', label: 'Owner(s)' },
  { key: 'tags', label: 'Tags' },
  { key: 'license', label: 'License' },
  { key: 'latestVersion', label: 'Latest version' },
  { key: 'versionCount', label: 'Versions', numeric: true },
  { key: 'completeness', label: 'Card completeness' },
  { key: 'fairness', label: 'Fairness' },
];

function rowId(index: number): string {
  return `model-row-${index}`;
}

export function completenessTooltip(model: ModelSummary): string {
  const c = model.completeness;
  const parts: string[] = [];
  if (c.missing.length) parts.push(`Missing: ${c.missing.map(sectionTitle).join(', ')}`);
  if (c.empty.length) parts.push(`Empty: ${c.empty.map(sectionTitle).join(', ')}`);
  return parts.length ? parts.join('\n') : 'All governance sections present';
}

function CompletenessCell({ model }: { model: ModelSummary }) {
  const { present, total } = completenessCounts(model);
  const gaps = model.completeness.missing.length + model.completeness.empty.length;
  const pct = total === 0 ? 0 : Math.round((present / total) * 100);
  const tone = gaps === 0 ? 'ok' : present / Math.max(total, 1) >= 0.5 ? 'warn' : 'bad';
  const { missing, empty } = model.completeness;
  const text = missing.length > 0 ? `${missing.length} missing` : empty.length > 0 ? `${empty.length} empty` : 'complete';
  return (
    <span className={`completeness tone-${tone}`} title={completenessTooltip(model)} data-testid="completeness">
      <span className="completeness-ratio num">
        {present}/{total}
      </span>
      <span className="bar" aria-hidden="true">
        <span className="bar-fill" style={{ width: `${pct}%` }} />
      </span>
      <span className="completeness-text">
        <span aria-hidden="true">{gaps === 0 ? '✓ ' : '! '}</span>
        {text}
      </span>
    </span>
  );
}

function FairnessCell({ model }: { model: ModelSummary }) {
  const meta = FAIRNESS_STATUS[model.fairnessStatus] ?? FAIRNESS_STATUS.none;
  const status = FAIRNESS_STATUS[model.fairnessStatus] ? model.fairnessStatus : 'none';
  return (
    <a
      href={modelHref(model.name, model.latestVersion, 'fairness')}
      tabIndex={-1}
      className={`fairness-cell tone-${meta.tone}`}
      title={`${meta.label} (latest version ${model.latestVersion})`}
      data-testid="fairness-cell"
      data-status={status}
    >
      <span aria-hidden="true" className="fairness-cell-icon">
        {meta.icon}
      </span>
      {meta.short}
    </a>
  );
}

export function ModelTable({
  models,
  sort,
  onSort,
  onRange,
}: {
  /** The rows in order; a hole is a row whose page has not arrived yet (shown as a placeholder). */
  models: readonly (ModelSummary | undefined)[];
  sort: SortState;
  onSort: (key: SortKey) => void;
  /** Told which rows the table shows, so their pages can be asked for. */
  onRange?: (first: number, last: number) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const pointerDown = useRef(false);
  const [selectedName, setSelectedName] = useState<string | undefined>(undefined);
  const selectedIndex = useMemo(() => {
    const i = selectedName === undefined ? -1 : models.findIndex((m) => m?.name === selectedName);
    return i;
  }, [models, selectedName]);

  const virtualizer = useVirtualizer({
    count: models.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    initialRect: { width: 1200, height: 640 },
    getItemKey: (index) => models[index]?.name ?? index,
  });

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const select = (index: number) => {
    const clamped = Math.max(0, Math.min(models.length - 1, index));
    const model = models[clamped];
    if (model) setSelectedName(model.name);
  };

  const open = (model: ModelSummary | undefined) => {
    if (model) navigate(modelHref(model.name, model.latestVersion));
  };

  const pageSize = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 640) - HEADER_HEIGHT) / ROW_HEIGHT) - 1);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || models.length === 0) return;
    const current = selectedIndex;
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        select(current < 0 ? 0 : current + 1);
        break;
      case 'ArrowUp':
        select(current < 0 ? 0 : current - 1);
        break;
      case 'PageDown':
        select(current < 0 ? pageSize : current + pageSize);
        break;
      case 'PageUp':
        select(current < 0 ? 0 : current - pageSize);
        break;
      case 'Home':
        select(0);
        break;
      case 'End':
        select(models.length - 1);
        break;
      case 'Enter':
      case ' ':
        if (current >= 0) open(models[current]);
        else select(0);
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  };

  const items = virtualizer.getVirtualItems();
  const firstShown = items[0]?.index ?? 0;
  const lastShown = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (models.length > 0) onRange?.(firstShown, lastShown);
  }, [firstShown, lastShown, models.length, onRange]);

  return (
    <div
      ref={scrollRef}
      className="grid-scroll"
      role="grid"
      aria-label="Models"
      aria-rowcount={models.length + 1}
      aria-colcount={COLUMNS.length}
      aria-activedescendant={selectedIndex >= 0 ? rowId(selectedIndex) : undefined}
      aria-describedby="model-grid-help"
      tabIndex={0}
      onKeyDown={onKeyDown}
      onMouseDown={() => {
        pointerDown.current = true;
      }}
      onMouseUp={() => {
        pointerDown.current = false;
      }}
      onFocus={(e) => {
        // Keyboard users land on the first row; a mouse click selects the row it hits instead.
        if (!pointerDown.current && e.target === e.currentTarget && selectedIndex < 0 && models.length > 0) select(0);
      }}
      data-testid="model-list"
    >
      <span id="model-grid-help" className="visually-hidden">
        Use the up and down arrow keys to move between models and Enter to open one.
      </span>
      <div role="rowgroup" className="grid-head">
        <div role="row" aria-rowindex={1} className="grid-row grid-header-row">
          {COLUMNS.map((col, i) => {
            const active = sort.key === col.key;
            const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';
            return (
              <div key={col.key} role="columnheader" aria-sort={ariaSort} aria-colindex={i + 1} className={`grid-cell header-cell ${col.numeric ? 'num' : ''}`}>
                <button type="button" className={`sort-button ${active ? 'active' : ''}`} onClick={() => onSort(col.key)} data-testid={`sort-${col.key}`}>
                  <span>{col.label}</span>
                  <span className="sort-indicator" aria-hidden="true">
                    {active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
      </div>
      <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const model = models[item.index];
          if (!model) {
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                aria-busy="true"
                data-testid="model-row-loading"
                className={`grid-row body-row placeholder-row ${item.index % 2 ? 'odd' : ''}`}
                style={{ transform: `translateY(${item.start - HEADER_HEIGHT}px)`, height: ROW_HEIGHT }}
              >
                <div role="gridcell" aria-colindex={1} className="grid-cell muted">
                  Loading…
                </div>
              </div>
            );
          }
          const selected = item.index === selectedIndex;
          return (
            <div
              key={item.key}
              id={rowId(item.index)}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={selected}
              data-testid="model-row"
              data-model-name={model.name}
              className={`grid-row body-row ${selected ? 'selected' : ''} ${item.index % 2 ? 'odd' : ''}`}
              style={{ transform: `translateY(${item.start - HEADER_HEIGHT}px)`, height: ROW_HEIGHT }}
              onClick={() => {
                setSelectedName(model.name);
                scrollRef.current?.focus({ preventScroll: true });
              }}
              onDoubleClick={() => open(model)}
            >
              <div role="gridcell" aria-colindex={1} className="grid-cell cell-name">
                <a href={modelHref(model.name, model.latestVersion)} tabIndex={-1} className="model-link" title={model.name}>
                  {model.name}
                </a>
              </div>
              <div role="gridcell" aria-colindex={2} className="grid-cell truncate" title={model.owners.join(', ')}>
                {model.owners.length ? model.owners.join(', ') : <span className="muted">no owner</span>}
              </div>
              <div role="gridcell" aria-colindex={3} className="grid-cell truncate" title={model.tags.join(', ')}>
                {model.tags.length ? (
                  model.tags.map((t) => (
                    <span key={t} className="chip">
                      {t}
                    </span>
                  ))
                ) : (
                  <span className="muted">—</span>
                )}
              </div>
              <div role="gridcell" aria-colindex={4} className="grid-cell truncate" title={model.license ?? 'No license declared'}>
                {model.license ?? <span className="muted">not declared</span>}
              </div>
              <div role="gridcell" aria-colindex={5} className="grid-cell truncate mono" title={model.latestVersion}>
                {model.latestVersion}
              </div>
              <div role="gridcell" aria-colindex={6} className="grid-cell num">
                {model.versionCount.toLocaleString('en-US')}
              </div>
              <div role="gridcell" aria-colindex={7} className="grid-cell">
                <CompletenessCell model={model} />
              </div>
              <div role="gridcell" aria-colindex={8} className="grid-cell">
                <FairnessCell model={model} />
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
