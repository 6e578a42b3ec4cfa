import type { PackPreview } from '../../../shared/ipc/contract';
import { formatTimestamp, Status } from '../components/ui';
import { formatMoney } from '../../../shared/format/money';
import { STATUS_WORD, statusTone } from './format';

/**
 * What the pack's first pages (cover and executive summary) state, drawn from the same evidence
 * bundle as the PDF. Not a picture of the PDF: the app shows no PDF plugin, so it says so.
 */
export function PackPreviewView({ preview }: { preview: PackPreview }) {
  const d = preview.decision;
  const p = preview.policy;
  return (
    <section className="pack-preview" aria-labelledby="pack-preview-title" data-testid="pack-preview">
      <header className="pack-preview-head">
        <h3 id="pack-preview-title" className="pack-preview-title">
          Preview of the cover and summary
        </h3>
        <p className="muted no-margin pack-preview-note">
          What the PDF’s first pages will state, from the same evidence. The PDF ({preview.pageCount} pages) is drawn and signed when you export.
        </p>
      </header>
      <div className="pack-cover">
        <p className="pack-cover-kicker">Docket audit pack</p>
        <p className="pack-cover-model">
          {preview.model} <span className="mono muted">@{preview.version}</span>
        </p>
        <p className="pack-cover-meta muted">as of {formatTimestamp(preview.generatedAt)}</p>
      </div>
      <dl className="pack-summary">
        <dt>Decision</dt>
        <dd data-testid="pack-preview-decision">
          <Status tone={statusTone(d.kind ?? 'none')}>{d.text}</Status>
          {d.signer && (
            <span className="pack-summary-line">
              {d.signer} ({d.role}){d.signedAt ? `, ${formatTimestamp(d.signedAt)}` : ''}
            </span>
          )}
          {d.rationale && <span className="pack-summary-line muted">“{d.rationale.length > 200 ? `${d.rationale.slice(0, 199)}…` : d.rationale}”</span>}
          <span className="pack-summary-line muted">
            {d.decisions} signed decision{d.decisions === 1 ? '' : 's'}
            {d.decisions > 0 ? (d.allVerified ? '; all verify' : '; NOT all verify') : ''}
          </span>
        </dd>
        <dt>Signers</dt>
        <dd>{preview.signers.length === 0 ? <span className="muted">None</span> : preview.signers.map((s) => `${s.name} (${s.role})`).join(', ')}</dd>
        <dt>Policy</dt>
        <dd>
          <Status tone={statusTone(p.result)}>{STATUS_WORD[p.result] ?? p.result}</Status>
          <span className="pack-summary-line">
            {p.name} {p.version}, risk tier “{p.tier}”: {p.pass} pass · {p.fail} fail · {p.missing} missing · {p.waived} waived
            {p.awaitingApprovals ? '; only approvals outstanding' : ''}
          </span>
        </dd>
        <dt>Fairness</dt>
        <dd>
          <Status tone={statusTone(preview.fairness.status)}>{STATUS_WORD[preview.fairness.status] ?? preview.fairness.status}</Status>
          {preview.fairness.evaluations.map((ev) => (
            <span key={ev.name} className="pack-summary-line">
              {ev.name}: {ev.passing} of {ev.total} measures within thresholds
              {ev.failing.map((f) => (
                <span key={f.measure} className="pack-summary-sub">
                  <Status tone={statusTone(f.status)}>{f.measure}</Status> {f.value === null ? '—' : f.value.toFixed(2)} (threshold {f.comparison} {f.bound})
                </span>
              ))}
            </span>
          ))}
        </dd>
        <dt>Monthly cost</dt>
        <dd>
          {preview.cost.length === 0 ? (
            <span className="muted">No spend attributed to this model.</span>
          ) : (
            preview.cost.map((c) => (
              <span key={c.currency} className="pack-summary-line">
                <strong className="num-inline">{c.thirtyDay === null ? `${c.currency}: none in the policy window` : `${formatMoney(c.thirtyDay, c.currency)} over 30 days`}</strong>
                <span className="pack-summary-sub muted">{c.trend}</span>
                {c.costPer1kPredictions !== null && <span className="pack-summary-sub muted">{formatMoney(c.costPer1kPredictions, c.currency)} per 1,000 predictions</span>}
              </span>
            ))
          )}
        </dd>
        <dt>Open risks</dt>
        <dd data-testid="pack-preview-risks">
          {preview.risks.length === 0 ? (
            <Status tone="ok">None</Status>
          ) : (
            <ul className="pack-risks">
              {preview.risks.slice(0, 6).map((r, i) => (
                <li key={i}>
                  <Status tone={statusTone(r.severity)}>{STATUS_WORD[r.severity] ?? r.severity}</Status> {r.text}
                </li>
              ))}
              {preview.risks.length > 6 && <li className="muted">… and {preview.risks.length - 6} more in the PDF</li>}
            </ul>
          )}
        </dd>
        <dt>Evidence sha256</dt>
        <dd className="mono pack-hash" data-testid="pack-preview-sha">
          {preview.evidenceSha256}
        </dd>
        <dt>Sections</dt>
        <dd className="muted">{preview.sections.join(' · ')}</dd>
      </dl>
    </section>
  );
}
