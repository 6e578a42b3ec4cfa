// Lineage: the drawn graph, what the checks found, and the full names of what the boxes shorten.
import type { AuditEvidenceBundle } from '../../../../shared/pack/evidenceBundle';
import { drawLineage, drawLineageLegend, KIND_STYLE, MAX_DIAGRAM_NODES, selectNeighbourhood } from './lineage';
import { plural, statusStyle } from './format';
import { bottom, COLOR, type Ctx, heading, note, paragraph, sectionTitle, SIZE, table } from './layout';

const CHECKS: { key: keyof AuditEvidenceBundle['lineage']['completeness']; label: string }[] = [
  { key: 'trainingData', label: 'Training data recorded' },
  { key: 'evaluationData', label: 'Evaluation data recorded' },
  { key: 'producingRun', label: 'Producing run recorded' },
  { key: 'codeLocation', label: 'Code location recorded' },
];

export function drawLineageSection(ctx: Ctx, bundle: AuditEvidenceBundle): void {
  const { doc } = ctx;
  const view = bundle.lineage;
  const selection = selectNeighbourhood(view);
  const item = sectionTitle(
    ctx,
    'Lineage',
    `Where ${view.model} version ${view.version} came from and what it feeds, left to right: data → runs → model version → deployments. ${plural(view.nodes.length, 'node')} and ${plural(view.edges.length, 'edge')} recorded.`,
  );
  if (view.nodes.length === 0) {
    paragraph(doc, '– MISSING: no lineage is recorded for this version.', { font: 'bold', color: statusStyle('missing').color });
  } else {
    if (selection.omitted > 0) {
      paragraph(doc, `⚠ The graph has ${view.nodes.length} nodes; the drawing shows the ${selection.nodes.length} nearest to this version and omits ${selection.omitted}. evidence.json holds the whole graph.`, {
        font: 'bold',
        size: SIZE.small,
        color: statusStyle('warn').color,
      });
    }
    drawLineageLegend(doc, selection);
    doc.y += 4;
    const available = bottom() - doc.y - 40;
    const top = doc.y;
    const used = drawLineage(doc, view, selection, available);
    doc.y = top + used + 12;
    note(doc, `Boxes show shortened names; the table below gives them in full. Sources: ${[...new Set(view.nodes.flatMap((n) => n.sources))].sort().join(', ') || '—'}.`);
  }

  heading(ctx, 'Lineage checks', { parent: item });
  table(
    doc,
    [
      { header: 'Check', flex: 2 },
      { header: 'Status', width: 90 },
      { header: 'Evidence (nodes)', flex: 3, font: 'mono' },
    ],
    CHECKS.map((c) => {
      const ok = view.completeness[c.key];
      const st = statusStyle(ok ? 'pass' : 'missing');
      const evidence = bundle.policy.evidence.lineage[c.key];
      return [c.label, [{ text: `${st.symbol} ${st.text}`, font: 'bold', color: st.color }], evidence?.nodes.join('\n') || '—'];
    }),
  );

  if (selection.nodes.length > 0) {
    heading(ctx, 'Nodes in the drawing', { parent: item });
    table(
      doc,
      [
        { header: 'Kind', width: 84 },
        { header: 'Name', flex: 2 },
        { header: 'Namespace', flex: 1.3 },
        { header: 'Key', flex: 2.2, font: 'mono' },
      ],
      [...selection.nodes]
        .sort((a, b) => (a.id === view.focus ? -1 : b.id === view.focus ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id < b.id ? -1 : 1))
        .map((n) => [
          [{ text: KIND_STYLE[n.kind].label.toLowerCase() + (n.id === view.focus ? ' ◆' : ''), color: KIND_STYLE[n.kind].stroke, font: 'bold' }],
          n.label,
          n.namespace ?? '—',
          [{ text: n.id, font: 'mono', size: SIZE.tiny, color: COLOR.muted }],
        ]),
      { size: SIZE.small - 0.5 },
    );
    if (selection.omitted > 0) note(doc, `${selection.omitted} further nodes (beyond the ${MAX_DIAGRAM_NODES} nearest) are listed in evidence.json only.`);
  }
}
