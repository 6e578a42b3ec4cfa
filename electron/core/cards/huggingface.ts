import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { SECTION_KEYS, type CanonicalCard, type CardMetric, type CardOwner, type SectionKey } from '../../../shared/domain/modelCard';
import { CardParseError, describeFirstIssue, fieldPath, validatedCard, type PathSegment } from './cardError';

// ---------------------------------------------------------------------------------------------
// Front matter
// ---------------------------------------------------------------------------------------------

/** YAML scalars that may stand in for text: real cards write `config: 2020` or `tags: [2023]`. */
const ScalarText = z.union([z.string(), z.number(), z.boolean()], { error: 'a string' }).transform(String);
const TextOrList = z.union([ScalarText, z.array(ScalarText)], { error: 'a string or a list of strings' });
const Text = z.string({ error: 'a string' });

const MetricSchema = z.object(
  {
    type: ScalarText,
    value: z.union([z.number(), z.string()], { error: 'a number or a string' }),
    name: ScalarText.nullish(),
    verified: z.boolean({ error: 'true or false' }).nullish(),
  },
  { error: 'an object with type and value' },
);

const ResultSchema = z.object(
  {
    task: z.object({ type: ScalarText, name: ScalarText.nullish() }, { error: 'an object with a type' }),
    dataset: z.object(
      { type: ScalarText, name: ScalarText.nullish(), config: ScalarText.nullish(), split: ScalarText.nullish() },
      { error: 'an object with a type and a name' },
    ),
    metrics: z.array(MetricSchema, { error: 'a list of metrics' }),
  },
  { error: 'an object with task, dataset and metrics' },
);

const ModelIndexSchema = z.array(
  z.object(
    { name: Text, results: z.array(ResultSchema, { error: 'a list of results' }).nullish() },
    { error: 'an object with a name and results' },
  ),
  { error: 'a list of {name, results}' },
);

/** Only the keys Docket reads are checked; everything else in the front matter is left alone. */
const FrontMatterSchema = z.object(
  {
    license: Text.nullish(),
    license_name: Text.nullish(),
    tags: TextOrList.nullish(),
    datasets: TextOrList.nullish(),
    pipeline_tag: Text.nullish(),
    library_name: Text.nullish(),
    'model-index': ModelIndexSchema.nullish(),
  },
  { error: 'a mapping of keys to values' },
);
type FrontMatter = z.infer<typeof FrontMatterSchema>;

interface SplitReadme {
  /** YAML text between the fences, or null when the README has no front matter. */
  yaml: string | null;
  /** 1-based README line of the first YAML line. */
  yamlStartLine: number;
  body: string[];
}

function splitFrontMatter(text: string): SplitReadme {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trimEnd() !== '---') return { yaml: null, yamlStartLine: 1, body: lines };
  const close = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (close < 0) throw new CardParseError('line 1', 'the YAML front matter opened with --- on line 1 is never closed with ---');
  return { yaml: lines.slice(1, close).join('\n'), yamlStartLine: 2, body: lines.slice(close + 1) };
}

/** README line of the node at `path`, or of the deepest ancestor that exists (for missing keys). */
function lineOfPath(doc: Document, counter: LineCounter, path: readonly PathSegment[], startLine: number): number | null {
  let node: unknown = doc.contents;
  let offset: number | undefined = isMap(node) ? node.range?.[0] : undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value === seg : p.key === seg));
      if (!pair) break;
      // Point at the key, which is where a reader looks for "license:" or "value:".
      if (isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) break;
      if ((isMap(item) || isSeq(item) || isScalar(item)) && item.range) offset = item.range[0];
      node = item;
    } else break;
  }
  return offset === undefined ? null : counter.linePos(offset).line + startLine - 1;
}

function parseFrontMatter(yaml: string, startLine: number): FrontMatter {
  const counter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: counter, prettyErrors: true });
  const err = doc.errors[0];
  if (err) {
    const line = (err.linePos?.[0]?.line ?? 1) + startLine - 1;
    const column = err.linePos?.[0]?.col;
    // The library's message repeats the position and quotes the source; keep just the sentence.
    const message = err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? err.code;
    throw new CardParseError(`line ${line}`, `invalid YAML front matter: ${message}${column ? ` (column ${column})` : ''}`);
  }
  let data: unknown;
  try {
    // A small alias budget stops "billion laughs" front matter from exhausting memory.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new CardParseError(`line ${startLine}`, `invalid YAML front matter: ${(e as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  const parsed = FrontMatterSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problem = describeFirstIssue(parsed.error, data, fieldPath);
  // A front matter that is not a mapping at all is reported at its first line.
  const line = lineOfPath(doc, counter, problem.path, startLine) ?? (problem.path.length === 0 ? startLine : null);
  throw new CardParseError(line === null ? fieldPath(problem.path) : `line ${line}`, problem.reason);
}

// ---------------------------------------------------------------------------------------------
// Markdown body
// ---------------------------------------------------------------------------------------------

