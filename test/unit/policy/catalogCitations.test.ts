import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDefaultControlCatalog } from '../../../electron/core/policy/loadControlCatalog';

/**
 * Every citation in the catalog must point at an item that exists in the reference texts
 * (/work/shared/reference/compliance and REFERENCE.md), so an audit pack never cites a phantom.
 */
const SHARED = process.env.DOCKET_SHARED_DIR ?? '/work/shared';
const euText = readFileSync(resolve(SHARED, 'reference/compliance/eu-ai-act-excerpts.md'), 'utf8');
const nistText = readFileSync(resolve(SHARED, 'reference/compliance/nist-ai-rmf-1.0.md'), 'utf8');
const referenceText = readFileSync(resolve(SHARED, 'REFERENCE.md'), 'utf8');
const catalog = loadDefaultControlCatalog(resolve('resources'));

/** Annex IV's numbered items and their lettered points, read from the excerpt's Annex IV section. */
function annexIvItems(): Set<string> {
  const annex = euText.slice(euText.indexOf('## ANNEX IV'));
  const items = new Set<string>();
  let current: string | null = null;
  for (const line of annex.split('\n')) {
    const item = /^([1-9])\.\s/.exec(line);
    if (item) {
      current = item[1]!;
      items.add(`Annex IV ${current}`);
      continue;
    }
    const point = /^\(([a-h])\)\s/.exec(line);
    if (point && current) items.add(`Annex IV ${current}(${point[1]})`);
  }
  return items;
}

/** ISO/IEC 42001 numbers REFERENCE.md lists, with its ranges ("8.2-8.4", "A.6.2.2-A.6.2.8") expanded. */
function isoItems(): Set<string> {
  const line = referenceText.split('\n').find((l) => l.includes('ISO/IEC 42001'))!;
  const block = referenceText.slice(referenceText.indexOf(line), referenceText.indexOf('\n\n', referenceText.indexOf(line)) + 1 || undefined);
  const items = new Set<string>();
  for (const m of block.matchAll(/(A\.)?(\d+(?:\.\d+)*)(?:-(A\.)?(\d+(?:\.\d+)*))?/g)) {
    const prefix = m[1] ?? '';
    items.add(`${prefix}${m[2]}`);
    if (m[4]) {
      const from = m[2]!.split('.');
      const to = m[4].split('.');
      const head = from.slice(0, -1).join('.');
      for (let n = Number(from.at(-1)); n <= Number(to.at(-1)); n++) items.add(`${prefix}${head ? `${head}.` : ''}${n}`);
    }
  }
  return items;
}

describe('control catalog citations exist in the reference texts', () => {
  const annex = annexIvItems();
  const iso = isoItems();

  it('reads the reference texts it checks against', () => {
    expect(annex).toContain('Annex IV 2(g)');
    expect(annex).toContain('Annex IV 9');
    expect(iso).toContain('A.6.2.5');
    expect(iso).toContain('8.3');
    expect(iso).not.toContain('A.6.2.9');
  });

  for (const control of catalog.controls) {
    it(`${control.id} ${control.title}`, () => {
      for (const c of control.citations.euAiAct) {
        if (c.startsWith('Annex IV')) expect(annex, `${control.id} cites ${c}`).toContain(c);
        else expect(euText, `${control.id} cites ${c}`).toMatch(new RegExp(`^## ${c} `, 'm'));
      }
      for (const c of control.citations.nistAiRmf) expect(nistText, `${control.id} cites ${c}`).toMatch(new RegExp(`^#### ${c.replace('.', '\\.')}$`, 'm'));
      for (const c of control.citations.iso42001) expect(iso, `${control.id} cites ISO/IEC 42001 ${c}`).toContain(c);
    });
  }
});
