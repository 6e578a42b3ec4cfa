// The security gate: Electronegativity over the Electron shell and preload, failing on any
// HIGH or MEDIUM finding. Uses the programmatic runner (its CLI breaks when a newer
// `commander` is hoisted next to it).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js');

// Scan the built JavaScript: it is what ships, and the scanner's parser predates recent TypeScript syntax.
const targets = ['out/main', 'out/preload'].map((p) => resolve(p));
for (const target of targets) {
  if (!existsSync(target)) {
    console.error(`security gate: ${target} is missing; run npm run build first`);
    process.exit(1);
  }
}

const electronVersion = require('electron/package.json').version;
let failures = 0;
let total = 0;
for (const input of targets) {
  const originalLog = console.log;
  console.log = () => {}; // the runner prints a banner and tables; we print our own summary
  let result;
  try {
    result = await run({ input, output: undefined, isSarif: false, customScan: [], excludeFromScan: [], severitySet: 'informational', confidenceSet: 'tentative', isRelative: true, isVerbose: false, electronUpgrade: undefined, electronVersionOverride: electronVersion, parserPlugins: [] });
  } finally {
    console.log = originalLog;
  }
  const issues = result?.issues ?? [];
  total += issues.length;
  for (const issue of issues) {
    const severity = issue.severity?.name ?? String(issue.severity);
    const blocking = severity === 'HIGH' || severity === 'MEDIUM';
    if (blocking) failures += 1;
    console.log(`${blocking ? 'FAIL' : 'note'} ${severity.padEnd(13)} ${issue.id} ${issue.file}:${issue.location?.line ?? '?'} ${issue.manualReview ? '(manual review)' : ''}`);
  }
  if (result?.errors?.length) console.log(`(${result.errors.length} files could not be parsed in ${input})`);
}
console.log(`Electronegativity: ${total} findings, ${failures} HIGH or MEDIUM.`);
process.exit(failures > 0 ? 1 : 0);
