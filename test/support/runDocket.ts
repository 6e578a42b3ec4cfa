import { vi } from 'vitest';
import { resolve } from 'node:path';
import { runCli } from '../../electron/cli/program';
import { fixedClock } from './tempStore';

/** Runs the docket CLI in-process and captures what it prints. */
export async function runDocket(args: string[], clock: () => Date = fixedClock()): Promise<{ code: number; stdout: string; stderr: string; json: () => unknown }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await runCli(args, { resourcesDir: resolve('resources'), clock });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) as unknown };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
