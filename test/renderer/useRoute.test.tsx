// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { useRoute } from '../../renderer/src/router';

// The window's route follows the hash from the first paint on, including a change made while the
// window was still mounting, before the router's listener was on (CI once opened #/settings then,
// and the window stayed on the Overview until the next navigation).

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '#/');
});

function Shown({ onFirstRender }: { onFirstRender?: () => void }) {
  const route = useRoute();
  onFirstRender?.();
  return <span data-testid="view">{route.view}</span>;
}

describe('useRoute', () => {
  it('picks up a hash that changed after the first render and before the listener was on', () => {
    window.history.replaceState(null, '', '#/overview');
    let changed = false;
    // history.replaceState fires no hashchange: exactly what a change in that gap looks like to the router.
    render(<Shown onFirstRender={() => !changed && ((changed = true), window.history.replaceState(null, '', '#/settings'))} />);
    expect(screen.getByTestId('view').textContent).toBe('settings');
  });

  it('follows later changes', async () => {
    window.history.replaceState(null, '', '#/models');
    render(<Shown />);
    expect(screen.getByTestId('view').textContent).toBe('models');
    await act(async () => {
      window.location.hash = '#/audit';
      await new Promise((done) => setTimeout(done, 0));
    });
    expect(screen.getByTestId('view').textContent).toBe('audit');
  });
});
