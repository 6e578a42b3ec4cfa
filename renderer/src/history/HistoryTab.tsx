import { useEffect, useMemo, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { AliasPlacementView } from '../../../shared/domain/lineage';
import type { ChannelOutput } from '../../../shared/ipc/contract';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, Loading, Status, formatTimestamp } from '../components/ui';
import { laneKey, laneLabel, timelineGeometry } from './timeline';
import { ScrollRegion } from '../components/ScrollRegion';

type History = ChannelOutput<'models/history'>;
type AtResult = NonNullable<History['at']>;

const LABEL_W = 150;
const LANE_H = 40;
const AXIS_H = 34;
const BAR_H = 14;

/** A datetime-local value ("2026-01-05T10:30" or with seconds), read as UTC, to ISO 8601; null if incomplete. */
export function localInputToIso(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/.exec(value.trim());
  if (!m) return null;
  const iso = `${m[1]}T${m[2]}${m[3] ?? ':00'}Z`;
  return Number.isNaN(Date.parse(iso)) ? null : new Date(iso).toISOString();
}

function useWidth(ref: RefObject<HTMLElement | null>, fallback: number): number {
  const [w, setW] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const update = () => {
      const width = el.getBoundingClientRect().width;
      if (width > 0) setW((old) => (Math.abs(old - width) < 1 ? old : width));
    };
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

export function HistoryTab({ name, version }: { name: string; version: string }) {
  const query = useQuery('models/history', { name }, name);
  const history = query.data && query.data.model === name ? query.data : undefined;
  return (
    <div className="history-tab" data-testid="history-tab">
      {query.error && <ErrorBanner error={query.error} context={`Could not load the history of ${name}`} onRetry={query.reload} />}
      {!history && query.loading && <Loading label="Loading history…" />}
      {history && <HistoryBody history={history} version={version} />}
    </div>
  );
}

function HistoryBody({ history, version }: { history: History; version: string }) {
  const [at, setAt] = useState<AtResult | null>(null);
  const empty = history.placements.length === 0 && history.events.length === 0;
  if (empty) {
    return (
      <EmptyState title="No registry history yet" testId="history-empty">
        <p>
          Docket records which version holds each alias and stage every time it syncs the registry. Nothing has been recorded for{' '}
          <span className="mono">{history.model}</span> yet.
        </p>
        <p>
          Sync an MLflow registry in <a href="#/sources">Sources</a> or with <code>docket sync mlflow --url &lt;url&gt;</code>.
        </p>
      </EmptyState>
    );
  }
  return (
    <>
      <AsOf name={history.model} onResult={setAt} />
      <section className="panel" aria-labelledby="timeline-h">
        <h2 id="timeline-h" className="panel-title">
          Aliases and stages over time <span className="muted panel-title-note">all times UTC</span>
        </h2>
        {history.placements.length === 0 ? (
          <p className="muted no-margin">No alias or stage has been observed for this model.</p>
        ) : (
          <>
            <Timeline placements={history.placements} highlight={version} marker={at?.moment ?? null} />
            <PlacementTable placements={history.placements} highlight={version} />
          </>
        )}
      </section>
      <EventList events={history.events} />
    </>
  );
}

function AsOf({ name, onResult }: { name: string; onResult: (r: AtResult | null) => void }) {
  const [value, setValue] = useState('');
  const [result, setResult] = useState<AtResult | null>(null);
  const [error, setError] = useState<IpcErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);

  const ask = async (raw: string) => {
    const iso = localInputToIso(raw);
    if (!iso) {
      setResult(null);
      onResult(null);
      return;
    }
    const mine = ++seq.current;
    setBusy(true);
    const r = await invoke('models/history', { name, at: iso });
    if (mine !== seq.current) return;
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setResult(r.value.at);
    onResult(r.value.at);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void ask(value);
  };

  return (
    <section className="panel as-of" aria-labelledby="as-of-h">
      <form className="as-of-form" onSubmit={onSubmit}>
        <h2 id="as-of-h" className="as-of-title">
          As of
        </h2>
        <label className="field-inline">
          <span>Date and time (UTC)</span>
          <input
            type="datetime-local"
            step={1}
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              void ask(e.target.value);
            }}
            aria-label="As of (UTC)"
            data-testid="history-at-input"
          />
        </label>
        <button type="submit" className="btn btn-secondary" disabled={busy || !localInputToIso(value)}>
          Show
        </button>
        {value && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              seq.current++;
              setValue('');
              setResult(null);
              setError(null);
              setBusy(false);
              onResult(null);
            }}
          >
            Clear
          </button>
        )}
      </form>
      {error && <ErrorBanner error={error} context="Could not compute the aliases at that moment" onDismiss={() => setError(null)} />}
      {result ? (
        <div className="as-of-result" data-testid="history-at-result" aria-live="polite">
          <p className="as-of-line">
            <strong>At {formatTimestamp(result.moment)}:</strong>{' '}
            {result.held.length === 0 ? (
              <span>no alias or stage was held.</span>
            ) : (
              result.held.map((h) => (
                <span key={laneKey(h)} className="as-of-held">
                  <span className="mono">{laneLabel(h)}</span> → <span className="mono">v{h.version}</span>{' '}
                  <Status tone={h.certainty === 'observed' ? 'ok' : 'warn'}>{h.certainty}</Status>
                  <span className="visually-hidden">;</span>
                </span>
              ))
            )}
          </p>
          {result.note && <p className="muted as-of-note">{result.note}</p>}
        </div>
      ) : (
        <p className="muted as-of-help">Pick a moment to see which version held each alias and stage then, and how sure Docket is (observed at a sync, or changed between two syncs).</p>
      )}
    </section>
  );
}

