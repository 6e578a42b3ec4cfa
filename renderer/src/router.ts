import { useEffect, useMemo, useState } from 'react';
import { useEngineEvent } from './ipc';

/** The tabs of a model version's page; 'card' is the default and has no URL suffix. */
export const MODEL_TABS = ['card', 'fairness', 'lineage', 'history'] as const;
export type ModelTab = (typeof MODEL_TABS)[number];

export type Route =
  | { view: 'overview' }
  | { view: 'models' }
  | { view: 'model'; name: string; version: string | undefined; tab: ModelTab }
  | { view: 'reviews' }
  | { view: 'review'; id: number }
  | { view: 'spend' }
  | { view: 'budgets' }
  | { view: 'budget'; id: number }
  | { view: 'budgetNew' }
  | { view: 'anomalies' }
  | { view: 'lifecycle' }
  | { view: 'sunset'; id: number }
  | { view: 'sunsetNew'; model: string; version: string }
  | { view: 'audit' }
  | { view: 'sources' }
  | { view: 'settings' }
  | { view: 'verify' }
  | { view: 'notFound'; hash: string };

const SIMPLE = ['overview', 'models', 'reviews', 'spend', 'budgets', 'lifecycle', 'audit', 'sources', 'settings', 'verify'] as const;

/** The audit pack verifier, also opened from the app menu ("Verify audit pack…"). */
export const VERIFY_HREF = '#/verify';

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/**
 * `#/models/<name>@<version>[/<tab>]`: name and version are URI-encoded, so the literal '@' and '/'
 * are unambiguous. The tab suffix is `/fairness`, `/lineage`, `/history` (or `/card`, the default).
 */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  if (path === '') return { view: 'overview' };
  const slash = path.indexOf('/');
  const head = slash === -1 ? path : path.slice(0, slash);
  const rest = slash === -1 ? '' : path.slice(slash + 1);
  if (head === 'models' && rest !== '') {
    let tab: ModelTab = 'card';
    let target = rest;
    const suffix = /\/(card|fairness|lineage|history)$/.exec(rest);
    if (suffix) {
      tab = suffix[1] as ModelTab;
      target = rest.slice(0, suffix.index);
    }
    if (target === '') return { view: 'notFound', hash };
    const at = target.lastIndexOf('@');
    const name = safeDecode(at === -1 ? target : target.slice(0, at));
    const version = at === -1 ? undefined : safeDecode(target.slice(at + 1));
    if (name === undefined || name === '') return { view: 'notFound', hash };
    return { view: 'model', name, version: version === '' ? undefined : version, tab };
  }
  if (head === 'reviews' && rest !== '') {
    // `#/reviews/<id>`: a positive integer id, nothing after it.
    if (!/^[1-9]\d{0,8}$/.test(rest)) return { view: 'notFound', hash };
    return { view: 'review', id: Number(rest) };
  }
  if (head === 'budgets' && rest !== '') {
    // `#/budgets/new`, `#/budgets/anomalies`, `#/budgets/<id>`.
    if (rest === 'new') return { view: 'budgetNew' };
    if (rest === 'anomalies') return { view: 'anomalies' };
    if (!/^[1-9]\d{0,8}$/.test(rest)) return { view: 'notFound', hash };
    return { view: 'budget', id: Number(rest) };
  }
  if (head === 'lifecycle' && rest !== '') {
    // `#/lifecycle/sunsets/<id>`, `#/lifecycle/new?model=<name>&version=<version>`.
    const sunset = /^sunsets\/([1-9]\d{0,8})$/.exec(rest);
    if (sunset) return { view: 'sunset', id: Number(sunset[1]) };
    if (rest.startsWith('new?')) {
      const params = new URLSearchParams(rest.slice(4));
      const model = params.get('model');
      const version = params.get('version');
      if (model && version) return { view: 'sunsetNew', model, version };
    }
    return { view: 'notFound', hash };
  }
  if (rest === '' && (SIMPLE as readonly string[]).includes(head)) return { view: head as (typeof SIMPLE)[number] } as Route;
  return { view: 'notFound', hash };
}

export function modelHref(name: string, version?: string, tab: ModelTab = 'card'): string {
  return `#/models/${encodeURIComponent(name)}${version ? `@${encodeURIComponent(version)}` : ''}${tab === 'card' ? '' : `/${tab}`}`;
}

export function reviewHref(id: number): string {
  return `#/reviews/${id}`;
}

export function navigate(hash: string): void {
  if (window.location.hash !== hash) window.location.hash = hash;
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    // The hash is read again now that the listener is on: a change between the first render and
    // this effect (a link clicked, or a page.goto, while the window was still mounting) fired no
    // listener, and the window would have shown the old view until the next change.
    onChange();
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  // The app menu's "Verify audit pack…" arrives as an event: the shell never navigates the page itself.
  useEngineEvent('pack/openVerify', () => navigate(VERIFY_HREF));
  return useMemo(() => parseHash(hash), [hash]);
}
