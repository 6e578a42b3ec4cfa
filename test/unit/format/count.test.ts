import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatCount } from '../../../shared/format/count';

describe('formatCount', () => {
  it('writes whole numbers as en-US Intl does', () => {
    const samples = [0, 1, -1, 7, 12, 999, 1000, -1000, 1001, 12_345, 999_999, 1_000_000, -1_234_567, 2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (let digits = 1; digits <= 16; digits++) samples.push(Number('9'.repeat(digits)), 10 ** (digits - 1));
    for (const n of samples) expect(formatCount(n), String(n)).toBe(n.toLocaleString('en-US'));
  });

  it('leaves fractions and numbers beyond the safe integers to Intl', () => {
    for (const n of [1234.5, -0.25, 2 ** 60, Infinity, NaN]) expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });

  it('does not load ICU: a process that only formats counts makes no Intl number format', () => {
    // The reason it exists. Intl's first number format costs tens of milliseconds in a fresh process;
    // a counter on Intl.NumberFormat shows whether the helper reached for it.
    const script = `
      let made = 0;
      const NF = Intl.NumberFormat;
      Intl.NumberFormat = function (...a) { made++; return new NF(...a); };
      Number.prototype.toLocaleString = function () { made++; return ''; };
      ${formatCount.toString()}
      formatCount(1234567); formatCount(-42);
      process.stdout.write(String(made));`;
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toBe('0');
  });
});