function Timeline({ placements, highlight, marker }: { placements: AliasPlacementView[]; highlight: string; marker: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref, 900);
  const [now] = useState(() => Date.now());
  const plotW = Math.max(200, width - LABEL_W - 24);
  const geo = useMemo(() => timelineGeometry(placements, { width: plotW, now, laneHeight: LANE_H }), [placements, plotW, now]);
  const laneY = new Map(geo.lanes.map((l) => [l.key, l.y]));
  const markerT = marker ? Date.parse(marker) : NaN;
  const markerX = Number.isNaN(markerT) ? null : geo.x(markerT);
  const height = geo.height + AXIS_H;
  const nowX = geo.x(now);
  return (
    <div className="timeline-wrap" ref={ref}>
      <svg className="alias-timeline" data-testid="alias-timeline" width="100%" height={height + 4} viewBox={`0 0 ${LABEL_W + plotW + 24} ${height + 4}`} role="img" aria-label={`Timeline of ${geo.lanes.length} aliases and stages; the table below lists the same placements.`}>
        <defs>
          <marker id="tl-open" viewBox="0 0 10 10" refX="2" refY="5" markerWidth="3.5" markerHeight="3.5" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" className="tl-open-arrow" />
          </marker>
        </defs>
        {geo.lanes.map((l) => (
          <g key={l.key} transform={`translate(0,${l.y})`}>
            <rect className={`tl-lane ${l.index % 2 ? 'odd' : ''}`} x={0} y={0} width={LABEL_W + plotW + 24} height={LANE_H} />
            <text className={`tl-lane-label kind-${l.kind}`} x={12} y={LANE_H / 2 + 4}>
              {l.label.length > 18 ? `${l.label.slice(0, 17)}…` : l.label}
              <title>{l.label}</title>
            </text>
          </g>
        ))}
        <g transform={`translate(${LABEL_W},0)`}>
          {geo.ticks.map((t) => (
            <g key={t.t} className="tl-tick">
              <line x1={t.x} x2={t.x} y1={0} y2={geo.height + 4} />
              <text x={t.x} y={geo.height + 20} textAnchor="middle">
                {t.label}
              </text>
            </g>
          ))}
          {geo.nowInRange ? (
            <g className="tl-now">
              <line x1={nowX} x2={nowX} y1={0} y2={geo.height} />
              <text x={nowX - 4} y={10} textAnchor="end">
                now
              </text>
            </g>
          ) : (
            <text className="tl-now-off" x={plotW} y={10} textAnchor="end">
              now ({formatTimestamp(new Date(now).toISOString()).slice(0, 10)}) →
            </text>
          )}
          {geo.bars.map((b, i) => {
            const y = (laneY.get(b.lane) ?? 0) + (LANE_H - BAR_H) / 2 + 4;
            const mine = b.version === highlight;
            const p = b.placement;
            const title = `${laneLabel(p)} → v${p.version}: first seen ${formatTimestamp(p.firstSeenAt)}, last seen ${formatTimestamp(p.lastSeenAt)}${p.endedAt ? `, ended by ${formatTimestamp(p.endedAt)}` : ', still held at the last sync'}`;
            return (
              <g key={i} className={`tl-bar ${mine ? 'mine' : ''}`} data-version={b.version} data-lane={b.lane}>
                <title>{title}</title>
                {b.openX2 !== null && b.openX2 > b.x2 + 1 && <line className="tl-open" x1={b.x2} x2={b.openX2 - 4} y1={y + BAR_H / 2} y2={y + BAR_H / 2} markerEnd="url(#tl-open)" />}
                {b.dashX2 !== null && b.dashX2 > b.x2 + 0.5 && <line className="tl-window" x1={b.x2} x2={b.dashX2} y1={y + BAR_H / 2} y2={y + BAR_H / 2} />}
                <rect className="tl-solid" x={b.x1} y={y} width={Math.max(2, b.x2 - b.x1)} height={BAR_H} rx={3} />
                <text className={b.labelInside ? 'tl-label inside' : 'tl-label'} x={b.labelX + (b.labelInside ? 0 : 0)} y={b.labelInside ? y + BAR_H - 3 : y - 4}>
                  v{b.version}
                </text>
              </g>
            );
          })}
          {markerX !== null && (
            <g className="tl-marker">
              <line x1={markerX} x2={markerX} y1={0} y2={geo.height} />
            </g>
          )}
        </g>
      </svg>
      <ul className="timeline-legend" aria-label="Timeline legend">
        <li>
          <svg width="30" height="10" aria-hidden="true">
            <rect className="tl-solid" x={0} y={1} width={30} height={8} rx={2} />
          </svg>
          Held (seen at syncs)
        </li>
        <li>
          <svg width="30" height="10" aria-hidden="true">
            <line className="tl-window" x1={0} x2={30} y1={5} y2={5} />
          </svg>
          Changed somewhere in this window (between syncs)
        </li>
        <li>
          <svg width="30" height="10" aria-hidden="true">
            <line className="tl-open" x1={0} x2={24} y1={5} y2={5} markerEnd="url(#tl-open)" />
          </svg>
          Still held at the last sync
        </li>
        <li>
          <svg width="30" height="10" aria-hidden="true">
            <rect className="tl-solid mine-swatch" x={0} y={1} width={30} height={8} rx={2} />
          </svg>
          This version (v{highlight})
        </li>
        {markerX !== null && (
          <li>
            <svg width="10" height="14" aria-hidden="true" className="tl-marker">
              <line x1={5} x2={5} y1={0} y2={14} />
            </svg>
            The “as of” moment
          </li>
        )}
      </ul>
    </div>
  );
}

