import { useCallback, useEffect, useRef, useState } from 'react';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import type { ModelSummary } from '../../../shared/ipc/contract';
import type { SortState } from '../../../shared/models/filterSort';
import { invoke } from '../ipc';

/** Rows per models/page request: a screenful many times over, about 170 kB. */
export const MODEL_PAGE_ROWS = 500;

export interface ModelPages {
  /** The matching models in order, as long as `matching`; a row not loaded yet is a hole. */
  rows: readonly (ModelSummary | undefined)[];
  /** Models listed at all, and how many match the query (undefined until the first page arrives). */
  total: number | undefined;
  matching: number;
  /** The first page for this query and sort is on its way. */
  loading: boolean;
  error: IpcErrorBody | undefined;
  /** Asks for the pages holding rows first..last (the table calls it for what it shows). */
  need(first: number, last: number): void;
  reload(): void;
}

/**
 * The Models view's rows, a page at a time: the engine searches and sorts (models/page), the window
 * asks for the pages the table scrolls to. A new query or sort starts again from the first page; so
 * does a page whose counts disagree with the others (the store changed between the two requests).
 */
interface PagesState {
  key: string;
  rows: (ModelSummary | undefined)[];
  asked: Set<number>;
  total?: number;
  matching: number;
  loading: boolean;
  error?: IpcErrorBody;
  /** What the last query showed, kept on screen until this one's first page arrives (no flash of "Loading" per keystroke). */
  shown?: PagesState;
}

export function useModelPages(query: string, sort: SortState): ModelPages {
  const [tick, setTick] = useState(0);
  const [, setVersion] = useState(0);
  const state = useRef<PagesState>({
    key: '',
    rows: [],
    asked: new Set(),
    matching: 0,
    loading: true,
  });
  const key = `${tick}\u0000${query}\u0000${sort.key}\u0000${sort.direction}`;

  const fetchPage = useCallback(
    (page: number) => {
      const s = state.current;
      if (s.asked.has(page)) return;
      s.asked.add(page);
      const askedKey = s.key;
      void invoke('models/page', { query, sort, offset: page * MODEL_PAGE_ROWS, limit: MODEL_PAGE_ROWS }).then((result) => {
        const now = state.current;
        if (now.key !== askedKey) return;
        if (!result.ok) {
          now.asked.delete(page);
          now.error = result.error;
          now.loading = false;
        } else {
          const { rows, offset, total, matching } = result.value;
          if (now.total !== undefined && (now.total !== total || now.matching !== matching)) {
            // The store changed under the pages already shown: start again rather than mix two states.
            setTick((t) => t + 1);
            return;
          }
          if (now.rows.length !== matching) now.rows.length = matching;
          rows.forEach((row, i) => (now.rows[offset + i] = row));
          now.total = total;
          now.matching = matching;
          now.loading = false;
          now.error = undefined;
        }
        setVersion((v) => v + 1);
      });
    },
    [query, sort],
  );

  // A new query, sort or reload: forget every page and ask for the first.
  if (state.current.key !== key) {
    const last = state.current;
    state.current = { key, rows: [], asked: new Set(), matching: 0, loading: true, shown: last.total !== undefined ? { ...last, shown: undefined } : last.shown };
  }
  useEffect(() => fetchPage(0), [key, fetchPage]);

  const need = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(Math.max(0, first) / MODEL_PAGE_ROWS); page <= Math.floor(Math.max(0, last) / MODEL_PAGE_ROWS); page++) fetchPage(page);
    },
    [fetchPage],
  );
  const reload = useCallback(() => setTick((t) => t + 1), []);

  const s = state.current;
  const on = s.total === undefined && s.shown ? s.shown : s;
  return { rows: on.rows, total: on.total, matching: on.matching, loading: s.loading, error: s.error, need, reload };
}
