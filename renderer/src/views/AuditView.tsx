import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { AuditDecisionStatus, AuditEntry, AuditFilter, AuditWorkspaceVerification, ChannelOutput } from '../../../shared/ipc/contract';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, Loading, PageHeader, Status, formatTimestamp, shortHash } from '../components/ui';
import { AUDIT_CATEGORIES, AuditChecks, AuditVerdict, rowVerification } from './auditStatus';
import { signingKeys } from '../components/dialog';

const PAGE_SIZE = 100;

/** A short, readable line for an entry's detail: the first few fields, values clipped. */
function detailSummary(detail: unknown): string {
  if (detail === null || typeof detail !== 'object') return detail === null || detail === undefined ? '' : String(detail);
  const parts = Object.entries(detail as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .slice(0, 3)
    .map(([k, v]) => {
      const text = String(v);
      return `${k}: ${/^[0-9a-f]{40,}$/.test(text) ? `${text.slice(0, 10)}…` : text.length > 40 ? `${text.slice(0, 39)}…` : text}`;
    });
  return parts.join(' · ');
}

export function AuditView() {
  const [category, setCategory] = useState('');
  const [searchText, setSearchText] = useState('');
  const search = useDeferredValue(searchText.trim());
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filter: AuditFilter = useMemo(
    () => ({ ...(category ? { action: category } : {}), ...(search ? { search } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) }),
    [category, search, from, to],
  );
  const datesInvalid = from !== '' && to !== '' && from > to;
  const filterKey = JSON.stringify(filter);
  const [refresh, setRefresh] = useState(0);
  // A page number belongs to the filters it was chosen under: new filters start at the newest page.
  const [paging, setPaging] = useState({ key: filterKey, page: 0 });
  const page = paging.key === filterKey ? paging.page : 0;
  const setPage = (next: (p: number) => number) => setPaging({ key: filterKey, page: next(page) });
  const listKey = `${filterKey}|${page}|${refresh}`;
  const list = useQuery('audit/list', { ...(datesInvalid ? {} : filter), limit: PAGE_SIZE, offset: page * PAGE_SIZE }, listKey);
  const count = useQuery('audit/count', datesInvalid ? {} : filter, `${filterKey}|${refresh}`);
  const filtered = Object.keys(filter).length > 0;

  const [verdict, setVerdict] = useState<AuditWorkspaceVerification | undefined>(undefined);
  const [verifyError, setVerifyError] = useState<IpcErrorBody | undefined>(undefined);
  const [verifying, setVerifying] = useState(false);
  // On arrival and after an export the engine's kept verdict is enough (entries it already read are
  // reused while no other process wrote); the button reads every entry again.
  const verify = useCallback(async (full = false) => {
    setVerifying(true);
    // The rows are re-read too: a verdict about rows the table no longer shows would mislead.
    setRefresh((r) => r + 1);
    const result = await invoke('audit/verify', full ? { full: true } : {});
    setVerifying(false);
    if (result.ok) {
      setVerdict(result.value);
      setVerifyError(undefined);
    } else {
      setVerifyError(result.error);
    }
  }, []);
  // The view's second question, "is the record intact?", is answered on arrival.
  useEffect(() => {
    void verify();
  }, [verify]);

  const index = useMemo(() => {
    const bad = new Map<number, string>((verdict?.bad ?? []).map((b) => [b.seq, b.reason]));
    const decisions = new Map<number, AuditDecisionStatus>();
    for (const d of verdict?.decisions ?? []) if (d.seq !== null) decisions.set(d.seq, d);
    return { bad, decisions };
  }, [verdict]);

  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<ChannelOutput<'audit/export'> | undefined>(undefined);
  const onExported = (result: ChannelOutput<'audit/export'>) => {
    setExported(result);
    setExporting(false);
    setRefresh((r) => r + 1);
    void verify();
  };

  const entries = list.data;
  const total = count.data?.total;
  const clearFilters = () => {
    setCategory('');
    setSearchText('');
    setFrom('');
    setTo('');
  };
  const missingSeqs = (verdict?.bad ?? []).filter((b) => / (is|are) missing: /.test(b.reason));

  return (
    <div className="page audit-page" data-testid="audit-view">
      <PageHeader
        title="Audit log"
        subtitle="What happened, and is the record intact? Every entry is hash-chained to the one before it; signed decisions are checked against it."
        actions={
          <>
            <button type="button" className="btn btn-secondary" onClick={() => setExporting((x) => !x)} aria-expanded={exporting} data-testid="audit-export-open">
              Export range…
            </button>
            <button type="button" className="btn btn-primary" onClick={() => void verify(true)} disabled={verifying} data-testid="verify-chain">
              {verifying ? 'Verifying…' : 'Verify chain'}
            </button>
          </>
        }
      />

      {verdict && (
        <section className={`verdict-panel audit-verify-panel ${verdict.ok ? 'verdict-ok' : 'verdict-bad'}`} role="status" aria-live="polite" aria-label="Verification" data-testid="audit-verify-panel">
          <div className="audit-verify-head">
            <AuditVerdict v={verdict} />
            {verdict.verifiedAt && (
              <span className="muted audit-verify-when" data-testid="audit-verify-when">
                checked {formatTimestamp(verdict.verifiedAt)}
                {verdict.fullPassAt && verdict.fullPassAt !== verdict.verifiedAt && `; every entry read ${formatTimestamp(verdict.fullPassAt)}`}
                {verdict.fullPassSeq !== undefined && verdict.lastSeq !== undefined && verdict.lastSeq > verdict.fullPassSeq && verdict.fullPassAt !== verdict.verifiedAt &&
                  `, the ${(verdict.lastSeq - verdict.fullPassSeq).toLocaleString('en-US')} written since then read now`}
              </span>
            )}
            {verdict.head && (
              <span className="muted mono audit-verify-when" title={verdict.head}>
                head {shortHash(verdict.head, 16)}
              </span>
            )}
          </div>
          {verdict.checks && <AuditChecks checks={verdict.checks} />}
          {!verdict.ok && (
            <p className="verdict-advice">
              {verdict.badTotal ? `${verdict.badTotal.toLocaleString('en-US')} ${verdict.badTotal === 1 ? 'entry fails' : 'entries fail'} verification (marked ✕ in the table). ` : 'The record cannot be trusted as it stands. '}
              Keep this database untouched and compare it with a backup or a signed audit export.
            </p>
          )}
        </section>
      )}
      {verifyError && <ErrorBanner error={verifyError} context="Could not verify the audit chain" onRetry={() => void verify(true)} onDismiss={() => setVerifyError(undefined)} />}

      {exporting && <ExportPanel defaultTo={verdict?.lastSeq ?? entries?.[0]?.seq ?? 1} onDone={onExported} onCancel={() => setExporting(false)} />}
      {exported && (
        <div className="banner banner-ok" role="status" data-testid="audit-export-result">
          <span className="banner-icon banner-icon-ok" aria-hidden="true">
            ✓
          </span>
          <div className="banner-body">
            <p className="banner-title">
              Exported entries {exported.firstSeq} to {exported.lastSeq} ({exported.count.toLocaleString('en-US')}), signed.
            </p>
            <p className="banner-meta mono audit-export-paths">
              {exported.jsonlPath}
              <br />
              {exported.envelopePath}
            </p>
            <p className="banner-meta">
              sha256 <span className="mono">{shortHash(exported.sha256, 16)}</span> · check anywhere with <code>docket audit verify-export {exported.jsonlPath}</code>
            </p>
          </div>
          <div className="banner-actions">
            <button type="button" className="btn btn-ghost" onClick={() => setExported(undefined)}>
              Dismiss
            </button>
          </div>
        </div>
      )}

      <div className="toolbar audit-filters" role="group" aria-label="Audit filters">
        <label className="field-inline">
          Action
          <select aria-label="Action category" data-testid="audit-category" value={category} onChange={(e) => setCategory(e.target.value)}>
            {AUDIT_CATEGORIES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          className="search audit-search"
          aria-label="Search audit entries"
          placeholder="Search detail, subject or actor (e.g. a model, a signer, a digest)"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          data-testid="audit-search"
        />
        <label className="field-inline">
          From
          <input type="date" className="date-input" aria-label="From date" data-testid="audit-from" value={from} aria-invalid={datesInvalid || undefined} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field-inline">
          To
          <input type="date" className="date-input" aria-label="To date" data-testid="audit-to" value={to} aria-invalid={datesInvalid || undefined} onChange={(e) => setTo(e.target.value)} />
        </label>
        {filtered && (
          <button type="button" className="btn btn-ghost" onClick={clearFilters} data-testid="audit-clear">
            Clear filters
          </button>
        )}
        {(list.loading || count.loading) && entries && <span className="spinner" role="status" aria-label="Updating" />}
      </div>
      {datesInvalid && (
        <p className="text-bad" role="alert">
          “From” ({from}) is after “To” ({to}); showing all dates until that is fixed.
        </p>
      )}
      {missingSeqs.length > 0 && (
        <p className="audit-missing" role="alert" data-testid="audit-missing">
          <Status tone="bad">missing</Status> {missingSeqs.map((m) => m.reason).join('; ')}
        </p>
      )}

      {list.error && <ErrorBanner error={list.error} context="Could not load the audit log" onRetry={list.reload} />}
      {!entries && list.loading && <Loading label="Loading audit log…" />}
      {entries && entries.length === 0 && !filtered && (
        <EmptyState title="Nothing recorded yet" testId="audit-empty">
          <p>Imports, reviews, key changes and signed decisions are recorded here as they happen. Import model cards to create the first entry.</p>
        </EmptyState>
      )}
      {entries && entries.length === 0 && filtered && (
        <EmptyState title="No entries match these filters" testId="audit-no-match" actions={<button type="button" className="btn btn-secondary" onClick={clearFilters}>Clear filters</button>}>
          <p>Try another action category, a shorter search, or a wider date range.</p>
        </EmptyState>
      )}
      {entries && entries.length > 0 && (
        <>
          <div className="table-wrap table-scroll audit-table-wrap">
            <table className="data-table sticky audit-table" data-testid="audit-table" aria-label="Audit entries">
              <thead>
                <tr>
                  <th scope="col" className="num" aria-sort="descending">
                    Seq ↓
                  </th>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Subject and detail</th>
                  <th scope="col">Verification</th>
                  <th scope="col">Hash</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <AuditRow key={e.seq} e={e} status={rowVerification(e.seq, verdict, index)} />
                ))}
              </tbody>
            </table>
          </div>
          <div className="audit-pager" aria-label="Pages">
            <span className="muted" data-testid="audit-count">
              Showing {(page * PAGE_SIZE + 1).toLocaleString('en-US')}–{(page * PAGE_SIZE + entries.length).toLocaleString('en-US')}
              {total !== undefined ? ` of ${total.toLocaleString('en-US')}` : ''} {filtered ? 'matching entries' : 'entries'}, newest first
            </span>
            <button type="button" className="btn btn-secondary" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
              ← Newer
            </button>
            <button
              type="button"
              className="btn btn-secondary"
              disabled={total !== undefined ? (page + 1) * PAGE_SIZE >= total : entries.length < PAGE_SIZE}
              onClick={() => setPage((p) => p + 1)}
            >
              Older →
            </button>
          </div>
        </>
      )}
    </div>
  );
}

