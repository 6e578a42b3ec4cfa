// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { DocketApi } from '../../shared/ipc/bridge';
import type { SunsetCandidate } from '../../shared/lifecycle/lifecycleViews';
import { answerForTransport } from '../../shared/ipc/jsonAnswer';
import { LifecycleView } from '../../renderer/src/lifecycle/LifecycleView';

// A large registry's candidates: the view draws the best savings first and more on request, and
// reads the answer as the engine sends it at scale (JSON text, shared/ipc/jsonAnswer.ts).

function candidate(i: number): SunsetCandidate {
  return {
    model: `model-${String(i).padStart(4, '0')}`,
    version: '3',
    team: i % 2 === 0 ? 'fraud' : 'claims',
    providers: ['aws'],
    reasons: [{ code: i % 2 === 0 ? 'stale' : 'no-owner', detail: `Reason for ${i}.`, figures: {} }],
    monthlySaving: 10_000 - i,
    currency: 'USD',
    monthlySpend: 10_000 - i,
    costPer1k: null,
    dataThrough: { spend: '2026-03-31', usage: null },
  };
}

function install(count: number) {
  const candidates = Array.from({ length: count }, (_, i) => candidate(i));
  const answers: Record<string, unknown> = {
    'lifecycle/candidates': { asOf: '2026-04-01', candidates, savingsAtStake: [{ currency: 'USD', monthly: 1 }], states: [], retiredSpend: [] },
    'sunsets/list': [],
  };
  const api = {
    invoke: async (channel: string) =>
      channel in answers ? answerForTransport(channel, { ok: true, value: answers[channel] }) : { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: channel } },
    on: () => () => undefined,
  };
  (window as unknown as { docket: DocketApi }).docket = api as unknown as DocketApi;
}

beforeEach(() => install(250));
afterEach(cleanup);

describe('LifecycleView at scale', () => {
  it('draws the first 100 candidates by saving and adds more on request', async () => {
    render(<LifecycleView />);
    expect(await screen.findAllByTestId('candidate-row')).toHaveLength(100);
    expect(screen.getAllByTestId('candidate-row')[0]!.dataset.model).toBe('model-0000');
    expect(screen.getByTestId('lifecycle-more').textContent).toContain('Showing the first 100 of 250 candidates');
    fireEvent.click(screen.getByTestId('lifecycle-show-more'));
    expect(screen.getAllByTestId('candidate-row')).toHaveLength(200);
    expect(screen.getByTestId('lifecycle-show-more').textContent).toBe('Show 50 more');
    fireEvent.click(screen.getByTestId('lifecycle-show-more'));
    expect(screen.getAllByTestId('candidate-row')).toHaveLength(250);
    expect(screen.queryByTestId('lifecycle-more')).toBeNull();
  });

  it('starts again from the first 100 when a filter changes', async () => {
    render(<LifecycleView />);
    await screen.findAllByTestId('candidate-row');
    fireEvent.click(screen.getByTestId('lifecycle-show-more'));
    expect(screen.getAllByTestId('candidate-row')).toHaveLength(200);
    fireEvent.change(screen.getByTestId('lifecycle-filter-team'), { target: { value: 'fraud' } });
    expect(screen.getAllByTestId('candidate-row')).toHaveLength(100);
    expect(screen.getByTestId('lifecycle-count').textContent).toContain('125 of 250 candidates');
    expect(screen.getByTestId('lifecycle-more').textContent).toContain('first 100 of 125');
  });

  it('shows no "more" line when every candidate fits', async () => {
    cleanup();
    install(40);
    render(<LifecycleView />);
    expect(await screen.findAllByTestId('candidate-row')).toHaveLength(40);
    expect(screen.queryByTestId('lifecycle-more')).toBeNull();
  });
});
