import type { AuditVerification } from '../../../shared/ipc/contract';
import { Status } from '../components/ui';

export function auditVerdictText(v: AuditVerification): string {
  if (v.ok) return `Chain intact: ${v.checked.toLocaleString('en-US')} ${v.checked === 1 ? 'entry' : 'entries'}`;
  return `Chain broken at entry ${v.firstBadSeq ?? '?'}: ${v.reason ?? 'hash mismatch'}`;
}

export function AuditVerdict({ v }: { v: AuditVerification }) {
  return (
    <Status tone={v.ok ? 'ok' : 'bad'} testId="audit-verify-result" title={v.head ? `Head hash ${v.head}` : undefined}>
      {auditVerdictText(v)}
    </Status>
  );
}
