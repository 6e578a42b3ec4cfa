// The audit PDF: every section's key facts are in the text layer, the outline and metadata are
// there, the bytes are deterministic, and the large bundle renders quickly. Page images go to
// test-results/pack/pages/ for a human look.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditPdfInfo, renderAuditPdf } from '../../../electron/core/pack/renderAuditPdf';
import { markdownToBlocks } from '../../../electron/core/pack/pdf/markdown';
import { selectNeighbourhood } from '../../../electron/core/pack/pdf/lineage';
import { EVIDENCE_SHA256, KEY_IDS, makeAuditBundle, makeLargeAuditBundle, MODEL, OWNERS, SIGNERS } from './auditBundleFixture';

const FONTS = resolve('resources/fonts');
const OUT = resolve('test-results/pack');

function tool(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Text of all (Flate) streams and plain objects: enough to find outline titles and the info dictionary. */
function pdfObjects(pdf: Buffer): string {
  return pdf.toString('latin1');
}

/** PDF text strings may be literal "(Title)" or UTF-16BE hex "<FEFF...>"; decode both for outline titles. */
function outlineTitles(pdf: Buffer): string[] {
  const text = pdfObjects(pdf);
  const titles: string[] = [];
  for (const m of text.matchAll(/\/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]+>)/g)) {
    const raw = m[1]!;
    if (raw.startsWith('(')) titles.push(raw.slice(1, -1).replace(/\\(.)/g, '$1'));
    else {
      const hex = raw.slice(1, -1).replace(/\s/g, '');
      const bytes = Buffer.from(hex, 'hex');
      titles.push(bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2).swap16().toString('utf16le') : bytes.toString('latin1'));
    }
  }
  return titles;
}