interface Heading {
  level: number;
  title: string;
  /** Index in body lines of the heading line (setext: the text line). */
  line: number;
  /** First body line after the heading (setext: after the underline). */
  contentStart: number;
  /** Index of the next heading of the same or a higher level, or the end of the body. */
  end: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;

/** ATX and setext headings outside fenced code (Python comments in code blocks start with #). */
function findHeadings(lines: string[]): Heading[] {
  const found: Omit<Heading, 'end'>[] = [];
  let fence: string | null = null;
  lines.forEach((line, i) => {
    const fenceMatch = FENCE.exec(line);
    if (fence !== null) {
      if (fenceMatch?.[1] && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) fence = null;
      return;
    }
    if (fenceMatch?.[1]) {
      fence = fenceMatch[1];
      return;
    }
    const atx = ATX.exec(line);
    if (atx?.[1]) {
      found.push({ level: atx[1].length, title: (atx[2] ?? '').trim(), line: i, contentStart: i + 1 });
      return;
    }
    const setext = SETEXT.exec(line);
    const prev = lines[i - 1];
    const prevIsHeading = found.at(-1)?.line === i - 1;
    if (setext?.[1] && prev !== undefined && prev.trim() !== '' && !prevIsHeading && !/^\s*([-*+>|<]|\d+[.)])/.test(prev)) {
      found.push({ level: setext[1][0] === '=' ? 1 : 2, title: prev.trim(), line: i - 1, contentStart: i + 1 });
    }
  });
  return found.map((h, idx) => {
    const next = found.slice(idx + 1).find((o) => o.level <= h.level);
    return { ...h, end: next ? next.line : lines.length };
  });
}

