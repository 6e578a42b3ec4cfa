import { useState } from 'react';
import type { AuditVerification } from '../../../shared/ipc/contract';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, Loading, PageHeader, formatTimestamp, shortHash } from '../components/ui';
import { AuditVerdict } from './auditStatus';

export function AuditView() {
  const list = useQuery('audit/list', { limit: 200 });
  const [verdict, setVerdict] = useState<AuditVerification | undefined>(undefined);
  const [verifyError, setVerifyError] = useState<IpcErrorBody | undefined>(undefined);
  const [verifying, setVerifying] = useState(false);

  const verify = async () => {
    setVerifying(true);
    const result = await invoke('audit/verify', {});
    setVerifying(false);
    if (result.ok) {
      setVerdict(result.value);
      setVerifyError(undefined);
    } else {
      setVerifyError(result.error);
    }
  };

  return (
    <div className="page" data-testid="audit-view">
      <PageHeader
        title="Audit log"
        subtitle="What happened, and is the record intact? Every entry is hash-chained to the one before it."
        actions={
          <button type="button" className="btn btn-primary" onClick={() => void verify()} disabled={verifying} data-testid="verify-chain">
            {verifying ? 'Verifying…' : 'Verify chain'}
          </button>
        }
      />
      {verdict && (
        <div className={`verdict-panel ${verdict.ok ? 'verdict-ok' : 'verdict-bad'}`} role="status" aria-live="polite">
          <AuditVerdict v={verdict} />
          {!verdict.ok && (
            <span className="verdict-advice">
              Entries from {verdict.firstBadSeq ?? 'that point'} on cannot be trusted. Keep this database untouched and compare it with a backup or an exported audit pack.
            </span>
          )}
          {verdict.head && (
            <span className="muted mono" title={verdict.head}>
              head {shortHash(verdict.head, 16)}
            </span>
          )}
        </div>
      )}
      {verifyError && <ErrorBanner error={verifyError} context="Could not verify the audit chain" onRetry={() => void verify()} onDismiss={() => setVerifyError(undefined)} />}
      {list.error && <ErrorBanner error={list.error} context="Could not load the audit log" onRetry={list.reload} />}
      {!list.data && list.loading && <Loading label="Loading audit log…" />}
      {list.data && list.data.length === 0 && (
        <EmptyState title="Nothing recorded yet" testId="audit-empty">
          <p>Imports, reviews and decisions are recorded here as they happen. Import model cards to create the first entry.</p>
        </EmptyState>
      )}
      {list.data && list.data.length > 0 && (
        <div className="table-wrap table-scroll">
          <table className="data-table sticky" data-testid="audit-table" aria-label="Audit entries">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Seq
                </th>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Subject</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((e) => (
                <tr key={e.seq} data-testid="audit-row">
                  <td className="num mono">{e.seq}</td>
                  <td className="nowrap">{formatTimestamp(e.at)}</td>
                  <td>{e.actor}</td>
                  <td className="mono">{e.action}</td>
                  <td className="mono wrap">{e.subject}</td>
                  <td className="mono muted" title={e.hash}>
                    {shortHash(e.hash, 10)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted table-note">Showing the latest {list.data.length} entries.</p>
        </div>
      )}
    </div>
  );
}
