import { describe, expect, it } from 'vitest';
import { allowedActions, nextState } from '../../../shared/reviews/reviewState';

describe('review states', () => {
  it('moves through review and refuses moves a closed review cannot make', () => {
    expect(nextState('draft', 'submit')).toBe('in_review');
    expect(nextState('in_review', 'request-changes')).toBe('changes_requested');
    expect(nextState('changes_requested', 'approve', false)).toBe('in_review');
    expect(nextState('changes_requested', 'approve', true)).toBe('approved');
    expect(nextState('in_review', 'reject')).toBe('rejected');
    expect(() => nextState('approved', 'reject')).toThrow('a review that is approved cannot be rejected');
    expect(() => nextState('draft', 'approve')).toThrow('a review that is a draft cannot be approved');
    expect(allowedActions('withdrawn')).toEqual([]);
  });
});

