// The security gate: Electronegativity over the Electron shell and preload, failing on any
// HIGH or MEDIUM finding. Uses the programmatic runner (its CLI breaks when a newer
// `commander` is hoisted next to it).
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js');

// Scan what ships, in one tree so the global checks (CSP, navigation limits, permission handler)
// see the main process, the preload and the page together. Built JavaScript, because the scanner's
// TypeScript parser predates recent syntax.
const parts = ['out/main', 'out/preload', 'out/renderer/index.html'];
for (const part of parts) {
  if (!existsSync(part)) {
    console.error(`security gate: ${part} is missing; run npm run build first`);
    process.exit(1);
  }
}
const scanDir = mkdtempSync(join(tmpdir(), 'docket-eng-'));
for (const part of parts) cpSync(resolve(part), join(scanDir, part.replace(/^out\//, '')), { recursive: true });

/**
 * Findings a person reviewed and accepted, with the reason. Each must still be reported by the
 * scanner (a stale entry fails the gate too, so this list cannot silently outlive the code).
 */
const REVIEWED = [
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    why: 'the only shell.openExternal call is in electron/main/openExternal.ts, behind checkExternalUrl (https, http, mailto only; no credentials), unit-tested in test/unit/ipc.test.ts',
  },
];

const electronVersion = require('electron/package.json').version;
let result;
const originalLog = console.log;
console.log = () => {}; // the runner prints a banner and tables; we print our own summary
try {
  result = await run({ input: scanDir, output: undefined, isSarif: false, customScan: [], excludeFromScan: [], severitySet: 'informational', confidenceSet: 'tentative', isRelative: true, isVerbose: false, electronUpgrade: undefined, electronVersionOverride: electronVersion, parserPlugins: [] });
} finally {
  console.log = originalLog;
  rmSync(scanDir, { recursive: true, force: true });
}
const issues = result?.issues ?? [];
let failures = 0;
const seenReviewed = new Set();
for (const issue of issues) {
  const severity = issue.severity?.name ?? String(issue.severity);
  const reviewed = REVIEWED.find((r) => r.id === issue.id);
  if (reviewed) seenReviewed.add(reviewed.id);
  const blocking = (severity === 'HIGH' || severity === 'MEDIUM') && !reviewed;
  if (blocking) failures += 1;
  console.log(`${blocking ? 'FAIL' : reviewed ? 'ok (reviewed)' : 'note'} ${severity} ${issue.id} ${issue.file}:${issue.location?.line ?? '?'}${reviewed ? ` — ${reviewed.why}` : ''}`);
}
for (const r of REVIEWED) {
  if (!seenReviewed.has(r.id)) {
    failures += 1;
    console.log(`FAIL stale review entry ${r.id}: the scanner no longer reports it; remove it from scripts/security-gate.mjs`);
  }
}
if (result?.errors?.some((e) => !e.tolerable)) {
  failures += 1;
  for (const e of result.errors.filter((x) => !x.tolerable)) console.log(`FAIL could not scan ${e.file}: ${e.message}`);
}
const total = issues.length;
console.log(`Electronegativity: ${total} findings, ${failures} HIGH or MEDIUM.`);
process.exit(failures > 0 ? 1 : 0);
