// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { DocketApi } from '../../shared/ipc/bridge';
import type { SunsetCandidate } from '../../shared/lifecycle/lifecycleViews';
import { answerForTransport } from '../../shared/ipc/jsonAnswer';
import { LifecycleView } from '../../renderer/src/lifecycle/LifecycleView';
import { candidatesHorizon, filterCandidates, filterOptions, rankCandidates, savingsOf, type CandidateFilter } from '../../shared/lifecycle/candidateList';

// A large registry's candidates: the view asks the engine for the best savings first and more on
// request, and reads the answer as the engine sends it at scale (JSON text, shared/ipc/jsonAnswer.ts).

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

/** Pages like the engine's handler (electron/core/lifecycle/lifecycleHandlers.ts), with the same shared list functions. */
function page(all: SunsetCandidate[], input: { filter?: CandidateFilter; limit?: number }) {
  const matching = rankCandidates(input.filter ? filterCandidates(all, input.filter) : all);
  return {
    asOf: '2026-04-01',
    candidates: input.limit === undefined ? matching : matching.slice(0, input.limit),
    total: all.length,
    matching: matching.length,
    savingsAtStake: savingsOf(all),
    matchingSavings: savingsOf(matching),
    options: filterOptions(all),
    dataThrough: candidatesHorizon(all),
    states: [],
    retiredSpend: [],
  };
}

const asked: unknown[] = [];

function install(count: number) {
  const candidates = Array.from({ length: count }, (_, i) => candidate(i));
  asked.length = 0;
  const api = {
    invoke: async (channel: string, input: { filter?: CandidateFilter; limit?: number }) => {
      if (channel === 'sunsets/list') return { ok: true, value: [] };
      if (channel !== 'lifecycle/candidates') return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: channel } };
      asked.push(input);
      return answerForTransport(channel, { ok: true, value: page(candidates, input) });
    },
    on: () => () => undefined,
  };
  (window as unknown as { docket: DocketApi }).docket = api as unknown as DocketApi;
}

beforeEach(() => install(250));
afterEach(cleanup);

describe('LifecycleView at scale', () => {
  it('asks for the first 100 candidates by saving and for more on request', async () => {
    render(<LifecycleView />);
    expect(await screen.findAllByTestId('candidate-row')).toHaveLength(100);
    expect(asked[0]).toMatchObject({ limit: 100 });
    expect(screen.getAllByTestId('candidate-row')[0]!.dataset.model).toBe('model-0000');
    expect(screen.getByTestId('lifecycle-more').textContent).toContain('Showing the first 100 of 250 candidates');
    fireEvent.click(screen.getByTestId('lifecycle-show-more'));
    await waitFor(() => expect(screen.getAllByTestId('candidate-row')).toHaveLength(200));
    expect(screen.getByTestId('lifecycle-show-more').textContent).toBe('Show 50 more');
    fireEvent.click(screen.getByTestId('lifecycle-show-more'));
    await waitFor(() => expect(screen.getAllByTestId('candidate-row')).toHaveLength(250));
    expect(screen.queryByTestId('lifecycle-more')).toBeNull();
    expect(asked.at(-1)).toMatchObject({ limit: 300 });
  });

  it('starts again from the first 100 when a filter changes, with the filter sent to the engine', async () => {
    render(<LifecycleView />);
    await screen.findAllByTestId('candidate-row');
    fireEvent.click(screen.getByTestId('lifecycle-show-more'));
    await waitFor(() => expect(screen.getAllByTestId('candidate-row')).toHaveLength(200));
    fireEvent.change(screen.getByTestId('lifecycle-filter-team'), { target: { value: 'fraud' } });
    await waitFor(() => expect(screen.getByTestId('lifecycle-count').textContent).toContain('125 of 250 candidates'));
    expect(screen.getAllByTestId('candidate-row')).toHaveLength(100);
    expect(asked.at(-1)).toEqual({ filter: { reason: '', team: 'fraud', provider: '' }, limit: 100 });
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
