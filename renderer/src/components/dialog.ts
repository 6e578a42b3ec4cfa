import type { KeyboardEvent } from 'react';
import type { ReviewerKey } from '../../../shared/signing/reviewerKey';

/** Elements Tab can land on inside a modal dialog. */
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside a modal dialog (WAI-ARIA dialog pattern): from the last focusable
 * element Tab wraps to the first, and back. Returns true when it handled the key.
 */
export function trapTabFocus(event: KeyboardEvent, container: HTMLElement | null): boolean {
  if (event.key !== 'Tab' || !container) return false;
  const focusable = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)];
  if (focusable.length === 0) return false;
  const first = focusable[0]!;
  const last = focusable[focusable.length - 1]!;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
    return true;
  }
  if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
    return true;
  }
  return false;
}

/** The keys this workspace can sign with now: trusted, not revoked, private half held here. */
export function signingKeys<K extends Pick<ReviewerKey, 'trusted' | 'revokedAt'> & { hasPrivateKey: boolean }>(keys: readonly K[] | undefined): K[] {
  return (keys ?? []).filter((k) => k.hasPrivateKey && k.trusted && !k.revokedAt);
}
