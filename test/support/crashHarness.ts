// The parent side of the crash tests: bundles crashCliChild into a temp folder, runs the real CLI in
// a child process to completion (the reference) or to a kill point where it is killed with SIGKILL,
// and reads back what the database holds: integrity_check, the audit chain, and a digest per table.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { verifyAuditChain } from '../../electron/core/store/auditLog';
import type { AuditVerification } from '../../shared/ipc/contract';
import { KILL_ENV, type KillSpec } from './killPoints';

export async function buildCrashChild(dir: string): Promise<string> {
  const outfile = join(dir, 'crashCliChild.cjs');
  await build({
    entryPoints: ['test/support/crashCliChild.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['better-sqlite3', 'pdfkit', 'electron'],
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

export interface ChildEnv {
  clock: string;
  env?: Record<string, string>;
}

function spawnChild(childFile: string, argv: string[], options: ChildEnv, spec: KillSpec | null) {
  const env: Record<string, string | undefined> = { ...process.env, NODE_PATH: resolve('node_modules'), DOCKET_TEST_CLOCK: options.clock, ...options.env };
  if (spec) env[KILL_ENV] = JSON.stringify(spec);
  else delete env[KILL_ENV];
  return spawn(process.execPath, [childFile, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env });
}

/** Runs the command to its end. */
export function runToEnd(childFile: string, argv: string[], options: ChildEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnChild(childFile, argv, options, null);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
}

export interface KillReport {
  label: string;
  /** Whether the database connection was inside a transaction when the child stopped. */
  inTransaction: boolean;
}

/**
 * Runs the command until it reaches `spec`, kills it there with SIGKILL and resolves once it is dead.
 * Rejects if the command ends without reaching the point (the point would prove nothing).
 */
export function runUntilKilled(childFile: string, argv: string[], spec: KillSpec, options: ChildEnv): Promise<KillReport> {
  const child = spawnChild(childFile, argv, options, spec);
  let stdout = '';
  let stderr = '';
  let report: KillReport | null = null;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const m = /KILLPOINT (\{.*\})\n/.exec(stdout);
    if (m && !report) {
      report = JSON.parse(m[1]!) as KillReport;
      child.kill('SIGKILL');
    }
  });
  return new Promise((done, fail) =>
    child.on('exit', (code, signal) => {
      if (report && signal === 'SIGKILL') done(report);
      else fail(new Error(`the child ended (code ${code}, signal ${signal}) without reaching ${JSON.stringify(spec)}:\n${stdout}\n${stderr}`));
    }),
  );
}

/** Puts a saved database file in place (no WAL or shared memory left from an earlier run). */
export function restoreDb(savedFile: string, dbPath: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${dbPath}${suffix}`, { force: true });
  copyFileSync(savedFile, dbPath);
}

/** Saves a closed database as the state runs start from. */
export function saveDb(dbPath: string, savedFile: string): void {
  if (existsSync(`${dbPath}-wal`)) {
    const db = new Database(dbPath);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
  copyFileSync(dbPath, savedFile);
}

export interface DbReading {
  integrity: string;
  chain: AuditVerification;
  /** sha256 of each table's rows (sorted), by table name. */
  tables: Record<string, string>;
  /** The audit log's actions in order. */
  actions: string[];
  counts: Record<string, number>;
}

function cellJson(value: unknown): unknown {
  return Buffer.isBuffer(value) ? `blob:${value.toString('hex')}` : typeof value === 'bigint' ? value.toString() : value;
}

/** Opens the database (recovering its WAL as SQLite does after a crash) and reads it whole. */
export function readDb(dbPath: string): DbReading {
  const db = new Database(dbPath);
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const chain = verifyAuditChain(db);
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    const tables: Record<string, string> = {};
    const counts: Record<string, number> = {};
    for (const name of names) {
      const rows = (db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]).map((row) => JSON.stringify(Object.entries(row).map(([k, v]) => [k, cellJson(v)])));
      rows.sort();
      tables[name] = createHash('sha256').update(rows.join('\n')).digest('hex');
      counts[name] = rows.length;
    }
    const actions = (db.prepare('SELECT action FROM audit_log ORDER BY seq').all() as { action: string }[]).map((r) => r.action);
    return { integrity, chain, tables, actions, counts };
  } finally {
    db.close();
  }
}

/** Tables whose contents differ between two readings. */
export function differingTables(a: DbReading, b: DbReading): string[] {
  const names = new Set([...Object.keys(a.tables), ...Object.keys(b.tables)]);
  return [...names].filter((n) => a.tables[n] !== b.tables[n]).sort();
}

/** Which whole state a reading equals: 'before', 'after', or a description of the tables that match neither. */
export function whichState(reading: DbReading, before: DbReading, after: DbReading): string {
  if (differingTables(reading, before).length === 0) return 'before';
  if (differingTables(reading, after).length === 0) return 'after';
  return `neither: differs from before in [${differingTables(reading, before).join(', ')}], from after in [${differingTables(reading, after).join(', ')}]`;
}

/**
 * Runs the child until it is killed at `c.spec`, then reads the database and says what it found: where
 * the kill landed (inside a write transaction or not), the integrity check, the audit chain and which
 * of the two states (before, after) the tables equal. Tests compare it with the case's expectations.
 */
export async function killAndRead(childFile: string, dbPath: string, args: string[], c: KillCase, options: ChildEnv, before: DbReading, after: DbReading): Promise<KillOutcome> {
  const stop = await runUntilKilled(childFile, ['--db', dbPath, '--json', ...args], c.spec, options);
  const reading = readDb(dbPath);
  return { inTransaction: stop.inTransaction, integrity: reading.integrity, chainOk: reading.chain.ok, state: whichState(reading, before, after) };
}

/** What a kill left; a case passes when this equals expectedOutcome(c). */
export interface KillOutcome {
  inTransaction: boolean;
  integrity: string;
  chainOk: boolean;
  state: string;
}

export function expectedOutcome(c: KillCase): KillOutcome {
  return { inTransaction: c.inTransaction, integrity: 'ok', chainOk: true, state: c.expect };
}

/** A kill point and the state the database must be in after the kill there. */
export interface KillCase {
  name: string;
  spec: KillSpec;
  /** 'before': the interrupted work left nothing; 'after': it was committed whole. */
  expect: 'before' | 'after';
  /** Whether the stop must be inside a write transaction (checks the point is where it claims). */
  inTransaction: boolean;
}
