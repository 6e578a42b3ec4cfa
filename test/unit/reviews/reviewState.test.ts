import { describe, expect, it } from 'vitest';
import { allowedActions, nextState, tallyApprovals } from '../../../shared/reviews/reviewState';

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

describe('tallyApprovals', () => {
  const allOf = { minApprovers: 2, roles: ['risk-officer', 'ml-lead'], mode: 'all-of' as const };

  it('an all-of rule needs every role, and a second approver completes it', () => {
    const first = tallyApprovals(allOf, [{ keyId: 'k1', signer: 'Ada', role: 'ml-lead' }]);
    expect(first).toMatchObject({ satisfied: false, counted: 1, needed: 2, missingRoles: ['risk-officer'] });
    expect(first.summary).toBe('1 of 2 approvals; still needs risk-officer');
    const second = tallyApprovals(allOf, [
      { keyId: 'k1', signer: 'Ada', role: 'ml-lead' },
      { keyId: 'k2', signer: 'Grace', role: 'risk-officer' },
    ]);
    expect(second).toMatchObject({ satisfied: true, counted: 2, missingRoles: [] });
  });

  it('the same person with two keys counts once; a role outside the rule does not count', () => {
    const tally = tallyApprovals({ minApprovers: 2, roles: ['ml-lead'], mode: 'any-of' }, [
      { keyId: 'k1', signer: 'Ada', role: 'ml-lead' },
      { keyId: 'k9', signer: 'ada', role: 'ml-lead' },
      { keyId: 'k3', signer: 'Linus', role: 'intern' },
    ]);
    expect(tally).toMatchObject({ satisfied: false, counted: 1, needed: 2 });
  });

  it('an any-of rule with one approver is met by any listed role', () => {
    expect(tallyApprovals({ minApprovers: 1, roles: ['risk-officer', 'ml-lead'], mode: 'any-of' }, [{ keyId: 'k2', signer: 'Grace', role: 'risk-officer' }]).satisfied).toBe(true);
  });
});