function AuditRow({ e, status }: { e: AuditEntry; status: ReturnType<typeof rowVerification> }) {
  const summary = detailSummary(e.detail);
  return (
    <tr data-testid="audit-row" data-seq={e.seq} data-verified={status.tone} className={status.tone === 'bad' ? 'audit-row-bad' : undefined}>
      <td className="num mono">{e.seq}</td>
      <td className="nowrap" title={e.at}>
        {e.at.slice(0, 19).replace('T', ' ')}
      </td>
      <td className="audit-actor" title={e.actor}>
        {e.actor}
      </td>
      <td className="mono nowrap">{e.action}</td>
      <td className="audit-subject">
        <span className="mono audit-subject-id" title={e.subject}>
          {e.subject.replace(/[0-9a-f]{40,}/g, (hex) => `${hex.slice(0, 12)}…`)}
        </span>
        {summary && (
          <details className="audit-detail">
            <summary>{summary}</summary>
            <pre className="mono">{JSON.stringify(e.detail, null, 2)}</pre>
          </details>
        )}
      </td>
      <td className="audit-verification" data-testid="audit-row-status" title={status.title}>
        <Status tone={status.tone}>{status.text}</Status>
      </td>
      <td className="mono muted nowrap" title={e.hash}>
        {shortHash(e.hash, 8)}
      </td>
    </tr>
  );
}

