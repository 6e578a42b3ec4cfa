// A process that changes budgets without pause until it is killed, for the SIGKILL test: each step
// creates budget "crash-<run>-<i>" at 100, then changes it to 200 with a reason (two transactions,
// each with its audit entry). Prints "progress <i>" after each committed step.
import { setBudget } from '../../../electron/core/budgets/budgetStore';
import { openStore } from '../../../electron/core/store/openStore';
import { systemClock } from '../../../electron/core/store/clock';

function main(): void {
  const [dbPath, run] = process.argv.slice(2);
  if (!dbPath || !run) throw new Error('usage: crashWriterChild <db> <run>');
  const store = openStore(dbPath);
  const definition = (name: string, amount: number) => ({ name, scope: { kind: 'all' }, period: { kind: 'monthly' }, amount, currency: 'USD' });
  for (let i = 0; ; i++) {
    const name = `crash-${run}-${i}`;
    setBudget(store, definition(name, 100), { actor: 'child', clock: systemClock });
    setBudget(store, definition(name, 200), { actor: 'child', clock: systemClock, reason: 'raised' });
    process.stdout.write(`progress ${i}\n`);
  }
}

main();
