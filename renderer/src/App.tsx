import { lazy, Suspense, useEffect, useRef } from 'react';
import { useRoute, type Route } from './router';
import { OverviewView } from './views/OverviewView';
import { ModelsView } from './models/ModelsView';
import { ModelDetail } from './models/ModelDetail';
import { AuditView } from './views/AuditView';
import { SourcesView } from './views/SourcesView';
import { SpendView } from './spend/SpendView';
import { ReviewsInbox } from './reviews/ReviewsInbox';
import { ReviewPage } from './reviews/ReviewPage';
import { SettingsView } from './views/SettingsView';
import { VerifyPackView } from './pack/VerifyPackView';
import { EmptyState, Loading } from './components/ui';
import { NotificationBell } from './budgets/NotificationBell';

// Loaded on first visit: their charts and forms would otherwise be parsed before the first view paints.
const BudgetsView = lazy(() => import('./budgets/BudgetsView').then((m) => ({ default: m.BudgetsView })));
const BudgetPage = lazy(() => import('./budgets/BudgetPage').then((m) => ({ default: m.BudgetPage })));
const NewBudgetPage = lazy(() => import('./budgets/BudgetPage').then((m) => ({ default: m.NewBudgetPage })));
const AnomaliesView = lazy(() => import('./budgets/AnomaliesPanel').then((m) => ({ default: m.AnomaliesView })));
const LifecycleView = lazy(() => import('./lifecycle/LifecycleView').then((m) => ({ default: m.LifecycleView })));
const SunsetPage = lazy(() => import('./lifecycle/SunsetPage').then((m) => ({ default: m.SunsetPage })));
const NewSunsetPage = lazy(() => import('./lifecycle/SunsetForm').then((m) => ({ default: m.NewSunsetPage })));

const NAV: { view: Route['view']; label: string; icon: string }[] = [
  { view: 'overview', label: 'Overview', icon: '◎' },
  { view: 'models', label: 'Models', icon: '▤' },
  { view: 'reviews', label: 'Reviews', icon: '✓' },
  { view: 'spend', label: 'Spend', icon: '$' },
  { view: 'budgets', label: 'Budgets', icon: '◔' },
  { view: 'lifecycle', label: 'Lifecycle', icon: '↻' },
  { view: 'audit', label: 'Audit log', icon: '≡' },
  { view: 'sources', label: 'Sources', icon: '⇄' },
  { view: 'settings', label: 'Settings', icon: '⚙' },
];

function activeNav(route: Route): Route['view'] {
  if (route.view === 'model') return 'models';
  if (route.view === 'review') return 'reviews';
  if (route.view === 'budget' || route.view === 'budgetNew' || route.view === 'anomalies') return 'budgets';
  if (route.view === 'sunset' || route.view === 'sunsetNew') return 'lifecycle';
  return route.view;
}

function View({ route }: { route: Route }) {
  switch (route.view) {
    case 'overview':
      return <OverviewView />;
    case 'models':
      return <ModelsView />;
    case 'model':
      return <ModelDetail key={`${route.name}@${route.version ?? ''}`} name={route.name} version={route.version} tab={route.tab} />;
    case 'audit':
      return <AuditView />;
    case 'sources':
      return <SourcesView />;
    case 'spend':
      return <SpendView />;
    case 'reviews':
      return <ReviewsInbox />;
    case 'review':
      return <ReviewPage key={route.id} id={route.id} />;
    case 'settings':
      return <SettingsView />;
    case 'verify':
      return <VerifyPackView />;
    case 'budgets':
      return <BudgetsView />;
    case 'budget':
      return <BudgetPage key={route.id} id={route.id} />;
    case 'budgetNew':
      return <NewBudgetPage />;
    case 'anomalies':
      return <AnomaliesView />;
    case 'lifecycle':
      return <LifecycleView />;
    case 'sunset':
      return <SunsetPage key={route.id} id={route.id} />;
    case 'sunsetNew':
      return <NewSunsetPage key={`${route.model}@${route.version}`} model={route.model} version={route.version} />;
    case 'notFound':
      return (
        <div className="page">
          <EmptyState title="Page not found" testId="not-found">
            <p>
              Nothing lives at <code>{route.hash}</code>. Go to the <a href="#/overview">Overview</a>.
            </p>
          </EmptyState>
        </div>
      );
  }
}

export function App() {
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  const current = activeNav(route);
  const routeKey = route.view === 'model' ? `model:${route.name}@${route.version ?? ''}` : route.view === 'review' ? `review:${route.id}` : route.view === 'budget' ? `budget:${route.id}` : route.view === 'sunset' ? `sunset:${route.id}` : route.view === 'sunsetNew' ? `sunsetNew:${route.model}@${route.version}` : route.view;

  useEffect(() => {
    mainRef.current?.scrollTo?.({ top: 0 });
  }, [routeKey]);

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            D
          </span>
          <span className="brand-name">Docket</span>
          <NotificationBell />
        </div>
        <nav aria-label="Main" className="nav">
          <ul>
            {NAV.map((item) => (
              <li key={item.view}>
                <a href={`#/${item.view}`} className={`nav-link ${current === item.view ? 'active' : ''}`} aria-current={current === item.view ? 'page' : undefined} data-testid={`nav-${item.view}`}>
                  <span className="nav-icon" aria-hidden="true">
                    {item.icon}
                  </span>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p className="sidebar-foot">Local workspace · data stays on this machine</p>
      </aside>
      <main id="main" ref={mainRef} className="main" tabIndex={-1}>
        <Suspense fallback={<Loading label="Loading…" />}>
          <View route={route} />
        </Suspense>
      </main>
    </div>
  );
}
