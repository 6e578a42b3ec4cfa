import type { AuditCheck, AuditDecisionStatus, AuditVerification, AuditWorkspaceVerification } from '../../../shared/ipc/contract';
import { Status } from '../components/ui';

/** The action categories the Audit log offers; each is one or more action prefixes (comma-separated for the engine). */
export const AUDIT_CATEGORIES: readonly { value: string; label: string }[] = [
  { value: '', label: 'All actions' },
  { value: 'decision.', label: 'Signed decisions' },
  { value: 'review.', label: 'Reviews' },
  { value: 'key.', label: 'Reviewer keys' },
  { value: 'policy.', label: 'Policy changes' },
  { value: 'cards.,fairness.,lineage.,focus.,usage.,decisions.', label: 'Imports' },
  { value: 'mlflow.,aws-ce.,registry.', label: 'Syncs' },
  { value: 'source.,attribution.', label: 'Sources and rules' },
  { value: 'audit.', label: 'Audit exports' },
];

const CHAIN_CHECKS = new Set(['Hash chain', 'No entries missing']);

export function auditVerdictText(v: AuditVerification | AuditWorkspaceVerification): string {
  const checks = 'checks' in v ? v.checks : undefined;
  const decisions = 'decisions' in v ? v.decisions : undefined;
  if (v.ok) {
    const entries = `Chain intact: ${v.checked.toLocaleString('en-US')} ${v.checked === 1 ? 'entry' : 'entries'}`;
    return decisions && decisions.length > 0 ? `${entries}, ${decisions.length.toLocaleString('en-US')} signed ${decisions.length === 1 ? 'decision' : 'decisions'} verified` : entries;
  }
  const chainBroken = checks ? checks.some((c) => !c.ok && CHAIN_CHECKS.has(c.name)) : true;
  // "Chain broken at entry 94: entry 94 was changed…" says the number twice.
  const reason = (v.reason ?? 'hash mismatch').replace(new RegExp(`^entry ${v.firstBadSeq ?? '\\d+'} (?=was |has |does |links )`), 'it ');
  if (chainBroken) return `Chain broken at entry ${v.firstBadSeq ?? '?'}: ${reason}`;
  return `Record fails verification: ${v.reason ?? 'see the checks below'}`;
}

export function AuditVerdict({ v }: { v: AuditVerification | AuditWorkspaceVerification }) {
  return (
    <Status tone={v.ok ? 'ok' : 'bad'} testId="audit-verify-result" title={v.head ? `Head hash ${v.head}` : undefined}>
      {auditVerdictText(v)}
    </Status>
  );
}

/** The verify panel's list: one line per check, status as icon plus text. */
export function AuditChecks({ checks }: { checks: AuditCheck[] }) {
  return (
    <ul className="audit-checks" data-testid="audit-checks" aria-label="Verification checks">
      {checks.map((c) => (
        <li key={c.name} data-testid="audit-check" data-ok={c.ok}>
          <Status tone={c.ok ? 'ok' : 'bad'}>{c.ok ? 'pass' : 'fail'}</Status>
          <span className="audit-check-name">{c.name}</span>
          <span className="audit-check-detail">{c.detail}</span>
        </li>
      ))}
    </ul>
  );
}

export type RowVerification = { tone: 'ok' | 'bad' | 'neutral'; text: string; title?: string };

/** What the table's Verification column says for one entry, from the last verification. */
export function rowVerification(
  seq: number,
  v: AuditWorkspaceVerification | undefined,
  index: { bad: Map<number, string>; decisions: Map<number, AuditDecisionStatus> },
): RowVerification {
  if (!v) return { tone: 'neutral', text: 'not verified yet' };
  if (v.lastSeq !== undefined && seq > v.lastSeq) return { tone: 'neutral', text: 'written since; verify again' };
  const decision = index.decisions.get(seq);
  const bad = index.bad.get(seq);
  // The row says what is wrong with it; its number is already in the first column.
  if (bad) return { tone: 'bad', text: bad.replace(/^entry \d+ /, ''), title: decision ? `${bad}; ${decision.detail}` : bad };
  if (decision) return decision.verified ? { tone: 'ok', text: `signed by ${decision.signer}, verified`, title: decision.detail } : { tone: 'bad', text: decision.detail };
  if (!v.bad && !v.ok) return { tone: 'neutral', text: 'unknown (older engine)' };
  return { tone: 'ok', text: 'verified' };
}
