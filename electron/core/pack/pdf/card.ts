// The model card, as imported, plus the model's registry facts and version history.
import type { AuditEvidenceBundle } from '../../../../shared/pack/evidenceBundle';
import { GOVERNANCE_SECTIONS } from '../../../../shared/domain/sections';
import { formatEpochMs, formatPercent, formatTime, statusStyle } from './format';
import { markdownToBlocks } from './markdown';
import { COLOR, type Ctx, ensureSpace, heading, keyValues, paragraph, sectionTitle, setFont, SIZE, table } from './layout';

export function drawCardSection(ctx: Ctx, bundle: AuditEvidenceBundle): void {
  const { doc } = ctx;
  const card = bundle.card;
  const item = sectionTitle(ctx, 'Model card', card ? `Imported from ${card.source.file} (${card.source.format}) on ${formatTime(card.source.importedAt)}. Sections are shown as plain text; images and link targets are left out.` : undefined);

  if (!card) {
    paragraph(doc, '– MISSING: no model card was imported for this version. The checklist below reflects that.', { color: statusStyle('missing').color, font: 'bold' });
  } else {
    const c = card.canonical;
    const completeness = card.completeness;
    keyValues(doc, [
      ['Model', `${c.modelName} (card version ${c.version})`],
      ['Owners', c.owners.length ? c.owners.map((o) => (o.contact ? `${o.name} <${o.contact}>` : o.name)).join(', ') : '—'],
      ['License', c.license ?? '—'],
      ['Tags', c.tags.length ? c.tags.join(', ') : '—'],
      ['Datasets named', c.datasets.length ? c.datasets.join(', ') : '—'],
      ['Completeness', `${formatPercent(completeness.ratio)} of governance sections present (${completeness.present.length} present, ${completeness.empty.length} empty, ${completeness.missing.length} missing)`],
      ['Source file sha256', [{ text: card.source.sha256, font: 'mono', size: SIZE.small }]],
    ]);
    if (c.summary) paragraph(doc, c.summary, { color: COLOR.ink });

    for (const section of GOVERNANCE_SECTIONS) {
      const text = c.sections[section.key];
      const state = text === null || text === undefined ? 'missing' : text.trim() === '' ? 'empty' : 'present';
      heading(ctx, section.title, { parent: item, keep: 40 });
      if (state !== 'present') {
        const st = statusStyle('missing');
        paragraph(doc, `${st.symbol} ${state === 'missing' ? 'MISSING: the card has no such section.' : 'EMPTY: the heading is there but says nothing.'}`, { color: st.color, font: 'bold', size: SIZE.small });
        continue;
      }
      for (const block of markdownToBlocks(text ?? '')) {
        if (block.kind === 'heading') {
          doc.y += 2;
          ensureSpace(doc, 36);
          paragraph(doc, block.text, { font: 'bold', size: SIZE.body, gap: 2 });
        } else if (block.kind === 'bullet') {
          const indent = 10 + block.depth * 12;
          ensureSpace(doc, 14);
          const y = doc.y;
          setFont(doc, 'regular', SIZE.body, COLOR.muted).text(block.marker, doc.page.margins.left + indent - 10, y, { width: 12, lineBreak: false });
          doc.y = y;
          paragraph(doc, block.text, { indent: indent + (block.marker.length > 1 ? 6 : 0), gap: 2 });
        } else if (block.kind === 'code') {
          paragraph(doc, block.text, { font: 'mono', size: SIZE.small, color: COLOR.muted, indent: 10 });
        } else paragraph(doc, block.text);
      }
    }

    if (c.metrics.length > 0) {
      heading(ctx, 'Reported metrics', { parent: item });
      table(
        doc,
        [
          { header: 'Metric', flex: 2 },
          { header: 'Value', width: 70, align: 'right' },
          { header: 'Dataset', flex: 2 },
          { header: 'Split / slice', flex: 1.4 },
          { header: 'Verified', width: 48 },
        ],
        c.metrics.map((m) => [
          m.name === m.type ? m.name : `${m.name} (${m.type})`,
          typeof m.value === 'number' ? String(Number(m.value.toFixed(4))) : m.value,
          m.dataset ?? '—',
          [m.split, m.slice].filter(Boolean).join(' / ') || '—',
          m.verified === undefined ? '—' : m.verified ? '✓ yes' : 'no',
        ]),
      );
    }
  }

  heading(ctx, 'Registry and version history', { parent: item });
  const reg = bundle.model.registry;
  keyValues(doc, [
    ['Aliases', bundle.model.aliases.length ? bundle.model.aliases.join(', ') : '—'],
    ['Tags', bundle.model.tags.length ? bundle.model.tags.map((t) => (t.value ? `${t.key}=${t.value}` : t.key)).join(', ') : '—'],
    ...(reg
      ? ([
          ['Registry status', `${reg.status ?? '—'}${reg.currentStage ? `, stage ${reg.currentStage}` : ''}`],
          ['Created', `${formatEpochMs(reg.createdAt)}${reg.userId ? ` by ${reg.userId}` : ''}`],
          ['Source', reg.source ?? '—'],
          ['Producing run', reg.runId ?? '—'],
        ] as [string, string][])
      : ([['Registry', 'not synced from a registry']] as [string, string][])),
  ]);
  table(
    doc,
    [
      { header: 'Version', width: 90 },
      { header: 'Imported', flex: 1 },
      { header: 'This pack', width: 90 },
    ],
    bundle.model.versions.map((v) => [v.version, formatTime(v.importedAt), v.version === bundle.model.version ? [{ text: '◆ this version', font: 'bold' }] : '']),
  );
}
