/**
 * A whole number with thousands separators, as en-US writes it ("1,000,000"), without Intl. The
 * first Intl number format a process makes loads ICU's locale data, about 40 ms: a one-shot
 * command such as `docket audit verify` paid that for one sentence. Anything that is not a safe
 * integer is left to Intl.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const grouped = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}