/** "Export range…": a seq range, a workspace key and its passphrase; the engine writes into exports/ beside the database. */
function ExportPanel({ defaultTo, onDone, onCancel }: { defaultTo: number; onDone: (r: ChannelOutput<'audit/export'>) => void; onCancel: () => void }) {
  const keys = useQuery('keys/list', {});
  const signers = signingKeys(keys.data);
  const [fromSeq, setFromSeq] = useState('1');
  const [toSeq, setToSeq] = useState(String(defaultTo));
  const [keyId, setKeyId] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const chosenKey = keyId || signers[0]?.keyId || '';
  const lo = Number(fromSeq);
  const hi = Number(toSeq);
  const rangeInvalid = !Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi < lo;

  const submit = async () => {
    setBusy(true);
    const result = await invoke('audit/export', { fromSeq: lo, toSeq: hi, keyId: chosenKey, passphrase });
    setBusy(false);
    setPassphrase('');
    if (result.ok) onDone(result.value);
    else setError(result.error);
  };

  return (
    <section className="panel audit-export" aria-labelledby="audit-export-h" data-testid="audit-export-panel">
      <h2 id="audit-export-h" className="panel-title">
        Export a signed range
      </h2>
      <p className="field-note">
        Writes the entries as JSON Lines with a detached signature (DSSE) into the workspace’s <code>exports/</code> folder. Anyone with your public key can check it with{' '}
        <code>docket audit verify-export</code>.
      </p>
      <form
        className="audit-export-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          if (!rangeInvalid && chosenKey && passphrase) void submit();
        }}
      >
        <label className="field">
          <span className="field-label">From entry</span>
          <input className="input" inputMode="numeric" value={fromSeq} onChange={(e) => setFromSeq(e.target.value)} aria-invalid={rangeInvalid || undefined} data-testid="audit-export-from" />
        </label>
        <label className="field">
          <span className="field-label">To entry</span>
          <input className="input" inputMode="numeric" value={toSeq} onChange={(e) => setToSeq(e.target.value)} aria-invalid={rangeInvalid || undefined} data-testid="audit-export-to" />
        </label>
        <label className="field audit-export-key">
          <span className="field-label">Sign with</span>
          <select className="input" value={chosenKey} onChange={(e) => setKeyId(e.target.value)} disabled={signers.length === 0} data-testid="audit-export-key">
            {signers.length === 0 && <option value="">No key in this workspace</option>}
            {signers.map((k) => (
              <option key={k.keyId} value={k.keyId}>
                {k.name} ({k.role}) · {k.keyId.slice(0, 12)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Passphrase</span>
          <input className="input" type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="audit-export-passphrase" />
        </label>
        <div className="audit-export-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || rangeInvalid || !chosenKey || passphrase === ''} data-testid="audit-export-submit">
            {busy ? 'Signing…' : 'Export and sign'}
          </button>
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
      {rangeInvalid && <p className="text-bad">Give a range of entry numbers, the first no larger than the last.</p>}
      {keys.data && signers.length === 0 && <p className="field-note">Create a reviewer key in Settings (or trust one) to sign exports.</p>}
      {error && <ErrorBanner error={error} context="Could not export" onDismiss={() => setError(undefined)} />}
    </section>
  );
}
