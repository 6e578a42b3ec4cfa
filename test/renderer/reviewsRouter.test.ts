import { describe, expect, it } from 'vitest';
import { modelHref, parseHash, reviewHref } from '../../renderer/src/router';

describe('router: review pages', () => {
  it('parses #/reviews/<id> as one review and keeps #/reviews as the inbox', () => {
    expect(parseHash('#/reviews/12')).toEqual({ view: 'review', id: 12 });
    expect(parseHash(reviewHref(7))).toEqual({ view: 'review', id: 7 });
    expect(reviewHref(7)).toBe('#/reviews/7');
    expect(parseHash('#/reviews')).toEqual({ view: 'reviews' });
    expect(parseHash('#/settings')).toEqual({ view: 'settings' });
  });

  it('refuses ids that are not positive integers', () => {
    for (const bad of ['#/reviews/0', '#/reviews/-1', '#/reviews/abc', '#/reviews/1.5', '#/reviews/12/x', '#/reviews/012', '#/reviews/99999999999']) {
      expect(parseHash(bad)).toEqual({ view: 'notFound', hash: bad });
    }
  });

  it('leaves the other routes as they were', () => {
    expect(parseHash('')).toEqual({ view: 'overview' });
    expect(parseHash('#/models/fraud@2/fairness')).toEqual({ view: 'model', name: 'fraud', version: '2', tab: 'fairness' });
    expect(parseHash(modelHref('org/x@y', '1/rc'))).toEqual({ view: 'model', name: 'org/x@y', version: '1/rc', tab: 'card' });
    expect(parseHash('#/audit')).toEqual({ view: 'audit' });
  });
});
