import { describe, it, expect, afterAll } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCardFile, isCardFile, CARD_FILE_EXTENSIONS, MAX_CARD_BYTES } from '../../../electron/core/cards/parseCardFile';
import { CardParseError } from '../../../electron/core/cards/cardError';
import { cardCompleteness } from '../../../shared/domain/completeness';

const fixturePath = (rel: string) => fileURLToPath(new URL(`../../fixtures/model-cards/${rel}`, import.meta.url));
const load = (rel: string) => ({ path: fixturePath(rel), bytes: readFileSync(fixturePath(rel)) });

function rejection(file: { path: string; bytes: Buffer }): CardParseError {
  try {
    parseCardFile(file, {});
  } catch (err) {
    if (err instanceof CardParseError) return err;
    throw err;
  }
  throw new Error(`expected ${file.path} to be rejected`);
}

/** 1-based line of the first line containing `needle`. */
function lineOf(bytes: Buffer, needle: string): number {
  return bytes.toString('utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('parseCardFile format detection', () => {
  it('knows which files are cards', () => {
    expect(CARD_FILE_EXTENSIONS).toEqual(['.md', '.json']);
    expect(isCardFile('/x/README.md')).toBe(true);
    expect(isCardFile('/x/Org_name_README.MD')).toBe(true);
    expect(isCardFile('/x/card.json')).toBe(true);
    expect(isCardFile('/x/model.safetensors')).toBe(false);
  });

  it('parses every real fixture by its format', () => {
    const hf = parseCardFile(load('huggingface/PlanTL-GOB-ES_roberta-base-bne-capitel-ner_README.md'), {});
    expect(hf.map((c) => [c.format, c.modelName])).toEqual([['huggingface', 'roberta-base-bne-capiter-ner']]);
    const mct = parseCardFile(load('model-card-toolkit/full.model_card.json'), { fallbackVersion: '3' });
    expect(mct.map((c) => [c.format, c.modelName, c.version])).toEqual([['model-card-toolkit', 'name', 'v1.0']]);
    const cdx = parseCardFile(load('cyclonedx/valid-machine-learning-1.6.json'), {});
    expect(cdx.map((c) => [c.format, c.modelName, c.version])).toEqual([['cyclonedx', 'stable-diffusion', '1.4']]);
    for (const card of [...hf, ...mct, ...cdx]) expect(cardCompleteness(card).ratio).toBeGreaterThan(0.5);
  });

  it('names a README card after its folder, or after a flattened Org_name_README.md', () => {
    const text = Buffer.from('Just prose, no title.\n');
    expect(parseCardFile({ path: '/cards/acme-churn/README.md', bytes: text }, {})[0]?.modelName).toBe('acme-churn');
    expect(parseCardFile({ path: '/cards/Acme_churn-v2_README.md', bytes: text }, {})[0]?.modelName).toBe('Acme_churn-v2');
  });

  it('rejects JSON that is no known card format, and other extensions', () => {
    const other = rejection({ path: '/x/config.json', bytes: Buffer.from('{"architectures": ["Bert"]}') });
    expect(other.location).toBe('$');
    expect(other.reason).toContain('CycloneDX');
    expect(other.reason).toContain('Model Card Toolkit');
    expect(rejection({ path: '/x/card.txt', bytes: Buffer.from('hello') }).location).toBe('file');
  });
});

describe('parseCardFile on broken files', () => {
  it('reports malformed YAML front matter at its real line in the README', () => {
    const file = load('broken/malformed-yaml_README.md');
    const err = rejection(file);
    expect(err.location).toBe(`line ${lineOf(file.bytes, 'model_description: BERT: fine-tuned')}`);
    expect(err.location).toBe('line 5');
    expect(err.reason).toMatch(/^invalid YAML front matter/);
  });

  it('names the field and its line for a wrong type (license: [1, 2])', () => {
    const file = load('broken/wrong-type-license_README.md');
    const err = rejection(file);
    expect(err.location).toBe(`line ${lineOf(file.bytes, 'license:')}`);
    expect(err.reason).toBe('license must be a string, got a list');
  });

  it('names the field for a metric value that is an object', () => {
    const file = load('broken/wrong-type-metric-value_README.md');
    const err = rejection(file);
    // The key line of the second metric's value, just above its nested mapping.
    expect(err.location).toBe(`line ${lineOf(file.bytes, 'macro: 0.9') - 1}`);
    expect(err.reason).toBe('model-index[0].results[0].metrics[1].value must be a number or a string, got an object');
  });

  it('reports a truncated JSON card with the line where it stops', () => {
    const file = load('broken/truncated.model_card.json');
    const err = rejection(file);
    // The line of the last thing written before the file stops (trailing blanks do not count).
    expect(err.location).toBe(`line ${file.bytes.toString('utf8').trimEnd().split('\n').length}`);
    expect(err.reason).toMatch(/^invalid JSON: /);
  });

  it('reports a JSON syntax error in the middle of a file at its line', () => {
    const err = rejection({ path: '/x/card.json', bytes: Buffer.from('{\n  "model_details": {\n    "name": "m",,\n  }\n}\n') });
    expect(err.location).toBe('line 3');
  });

  it('rejects a CycloneDX BOM older than 1.5', () => {
    const err = rejection(load('broken/cyclonedx-spec-1.2.json'));
    expect(err.location).toBe('$.specVersion');
    expect(err.reason).toContain('"1.2"');
  });

  it('rejects a file with NUL bytes as binary', () => {
    const err = rejection(load('broken/nul-bytes_README.md'));
    expect(err.location).toBe('file');
    expect(err.reason).toContain('binary');
  });

  it('rejects invalid UTF-8', () => {
    const err = rejection({ path: '/x/README.md', bytes: Buffer.from([0x23, 0x20, 0xc3, 0x28, 0x0a]) });
    expect(err).toMatchObject({ location: 'file', reason: 'the file is not valid UTF-8 text' });
  });

  describe('a 50 MB file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docket-cards-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is rejected quickly, before it is decoded as text', () => {
      const path = join(dir, 'huge_README.md');
      const fd = openSync(path, 'w');
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      for (let i = 0; i < 50; i++) writeSync(fd, chunk);
      closeSync(fd);
      const bytes = readFileSync(path);
      expect(bytes.length).toBeGreaterThan(MAX_CARD_BYTES);
      // A Buffer whose toString would throw proves the parser never decodes it.
      const guarded = Object.assign(bytes, {
        toString: () => {
          throw new Error('decoded a file over the size limit');
        },
      });
      const started = performance.now();
      const err = rejection({ path, bytes: guarded });
      expect(performance.now() - started).toBeLessThan(100);
      expect(err.location).toBe('file');
      expect(err.reason).toBe('file is 50.0 MB; model cards are limited to 20.0 MB');
    });
  });
});