/** Removes links, emphasis and code marks so headings and names read as plain text. */
function plainText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[*_`~]+/g, '')
    .trim();
}

function normalizeHeading(title: string): string {
  return plainText(title)
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^(\d+ )+/, '');
}

type HeadingClass = { key: SectionKey; strong: boolean } | { key: 'owners' } | null;

/**
 * Maps a heading to a governance section. Real cards name sections their own way, so matching
 * is by keywords. "Strong" names are used when present; weak ones ("Training") are a fallback.
 * Order matters: "Out-of-Scope Use" before "Use", "Intended uses & limitations" before "limitations".
 */
function classifyHeading(title: string): HeadingClass {
  const h = normalizeHeading(title);
  if (/\bmodel card (authors?|contact|contacts)\b/.test(h)) return { key: 'owners' };
  if (/\b(out of scope|misuses?|malicious|prohibited|unintended)\b/.test(h)) return { key: 'outOfScopeUse', strong: true };
  if (/\bintended (uses?|usage|purpose)\b/.test(h)) return { key: 'intendedUse', strong: true };
  if (/\b(how to|get started|getting started)\b/.test(h)) return null; // code samples, not governance text
  // Anchored: "NLI use-case" in a how-to is an example, not the card's statement of intended use.
  if (/^(uses?|direct uses?|downstream uses?|use cases?|possible uses|primary uses?)\b/.test(h)) return { key: 'intendedUse', strong: true };
  if (/\b(bias|biases|risks?|limitations?|ethical|ethics|fairness|caveats?)\b/.test(h)) return { key: 'biasRisksLimitations', strong: true };
  if (/\b(training|pre ?training|train) (data|dataset|datasets|corpus|corpora)\b|\btraining and evaluation data\b/.test(h)) return { key: 'trainingData', strong: true };
  if (/^(training|training details|data|dataset|datasets)$/.test(h)) return { key: 'trainingData', strong: false };
  if (/\b(evaluation|eval|results?|benchmarks?|performance|testing data|metrics)\b/.test(h)) return { key: 'evaluation', strong: true };
  if (/\bmodel (details|description|summary|overview|information)\b/.test(h)) return { key: 'details', strong: true };
  if (/^(description|overview|summary|about|introduction)$/.test(h)) return { key: 'details', strong: false };
  return null;
}

const PLACEHOLDER = /\[?\s*more information needed\s*\]?/gi;
const ONLY_PLACEHOLDER = /^\[?\s*more information needed\s*\]?\.?$/i;

function stripComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(-->|$)/g, '');
}

/** Section text, or "" when the heading is there but holds only sub-headings, comments or placeholders. */
function sectionText(raw: string): string {
  const text = stripComments(raw).trim();
  const meaningful = text
    .split('\n')
    .filter((line) => !ATX.test(line) && !SETEXT.test(line))
    .join('\n')
    .replace(PLACEHOLDER, '')
    .trim();
  return meaningful === '' ? '' : text;
}

/** First prose paragraph: skips headings, code, tables, HTML blocks, images and link lists. */
function firstParagraph(text: string): string | null {
  const lines = stripComments(text).split('\n');
  let block: string[] = [];
  let inFence = false;
  const flush = (): string | null => {
    const joined = block.join(' ').trim();
    block = [];
    return joined === '' || ONLY_PLACEHOLDER.test(joined) ? null : joined;
  };
  for (const line of lines) {
    if (FENCE.test(line)) {
      inFence = !inFence;
      continue;
    }
    const skip = inFence || ATX.test(line) || /^\s*(<|\||!\[|[-*+] \[|\[\^)/.test(line);
    if (line.trim() === '' || skip) {
      const paragraph = flush();
      if (paragraph) return paragraph;
      continue;
    }
    block.push(line.trim());
  }
  return flush();
}

/** "Jane Doe (jane@x.org)", "Jane Doe <jane@x.org>", "[Jane](https://...)" -> owner records. */
function parseOwners(text: string): CardOwner[] {
  const owners: CardOwner[] = [];
  for (const piece of stripComments(text).replace(PLACEHOLDER, '').split(/[\n,;]/)) {
    const entry = plainText(piece.replace(/^\s*([-*+]|\d+[.)])\s+/, '').replace(/<([^<>@\s]+@[^<>\s]+)>/g, '($1)'));
    if (entry === '' || ATX.test(entry)) continue;
    const email = /[\w.+-]+@[\w-]+(\.[\w-]+)+/.exec(entry)?.[0] ?? null;
    const name = entry.replace(/\(?\s*(mailto:)?[\w.+-]+@[\w-]+(\.[\w-]+)+\s*\)?/, '').trim() || email;
    if (name && !owners.some((o) => o.name === name)) owners.push({ name, contact: email });
  }
  return owners;
}

interface BodyFacts {
  title: string | null;
  sections: Record<SectionKey, string | null>;
  owners: CardOwner[];
  summary: string | null;
}

function readBody(lines: string[]): BodyFacts {
  const headings = findHeadings(lines);
  const levelOne = headings.filter((h) => h.level === 1);
  const title = levelOne[0] ? plainText(levelOne[0].title) || null : null;
  // A lone level-1 heading at the top is the card's title: it spans the whole card, so matching it
  // ("# Risk scoring model") would swallow every section.
  const titleHeading = headings[0]?.level === 1 && levelOne.length === 1 ? headings[0] : undefined;

  const captured = new Map<string, Heading[]>();
  for (const heading of headings) {
    if (heading === titleHeading) continue;
    const cls = classifyHeading(heading.title);
    if (!cls) continue;
    const group = 'strong' in cls ? `${cls.key}:${cls.strong ? 'strong' : 'weak'}` : cls.key;
    const list = captured.get(group) ?? [];
    // A sub-heading of an already captured section of the same kind ("Uses" > "Direct Use") is
    // already part of that section's text.
    if (list.some((c) => heading.line >= c.contentStart && heading.line < c.end)) continue;
    list.push(heading);
    captured.set(group, list);
  }
  const textOf = (list: Heading[]) => list.map((h) => lines.slice(h.contentStart, h.end).join('\n')).join('\n\n');

  const sections = {} as Record<SectionKey, string | null>;
  for (const key of SECTION_KEYS) {
    const list = captured.get(`${key}:strong`) ?? captured.get(`${key}:weak`);
    sections[key] = list ? sectionText(textOf(list)) : null;
  }
  const ownerList = captured.get('owners');
  const owners = ownerList ? parseOwners(textOf(ownerList)) : [];
  const summary = (sections.details ? firstParagraph(sections.details) : null) ?? firstParagraph(lines.join('\n'));
  return { title, sections, owners, summary };
}

// ---------------------------------------------------------------------------------------------
// Card
// ---------------------------------------------------------------------------------------------

function asList(value: string | string[] | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => v.trim()).filter((v) => v !== '');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function metricsFrom(modelIndex: FrontMatter['model-index']): CardMetric[] {
  const metrics: CardMetric[] = [];
  for (const entry of modelIndex ?? []) {
    for (const result of entry.results ?? []) {
      for (const m of result.metrics) {
        metrics.push({
          type: m.type,
          name: m.name ?? m.type,
          value: m.value,
          dataset: result.dataset.name ?? result.dataset.type,
          split: result.dataset.split ?? null,
          task: result.task.type,
          ...(typeof m.verified === 'boolean' ? { verified: m.verified } : {}),
        });
      }
    }
  }
  return metrics;
}

/**
 * Parses a Hugging Face README.md (YAML front matter + Markdown) into a canonical card.
 * Throws CardParseError with a README line number for YAML and field-type problems.
 */
export function parseHuggingFaceCard(text: string, opts: { folderName: string; fallbackVersion?: string }): CanonicalCard {
  const { yaml, yamlStartLine, body } = splitFrontMatter(text);
  const meta = yaml === null ? {} : parseFrontMatter(yaml, yamlStartLine);
  const facts = readBody(body);

  const modelName = meta['model-index']?.[0]?.name.trim() || facts.title || opts.folderName.trim();
  if (!modelName) throw new CardParseError('file', 'no model name: the card has no model-index name, no "# " title and no folder name');

  const license = meta.license === 'other' ? (meta.license_name ?? 'other') : (meta.license ?? null);
  const tags = unique([...asList(meta.tags), ...asList(meta.pipeline_tag), ...asList(meta.library_name)]);

  return validatedCard({
    format: 'huggingface',
    modelName,
    version: opts.fallbackVersion?.trim() || '1',
    summary: facts.summary,
    license,
    owners: facts.owners,
    tags,
    datasets: unique(asList(meta.datasets)),
    sections: facts.sections,
    metrics: metricsFrom(meta['model-index']),
  });
}
