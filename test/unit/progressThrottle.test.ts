import { describe, expect, it } from 'vitest';
import { PROGRESS_INTERVAL_MS, progressThrottle } from '../../electron/core/progressThrottle';

/** The engine worker coalesces progress events so an import cannot flood the Electron main thread. */
describe('progressThrottle', () => {
  it('sends the first progress at once, coalesces the rest to one per interval, keeps the latest', () => {
    let clock = 0;
    const sent: [string, unknown][] = [];
    const throttle = progressThrottle((e, p) => sent.push([e, p]), () => clock);
    for (let done = 0; done <= 5000; done++) {
      throttle.emit('cards/importProgress', { done, total: 5000 });
      clock += 0.05; // 5,000 files in 250 ms
    }
    throttle.flush();
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(250 / PROGRESS_INTERVAL_MS) + 2);
    expect(sent[0]).toEqual(['cards/importProgress', { done: 0, total: 5000 }]);
    expect(sent.at(-1)).toEqual(['cards/importProgress', { done: 5000, total: 5000 }]);
  });

  it('passes other events straight through, after the progress held before them', () => {
    let clock = 0;
    const sent: string[] = [];
    const throttle = progressThrottle((e, p) => sent.push(`${e}:${JSON.stringify(p)}`), () => clock);
    throttle.emit('spend/importProgress', 1);
    clock += 1;
    throttle.emit('spend/importProgress', 2);
    throttle.emit('notifications/new', 'n');
    expect(sent).toEqual(['spend/importProgress:1', 'spend/importProgress:2', 'notifications/new:"n"']);
  });

  it('sends held progress on a timer once the engine is free again', async () => {
    const sent: unknown[] = [];
    const throttle = progressThrottle((_e, p) => sent.push(p));
    throttle.emit('mlflow/syncProgress', 1);
    throttle.emit('mlflow/syncProgress', 2);
    expect(sent).toEqual([1]);
    await new Promise((resolve) => setTimeout(resolve, PROGRESS_INTERVAL_MS * 2));
    expect(sent).toEqual([1, 2]);
  });
});
