import { Suspense, useEffect, useRef } from 'react';
import { lazyView } from './lazyView';
import { useRoute, type Route } from './router';
import { OverviewView } from './views/OverviewView';
import { ModelsView } from './models/ModelsView';
import { ModelDetail, preloadModelTabs } from './models/ModelDetail';
import { AuditView } from './views/AuditView';
import { SourcesView } from './views/SourcesView';
import { preloadSpendChart, SpendView } from './spend/SpendView';
import { ReviewsInbox } from './reviews/ReviewsInbox';
import { ReviewPage } from './reviews/ReviewPage';
import { SettingsView } from './views/SettingsView';
import { VerifyPackView } from './pack/VerifyPackView';
import { EmptyState, Loading } from './components/ui';
import { NotificationBell } from './budgets/NotificationBell';

// Loaded on first need: their charts and forms would otherwise be parsed before the first view paints.
// main.tsx loads the one the window opens on before the first render; the rest load once it has painted.
const BudgetsView = lazyView(() => import('./budgets/BudgetsView').then((m) => m.BudgetsView));
const BudgetPage = lazyView(() => import('./budgets/BudgetPage').then((m) => m.BudgetPage));
const NewBudgetPage = lazyView(() => import('./budgets/BudgetPage').then((m) => m.NewBudgetPage));
const AnomaliesView = lazyView(() => import('./budgets/AnomaliesPanel').then((m) => m.AnomaliesView));
const LifecycleView = lazyView(() => import('./lifecycle/LifecycleView').then((m) => m.LifecycleView));
const SunsetPage = lazyView(() => import('./lifecycle/SunsetPage').then((m) => m.SunsetPage));
const NewSunsetPage = lazyView(() => import('./lifecycle/SunsetForm').then((m) => m.NewSunsetPage));

const LAZY_VIEWS: Partial<Record<Route['view'], { preload(): Promise<void> }>> = {
  budgets: BudgetsView,
  budget: BudgetPage,
  budgetNew: NewBudgetPage,
  anomalies: AnomaliesView,
  lifecycle: LifecycleView,
  sunset: SunsetPage,
  sunsetNew: NewSunsetPage,
};

/**
 * Loads the code of the view `route` shows (a model page's tab included), if it is loaded on first
 * need; resolves at once otherwise. The Spend view's chart is left to load beside the view: the
 * figures above it do not wait for it.
 */
export function preloadViewFor(route: Route): Promise<unknown> {
  if (route.view === 'model') return route.tab === 'card' ? Promise.resolve() : preloadModelTabs();
  return LAZY_VIEWS[route.view]?.preload() ?? Promise.resolve();
}

/** Loads every view, tab and chart loaded on first need, so later visits do not wait for their code. */
function preloadEveryView(): void {
  for (const view of Object.values(LAZY_VIEWS)) view.preload().catch(() => undefined);
  preloadModelTabs().catch(() => undefined);
  preloadSpendChart().catch(() => undefined);
}

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

  // Once the first view has painted, the other views' code loads while the window is idle.
  useEffect(() => {
    const timer = setTimeout(preloadEveryView, 500);
    return () => clearTimeout(timer);
  }, []);

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
