import { createElement, lazy, useState, type ComponentType } from 'react';

/**
 * A view whose code loads on first need (its charts and forms stay out of the first bundle) without
 * the cost React.lazy alone has: a view that suspends shows its fallback, and React holds back the
 * content that replaces a fallback until 300 ms after the fallback appeared (its reveal throttle),
 * so every first visit waited at least 300 ms for a chunk that loads in 40. Here the chunk can be
 * loaded ahead (`preload`): a view rendered after that does not suspend at all.
 */
export interface LazyView<P extends object> {
  (props: P): ReturnType<typeof createElement>;
  preload(): Promise<void>;
}

export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): LazyView<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  const fetchOnce = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (err: unknown) => {
        loading = undefined; // a failed chunk load (an app update) can be tried again
        throw err;
      },
    ));
  const Suspending = lazy(() => fetchOnce().then((component) => ({ default: component })));
  function View(props: P) {
    // Chosen once per mount: switching from the suspending form to the loaded one would remount the view.
    const [Chosen] = useState<ComponentType<P>>(() => loaded ?? Suspending);
    return createElement(Chosen, props);
  }
  View.preload = () => fetchOnce().then(() => undefined);
  return View as LazyView<P>;
}