describe('renderAuditPdf', () => {
  let pdf: Buffer;
  let text: string;
  let file: string;

  beforeAll(async () => {
    pdf = await renderAuditPdf(makeAuditBundle(), { fontsDir: FONTS, evidenceSha256: EVIDENCE_SHA256 });
    mkdirSync(OUT, { recursive: true });
    file = join(OUT, 'audit-pack.pdf');
    writeFileSync(file, pdf);
    text = tool('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
  });

  it('states each section’s key facts as text (Unicode included)', () => {
    const flat = text.replace(/\s+/g, ' ');
    // Cover and summary.
    expect(flat).toContain(MODEL);
    expect(flat).toContain('version 3');
    expect(flat).toContain('REJECTED');
    expect(flat).toContain(EVIDENCE_SHA256.match(/.{8}/g)!.join(' '));
    expect(flat).toContain(`evidence-sha256:${EVIDENCE_SHA256}`);
    expect(flat).toContain('2026-03-14 09:26 UTC');
    for (const s of SIGNERS) expect(flat).toContain(s.name);
    for (const o of OWNERS) expect(flat).toContain(o);
    // Model card, markdown reduced to text.
    expect(flat).toContain('Bias, risks and limitations');
    expect(flat).toContain('Primary use');
    expect(flat).not.toContain('![architecture]');
    expect(flat).not.toContain('**');
    expect(flat).toContain('underwriting manual');
    expect(flat).not.toContain('intranet.example');
    // Lineage.
    expect(flat).toContain('features/kredit_v12');
    expect(flat).toContain('Code location recorded');
    // Fairness: a failing verdict and its numbers.
    expect(flat).toMatch(/✗ FAIL/);
    expect(flat).toContain('Disparate impact ratio (lowest impact ratio)');
    expect(flat).toContain('weiblich');
    expect(flat).toContain('>= 0.8');
    // Spend: a monthly figure formatted as the app formats money.
    const bundle = makeAuditBundle();
    const feb = bundle.spend.monthly.find((m) => m.month === '2026-02')!;
    const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(feb.effectiveCost);
    expect(flat).toContain(money);
    expect(flat).toContain('≈ Estimated');
    expect(flat).toMatch(/last sync 2026-03-14 06:00 UTC/);
    // Checklist: every rule id, statuses and citations.
    for (const r of bundle.policy.checklist.rules) expect(flat).toContain(r.id);
    for (const s of ['✓ PASS', '✗ FAIL', '– MISSING', '≈ WAIVED']) expect(flat).toContain(s);
    expect(flat).toContain('Annex IV 2(g)');
    expect(flat).toContain('MEASURE 2.11');
    expect(flat).toContain('A.7.4');
    // Decisions: signers, short and full key ids, digests.
    for (const k of KEY_IDS) {
      expect(flat).toContain(k.slice(0, 16));
      expect(flat).toContain(k);
    }
    for (const d of bundle.decisions) expect(flat).toContain(d.digest);
    expect(flat).toContain('VERIFIED');
    // Appendix.
    expect(flat).toContain(bundle.audit.head!.hash);
    expect(flat).toContain(bundle.card!.source.sha256);
    expect(flat).toContain('How to verify this pack');
  });

  it('has metadata, page numbers and an outline per section', () => {
    const info = tool('pdfinfo', [file]);
    expect(info).toMatch(/Title:\s+Audit pack: kreditprüfung-scorer@3/);
    expect(info).toMatch(/Author:\s+Docket/);
    expect(info).toContain(`evidence-sha256:${EVIDENCE_SHA256}`);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThan(8);
    expect(text).toContain(`page 1 of ${pages}`);
    expect(text).toContain(`page ${pages} of ${pages}`);
    expect(text).toContain(`${MODEL}@3`);

    const objects = pdfObjects(pdf);
    expect(objects).toMatch(/\/Outlines \d+ 0 R/);
    expect(objects).toMatch(/\/PageMode \/UseOutlines/);
    const titles = outlineTitles(pdf);
    for (const t of ['Cover', 'Executive summary', 'Model card', 'Lineage', 'Fairness', 'Spend', 'Policy checklist', 'Reviews and decisions', 'Appendix: hashes and verification']) expect(titles).toContain(t);
    expect(titles.some((t) => t.startsWith('Evaluation 1: holdout_2025Q4'))).toBe(true);
    // Embedded fonts, no object streams (the signer adds an incremental update to this file).
    const fonts = tool('pdffonts', [file]);
    expect(fonts).toMatch(/DejaVuSans\s/);
    expect(fonts).toMatch(/DejaVuSans-Bold/);
    expect(fonts).toMatch(/DejaVuSansMono/);
    expect(fonts).not.toMatch(/Helvetica/);
    expect(objects).not.toContain('/ObjStm');
    expect(objects).toMatch(/startxref\s+\d+\s+%%EOF\s*$/);
  });

  it('is deterministic: same bundle, same bytes; the clock is the bundle’s', async () => {
    const again = await renderAuditPdf(makeAuditBundle(), { fontsDir: FONTS, evidenceSha256: EVIDENCE_SHA256 });
    expect(again.equals(pdf)).toBe(true);
    const info = auditPdfInfo(makeAuditBundle(), EVIDENCE_SHA256);
    expect(info.CreationDate?.toISOString()).toBe('2026-03-14T09:26:53.000Z');
    expect(pdf.toString('latin1')).toContain('(D:20260314092653Z)');
    const later = await renderAuditPdf({ ...makeAuditBundle(), generatedAt: '2026-03-15T00:00:00Z' }, { fontsDir: FONTS, evidenceSha256: EVIDENCE_SHA256 });
    expect(later.equals(pdf)).toBe(false);
  });

  it('renders pages for a visual check', () => {
    const dir = join(OUT, 'pages');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    tool('pdftoppm', ['-r', '60', '-png', file, join(dir, 'page')]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.png')).length).toBeGreaterThan(8);
  });

  it('renders the large bundle quickly and compactly, drawing the focus neighbourhood', async () => {
    const bundle = makeLargeAuditBundle();
    expect(bundle.lineage.nodes.length).toBe(200);
    expect(bundle.fairness.evaluations[0]!.groups.length).toBe(40);
    const t0 = performance.now();
    const large = await renderAuditPdf(bundle, { fontsDir: FONTS, evidenceSha256: EVIDENCE_SHA256 });
    const ms = performance.now() - t0;
    const largeFile = join(OUT, 'audit-pack-large.pdf');
    writeFileSync(largeFile, large);
    const pages = Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [largeFile]))![1]);
    console.log(`large audit pack: ${ms.toFixed(0)} ms, ${(large.length / 1024).toFixed(0)} KiB, ${pages} pages`);
    expect(ms).toBeLessThan(10_000);
    expect(large.length).toBeLessThan(5 * 1024 * 1024);
    const largeText = tool('pdftotext', ['-enc', 'UTF-8', largeFile, '-']).replace(/\s+/g, ' ');
    const omitted = 200 - selectNeighbourhood(bundle.lineage).nodes.length;
    expect(omitted).toBeGreaterThan(0);
    expect(largeText).toContain(`omits ${omitted}`);
    expect(largeText).toContain('Øresund × 65+');
    const dir = join(OUT, 'pages-large');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    tool('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '12', largeFile, join(dir, 'page')]);
  });

  it('reduces card Markdown to readable blocks', () => {
    const blocks = markdownToBlocks('## Use\n\nSee the [manual](https://x.example) and **this**.\n\n- one\n  - two\n1. first\n![img](a.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(blocks).toEqual([
      { kind: 'heading', text: 'Use' },
      { kind: 'paragraph', text: 'See the manual and this.' },
      { kind: 'bullet', text: 'one', depth: 0, marker: '•' },
      { kind: 'bullet', text: 'two', depth: 1, marker: '•' },
      { kind: 'bullet', text: 'first', depth: 0, marker: '1.' },
      { kind: 'paragraph', text: 'a  |  b' },
      { kind: 'paragraph', text: '1  |  2' },
    ]);
  });

  it('refuses a malformed hash and names a missing font', async () => {
    await expect(renderAuditPdf(makeAuditBundle(), { fontsDir: FONTS, evidenceSha256: 'abc' })).rejects.toThrow(/64 lowercase hex/);
    await expect(renderAuditPdf(makeAuditBundle(), { fontsDir: OUT, evidenceSha256: EVIDENCE_SHA256 })).rejects.toThrow(/DejaVuSans\.ttf not found/);
  });
});
