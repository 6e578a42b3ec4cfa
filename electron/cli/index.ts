import { join } from 'node:path';
import { runCli } from './program';

// The bundle lives in out/cli/; bundled resources sit at the repository (or app) root.
const resourcesDir = process.env.DOCKET_RESOURCES_DIR ?? join(__dirname, '..', '..', 'resources');

runCli(process.argv.slice(2), { resourcesDir }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`docket: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