function PlacementTable({ placements, highlight }: { placements: AliasPlacementView[]; highlight: string }) {
  const rows = [...placements].sort((a, b) => laneLabel(a).localeCompare(laneLabel(b)) || a.firstSeenAt.localeCompare(b.firstSeenAt));
  return (
    <ScrollRegion className="table-wrap placement-table" label="Alias and stage placements">
      <table className="data-table compact" data-testid="placement-table">
        <caption className="visually-hidden">Alias and stage placements</caption>
        <thead>
          <tr>
            <th scope="col">Alias / stage</th>
            <th scope="col">Version</th>
            <th scope="col">First seen</th>
            <th scope="col">Last seen</th>
            <th scope="col">Ended</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p, i) => (
            <tr key={i} className={p.version === highlight ? 'row-mine' : undefined}>
              <td className="mono">{laneLabel(p)}</td>
              <td className="mono">v{p.version}</td>
              <td className="nowrap">{formatTimestamp(p.firstSeenAt)}</td>
              <td className="nowrap">{formatTimestamp(p.lastSeenAt)}</td>
              <td className="nowrap">{p.endedAt ? formatTimestamp(p.endedAt) : <Status tone="info">still held</Status>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function humanKind(kind: string): string {
  return kind.replace(/[_.]/g, ' ');
}

function EventList({ events }: { events: History['events'] }) {
  const rows = [...events].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <section className="panel" aria-labelledby="events-h">
      <h2 id="events-h" className="panel-title">
        Registry events <span className="num muted">{events.length}</span>
      </h2>
      {rows.length === 0 ? (
        <p className="muted no-margin">No registrations, tag or description changes recorded.</p>
      ) : (
        <ScrollRegion className="table-wrap" labelledBy="events-h">
          <table className="data-table compact" data-testid="registry-events">
            <thead>
              <tr>
                <th scope="col">When (seen at sync)</th>
                <th scope="col">Event</th>
                <th scope="col">Version</th>
                <th scope="col">Key</th>
                <th scope="col">Change</th>
                <th scope="col" className="num">
                  Sync run
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e, i) => (
                <tr key={i} data-kind={e.kind}>
                  <td className="nowrap">{formatTimestamp(e.at)}</td>
                  <td>{humanKind(e.kind)}</td>
                  <td className="mono">{e.version !== null ? `v${e.version}` : <span className="muted">model</span>}</td>
                  <td className="mono wrap">{e.key ?? <span className="muted">—</span>}</td>
                  <td className="wrap change-cell">
                    {e.old === null && e.new === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <>
                        {e.old !== null ? <del className="old-value">{e.old}</del> : <span className="muted">(none)</span>}
                        <span aria-hidden="true"> → </span>
                        <span className="visually-hidden"> changed to </span>
                        {e.new !== null ? <ins className="new-value">{e.new}</ins> : <span className="muted">(removed)</span>}
                      </>
                    )}
                  </td>
                  <td className="num num-inline">#{e.syncRunId}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
