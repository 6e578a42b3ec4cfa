import type { ReactNode } from 'react';
import { EmptyState, PageHeader } from '../components/ui';

interface Placeholder {
  title: string;
  question: string;
  emptyTitle: string;
  body: ReactNode;
}

export const PLACEHOLDERS: Record<'lifecycle', Placeholder> = {
  lifecycle: {
    title: 'Lifecycle',
    question: 'What should go, and what does it save?',
    emptyTitle: 'No lifecycle data yet',
    body: (
      <>
        <p>Lifecycle will propose sunsets for idle or superseded model versions, with the monthly saving at stake and a signed decision trail.</p>
        <p>Coming in a later release. It builds on imported cards, lineage and spend.</p>
      </>
    ),
  },
};

export function PlaceholderView({ area }: { area: keyof typeof PLACEHOLDERS }) {
  const p = PLACEHOLDERS[area];
  return (
    <div className="page" data-testid={`${area}-view`}>
      <PageHeader title={p.title} subtitle={p.question} />
      <EmptyState title={p.emptyTitle} testId={`${area}-empty`}>
        {p.body}
      </EmptyState>
    </div>
  );
}
