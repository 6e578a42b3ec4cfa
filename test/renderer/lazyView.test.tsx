// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { Suspense } from 'react';
import { act, cleanup, render, screen } from '@testing-library/react';
import { lazyView } from '../../renderer/src/lazyView';

/**
 * Views loaded on first need: before their code has loaded they suspend (and React holds the
 * content back 300 ms after its fallback showed); once preloaded they render at once, with no
 * fallback at all. A chunk that failed to load can be asked for again.
 */
afterEach(cleanup);

function Greeting({ name }: { name: string }) {
  return <p data-testid="greeting">Hello {name}</p>;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const inSuspense = (node: React.ReactNode) => <Suspense fallback={<p data-testid="fallback">Loading…</p>}>{node}</Suspense>;

describe('lazyView', () => {
  it('suspends on a view whose code has not loaded, then shows it', async () => {
    const chunk = deferred<typeof Greeting>();
    const View = lazyView(() => chunk.promise);
    render(inSuspense(<View name="Ada" />));
    expect(screen.getByTestId('fallback')).toBeTruthy();
    await act(async () => chunk.resolve(Greeting));
    expect((await screen.findByTestId('greeting')).textContent).toBe('Hello Ada');
  });

  it('renders a preloaded view at once, without a fallback, and loads its code once', async () => {
    let loads = 0;
    const View = lazyView(async () => {
      loads += 1;
      return Greeting;
    });
    await View.preload();
    await View.preload();
    render(inSuspense(<View name="Grace" />));
    // Synchronously after the first render: no fallback was ever shown.
    expect(screen.queryByTestId('fallback')).toBeNull();
    expect(screen.getByTestId('greeting').textContent).toBe('Hello Grace');
    expect(loads).toBe(1);
  });

  it('asks for a chunk again after a failed load', async () => {
    let attempt = 0;
    const View = lazyView(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('chunk missing');
      return Greeting;
    });
    await expect(View.preload()).rejects.toThrow('chunk missing');
    await View.preload();
    render(inSuspense(<View name="Edsger" />));
    expect(screen.getByTestId('greeting').textContent).toBe('Hello Edsger');
    expect(attempt).toBe(2);
  });
});
