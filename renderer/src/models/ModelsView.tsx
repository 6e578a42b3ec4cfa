import { useDeferredValue, useState } from 'react';
import { EmptyState, ErrorBanner, Loading, PageHeader } from '../components/ui';
import { nextSort, type SortState } from '../../../shared/models/filterSort';
import { ModelTable } from './ModelTable';
import { useModelPages } from './useModelPages';
import { ImportButton, ImportStatus, useCardImport } from './importCards';

export const CLI_IMPORT = 'docket import cards <path>';

export function ModelsView() {
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [sort, setSort] = useState<SortState>({ key: 'name', direction: 'asc' });
  // Searched and sorted in the engine, a page at a time (models/page): the window holds what it shows.
  const models = useModelPages(deferredQuery, sort);
  const importer = useCardImport(models.reload);

  const total = models.total;
  const hasModels = (total ?? 0) > 0;

  return (
    <div className="page page-fill" data-testid="models-view">
      <PageHeader
        title="Models"
        subtitle="What do we run, and what is missing from its card?"
        actions={total !== undefined && !hasModels ? undefined : <ImportButton onClick={() => void importer.start()} busy={importer.busy} />}
      />
      {models.error && <ErrorBanner error={models.error} context="Could not load models" onRetry={models.reload} />}
      <ImportStatus state={importer.state} onDismiss={importer.dismiss} onRetry={() => void importer.start()} />

      {total === undefined && models.loading && <Loading label="Loading models…" />}

      {total !== undefined && !hasModels && (
        <EmptyState
          title="No model cards yet"
          testId="models-empty"
          actions={<ImportButton onClick={() => void importer.start()} busy={importer.busy} />}
        >
          <p>
            Import model cards (Hugging Face README.md, Model Card Toolkit JSON, CycloneDX ML-BOM) from files or folders. Docket reads
            them, checks each card for the six governance sections and keeps every version.
          </p>
          <p>
            From a terminal: <code>{CLI_IMPORT}</code>
          </p>
        </EmptyState>
      )}

      {hasModels && total !== undefined && (
        <>
          <div className="toolbar">
            <input
              type="search"
              className="search"
              aria-label="Search models"
              placeholder="Search by name, owner, tag, license or fairness (fail)"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              data-testid="model-search"
            />
            <p className="result-count" aria-live="polite" data-testid="model-count">
              {models.matching === total
                ? `${total.toLocaleString('en-US')} model${total === 1 ? '' : 's'}`
                : `${models.matching.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} models`}
            </p>
          </div>
          {models.matching === 0 ? (
            <EmptyState title="No models match" testId="models-no-match" actions={<button type="button" className="btn btn-secondary" onClick={() => setQuery('')}>Clear search</button>}>
              <p>
                Nothing matches “{query}” in model names, owners, tags, licenses or fairness status.
              </p>
            </EmptyState>
          ) : (
            <ModelTable models={models.rows} sort={sort} onSort={(key) => setSort((s) => nextSort(s, key))} onRange={models.need} />
          )}
        </>
      )}
    </div>
  );
}
