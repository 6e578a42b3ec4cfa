import { parentPort, workerData } from 'node:worker_threads';
import { parseFocusCsv, type FocusParseRequest } from './focusParse';
import { batchTransferList, type LineItemBatch } from './lineItemBatch';

/**
 * The parse worker of a FOCUS import: reads, hashes, parses and checks the file while the importer's
 * thread writes the rows, so the two halves of an import run on two cores.
 *
 * Out: {batch, rows, bytesRead} for each batch, then {outcome} or {error}. In: 'ack' per batch written.
 * At most MAX_IN_FLIGHT batches wait for their ack, so memory stays bounded when writing is slower.
 */
export type ParseWorkerMessage =
  | { type: 'raw'; bytes: Uint8Array }
  | { type: 'batch'; batch: LineItemBatch; rows: number; bytesRead: number }
  | { type: 'outcome'; outcome: Awaited<ReturnType<typeof parseFocusCsv>> }
  | { type: 'error'; message: string };

const MAX_IN_FLIGHT = 4;

const port = parentPort;
if (port) {
  let inFlight = 0;
  let resume: (() => void) | null = null;
  port.on('message', (message: unknown) => {
    if (message !== 'ack') return;
    inFlight--;
    const r = resume;
    resume = null;
    r?.();
  });
  const post = (message: ParseWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  parseFocusCsv(workerData as FocusParseRequest, {
    // The file's bytes go to the importer's thread to be hashed there (it waits on this one).
    // A read chunk owns its memory (fs allocates each outside the shared pool), so it is moved, not
    // copied; a small one, which might sit in the pool, is copied first.
    rawChunk(bytes) {
      const own = bytes.length >= Buffer.poolSize ? bytes : Buffer.from(bytes);
      post({ type: 'raw', bytes: own }, [own.buffer as ArrayBuffer]);
    },
    async onBatch(batch, rows, bytesRead) {
      inFlight++;
      post({ type: 'batch', batch, rows, bytesRead }, batchTransferList(batch));
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (resume = r));
    },
  }).then(
    (outcome) => post({ type: 'outcome', outcome }),
    (err: unknown) => post({ type: 'error', message: (err as Error).message ?? String(err) }),
  );
}
