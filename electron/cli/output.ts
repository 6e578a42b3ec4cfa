/** How the CLI talks: JSON for machines, aligned text for people, a progress bar only on a TTY. */
export interface CliOutput {
  json: boolean;
  print(human: string, machine: unknown): void;
  error(message: string): void;
  progress(done: number, total: number, label: string): void;
  endProgress(): void;
}

export function createOutput(json: boolean, stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): CliOutput {
  const showProgress = !json && stderr.isTTY === true;
  let drawn = false;
  return {
    json,
    print(human, machine) {
      stdout.write(json ? `${JSON.stringify(machine, null, 2)}\n` : `${human}\n`);
    },
    error(message) {
      stderr.write(`docket: ${message}\n`);
    },
    progress(done, total, label) {
      if (!showProgress || total === 0) return;
      const width = 30;
      const filled = Math.round((done / total) * width);
      const name = label.length > 40 ? `…${label.slice(-39)}` : label;
      stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${name}`.padEnd(100));
      drawn = true;
    },
    endProgress() {
      if (drawn) stderr.write('\r'.padEnd(101) + '\r');
      drawn = false;
    },
  };
}

/** Left-aligned text columns, right-aligned numbers. */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  // A column of numbers (or formatted numbers, or "—" for none) is right-aligned.
  const isNumeric = (cell: string | number | undefined) => typeof cell === 'number' || (typeof cell === 'string' && /^([+-]?[\d.,]+%?|—)$/.test(cell));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => isNumeric(r[i])) && rows.some((r) => r[i] !== '—'));
  return cells
    .map((r) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}
