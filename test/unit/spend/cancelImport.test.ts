import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { dispatch, type Handlers } from '../../../shared/ipc/dispatch';
import { createCoreHandlers } from '../../../electron/core/handlers';
import { writeFocusCsv } from '../../bench/focusData';
import { tempStore, fixedClock } from '../../support/tempStore';

let t: ReturnType<typeof tempStore>;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

describe('FOCUS import over IPC', () => {
  it('reports progress, and a cancel rolls the file back', async () => {
    const file = join(t.dir, 'big.csv');
    await writeFocusCsv(file, 60_000);
    const progress: number[] = [];
    let cancelled: unknown;
    const handlers: Handlers = createCoreHandlers({
      store: t.store,
      resourcesDir: resolve('resources'),
      actor: 'a',
      clock: fixedClock(),
      emit: (event, payload) => {
        if (event !== 'spend/importProgress') return;
        const p = payload as { rows: number };
        progress.push(p.rows);
        // Cancel as soon as rows are flowing, the way the UI's Cancel button does.
        if (p.rows > 0 && cancelled === undefined) cancelled = dispatch(handlers, 'spend/cancelImport', {});
      },
    }) as unknown as Handlers;
    const result = await dispatch(handlers, 'spend/import', { paths: [file] });
    expect(await cancelled).toEqual({ ok: true, value: { cancelled: true } });
    expect(result).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringMatching(/cancelled/i) } });
    expect(progress.length).toBeGreaterThan(0);
    expect(t.store.db.prepare('SELECT count(*) n FROM spend_line_items').get()).toEqual({ n: 0 });
    expect(t.store.db.prepare('SELECT count(*) n FROM spend_daily').get()).toEqual({ n: 0 });
    // Nothing is left running: the next import proceeds.
    const again = await dispatch(handlers, 'spend/import', { paths: [resolve('test/fixtures/focus/focus-1.0-sample-1000.csv')] });
    expect(again).toMatchObject({ ok: true });
  });

  it('a write made while an import runs is not swept into it: cancelling the import keeps it', async () => {
    const file = join(t.dir, 'big.csv');
    await writeFocusCsv(file, 60_000);
    let during: Promise<unknown> | undefined;
    let cancelled: Promise<unknown> | undefined;
    const handlers: Handlers = createCoreHandlers({
      store: t.store,
      resourcesDir: resolve('resources'),
      actor: 'a',
      clock: fixedClock(),
      emit: (event, payload) => {
        if (event !== 'spend/importProgress' || (payload as { rows: number }).rows === 0) return;
        // Someone edits attribution in another view mid-import, then the import is cancelled.
        during ??= dispatch(handlers, 'attribution/add', { kind: 'resource', tagKey: null, pattern: 'arn:aws:sagemaker:*:endpoint/fraud-*', model: 'fraud-score-card-txn' });
        cancelled ??= dispatch(handlers, 'spend/cancelImport', {});
      },
    }) as unknown as Handlers;
    const result = await dispatch(handlers, 'spend/import', { paths: [file] });
    expect(result).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    expect(await cancelled).toEqual({ ok: true, value: { cancelled: true } });
    expect(await during).toMatchObject({ ok: true });
    expect(t.store.db.prepare('SELECT count(*) n FROM attribution_rules').get()).toEqual({ n: 1 });
    expect(t.store.db.prepare('SELECT count(*) n FROM spend_line_items').get()).toEqual({ n: 0 });
  });
});
