import { join } from 'node:path';
import { runCli } from './program';

// The bundle lives in out/cli/; bundled resources sit at the repository (or app) root.
const resourcesDir = process.env.DOCKET_RESOURCES_DIR ?? join(__dirname, '..', '..', 'resources');

runCli(process.argv.slice(2), { resourcesDir }).then(
  (code) => {
    // For the benchmark: the process's own peak memory, as the OS counted it.
    if (process.env.DOCKET_REPORT_RSS) process.stderr.write(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`);
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`docket: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
