import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseHuggingFaceCard } from '../../../electron/core/cards/huggingface';
import { CardParseError } from '../../../electron/core/cards/cardError';
import { cardCompleteness } from '../../../shared/domain/completeness';
import { CanonicalCardSchema } from '../../../shared/domain/modelCard';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/model-cards/huggingface/${name}`, import.meta.url)), 'utf8');

describe('parseHuggingFaceCard on real Hub cards', () => {
  it('reads opus-mt-tc-big-en-ko (model-index name, cc-by-4.0, BLEU/chrF on flores101)', () => {
    const card = parseHuggingFaceCard(fixture('Helsinki-NLP_opus-mt-tc-big-en-ko_README.md'), { folderName: 'Helsinki-NLP_opus-mt-tc-big-en-ko' });
    expect(CanonicalCardSchema.parse(card)).toEqual(card);
    expect(card.format).toBe('huggingface');
    expect(card.modelName).toBe('opus-mt-tc-big-en-ko');
    expect(card.version).toBe('1');
    expect(card.license).toBe('cc-by-4.0');
    expect(card.tags).toEqual(['translation', 'opus-mt-tc']);
    expect(card.metrics).toEqual([
      { type: 'bleu', name: 'BLEU', value: 13.7, dataset: 'flores101-devtest', split: null, task: 'translation' },
      { type: 'chrf', name: 'chr-F', value: 0.36399, dataset: 'flores101-devtest', split: null, task: 'translation' },
    ]);
    expect(card.summary).toBe('Neural machine translation model for translating from English (en) to Korean (ko).');
    expect(card.sections.details).toContain('OPUS-MT project');
    expect(card.sections.intendedUse).toBe('This model can be used for translation and text-to-text generation.');
    expect(card.sections.biasRisksLimitations).toContain('CONTENT WARNING');
    expect(card.sections.trainingData).toContain('opusTCv20210807');
    expect(card.sections.evaluation).toContain('benchmark results');
    expect(card.sections.outOfScopeUse).toBeNull();
    // "# expected output:" inside a python code block is not a heading.
    expect(card.sections.evaluation).not.toContain('expected output');
    expect(cardCompleteness(card)).toMatchObject({ missing: ['outOfScopeUse'], empty: [] });
  });

  it('reads DeBERTa-v3-base-mnli-fever-anli (verified metrics with dataset and split)', () => {
    const card = parseHuggingFaceCard(fixture('MoritzLaurer_DeBERTa-v3-base-mnli-fever-anli_README.md'), { folderName: 'x' });
    expect(card.modelName).toBe('MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli');
    expect(card.license).toBe('mit');
    expect(card.datasets).toEqual(['multi_nli', 'anli', 'fever']);
    expect(card.tags).toEqual(['text-classification', 'zero-shot-classification']);
    expect(card.metrics[0]).toEqual({
      type: 'accuracy',
      name: 'Accuracy',
      value: 0.495,
      dataset: 'anli',
      split: 'test_r3',
      task: 'natural-language-inference',
      verified: true,
    });
    const accuracy = card.metrics.filter((m) => m.type === 'accuracy');
    expect(accuracy.map((m) => m.split)).toContain('test_r1');
    expect(accuracy.find((m) => m.split === 'test_r1')?.value).toBe(0.712);
    expect(accuracy.some((m) => m.dataset === 'multi_nli')).toBe(true);
    expect(card.sections.details).toContain('MultiNLI, Fever-NLI');
    expect(card.sections.trainingData).toContain('763 913 NLI hypothesis-premise pairs');
    expect(card.sections.evaluation).toContain('mnli-m | mnli-mm');
    expect(card.sections.biasRisksLimitations).toContain('potential biases');
    // "#### NLI use-case" is a code example under "How to use", not an intended-use statement.
    expect(card.sections.intendedUse).toBeNull();
    expect(cardCompleteness(card).present).toEqual(['details', 'biasRisksLimitations', 'trainingData', 'evaluation']);
  });

  it('reads roberta-base-bne-capitel-ner (quoted tags, F1 on CAPITEL-NERC, loose headings)', () => {
    const card = parseHuggingFaceCard(fixture('PlanTL-GOB-ES_roberta-base-bne-capitel-ner_README.md'), { folderName: 'x', fallbackVersion: '2022.1' });
    expect(card.modelName).toBe('roberta-base-bne-capiter-ner');
    expect(card.version).toBe('2022.1');
    expect(card.license).toBe('apache-2.0');
    expect(card.tags).toEqual(['national library of spain', 'spanish', 'bne', 'capitel', 'ner']);
    expect(card.datasets).toEqual(['bne', 'capitel']);
    expect(card.metrics).toEqual([{ type: 'f1', name: 'F1', value: 0.896, dataset: 'CAPITEL-NERC', split: null, task: 'token-classification' }]);
    expect(card.sections.details).toContain('Named Entity Recognition');
    expect(card.sections.intendedUse).toContain('recognize Named Entities');
    expect(card.sections.biasRisksLimitations).toContain('no measures have been taken');
    expect(card.sections.trainingData).toContain('CAPITEL competition');
    // "## Evaluation" (with its sub-heading) and "## Evaluation results" both feed the section.
    expect(card.sections.evaluation).toContain('maximizing F1 score');
    expect(card.sections.evaluation).toContain('| roberta-base-bne-capitel-ner | 89.60|');
  });
});

describe('parseHuggingFaceCard on written cards', () => {
  const template = [
    '---',
    'license: other',
    'license_name: acme-research-license',
    'tags: fraud',
    'pipeline_tag: tabular-classification',
    'library_name: sklearn',
    'datasets: transactions-2024',
    '---',
    '',
    '# Fraud scorer',
    '',
    'Scores card transactions for fraud risk.',
    '',
    '## Model Details',
    '',
    '<!-- Provide a longer summary of what this model is. -->',
    '',
    '## Uses',
    '',
    '### Direct Use',
    '',
    '[More Information Needed]',
    '',
    '### Out-of-Scope Use',
    '',
    'Not for credit decisions.',
    '',
    '## Evaluation',
    '',
    '### Results',
    '',
    'AUC 0.93 on the 2024 holdout.',
    '',
    '## Model Card Authors',
    '',
    'Jane Doe (jane@example.com), Raj Patel',
    '',
    '## Model Card Contact',
    '',
    'ml-gov@example.com',
  ].join('\n');

  it('tells present, empty and missing sections apart', () => {
    const card = parseHuggingFaceCard(template, { folderName: 'fraud-folder' });
    expect(card.modelName).toBe('Fraud scorer');
    expect(card.license).toBe('acme-research-license');
    expect(card.tags).toEqual(['fraud', 'tabular-classification', 'sklearn']);
    expect(card.datasets).toEqual(['transactions-2024']);
    expect(card.sections.details).toBe('');
    expect(card.sections.intendedUse).toContain('Not for credit decisions.');
    expect(card.sections.outOfScopeUse).toBe('Not for credit decisions.');
    expect(card.sections.evaluation).toContain('AUC 0.93');
    expect(card.sections.biasRisksLimitations).toBeNull();
    expect(card.sections.trainingData).toBeNull();
    expect(card.summary).toBe('Scores card transactions for fraud risk.');
    expect(card.owners).toEqual([
      { name: 'Jane Doe', contact: 'jane@example.com' },
      { name: 'Raj Patel', contact: null },
      { name: 'ml-gov@example.com', contact: 'ml-gov@example.com' },
    ]);
    const completeness = cardCompleteness(card);
    expect(completeness.present).toEqual(['intendedUse', 'outOfScopeUse', 'evaluation']);
    expect(completeness.empty).toEqual(['details']);
    expect(completeness.missing).toEqual(['biasRisksLimitations', 'trainingData']);
    expect(completeness.ratio).toBe(0.5);
  });

  it('an empty "Uses" heading whose sub-sections only hold placeholders is empty, not missing', () => {
    const card = parseHuggingFaceCard('# m\n\n## Uses\n\n### Direct Use\n\n[More Information Needed]\n\n## Training Data\n\n<!-- todo -->\n', { folderName: 'f' });
    expect(card.sections.intendedUse).toBe('');
    expect(card.sections.trainingData).toBe('');
    expect(card.metrics).toEqual([]);
  });

  it('falls back to the folder name and accepts a README without front matter', () => {
    const card = parseHuggingFaceCard('Some text about a model.\n\n## Limitations and bias\n\nSmall data.\n', { folderName: 'acme-churn' });
    expect(card.modelName).toBe('acme-churn');
    expect(card.license).toBeNull();
    expect(card.summary).toBe('Some text about a model.');
    expect(card.sections.biasRisksLimitations).toBe('Small data.');
  });

  it('rejects front matter that is never closed', () => {
    expect(() => parseHuggingFaceCard('---\nlicense: mit\n# title\n', { folderName: 'f' })).toThrowError(CardParseError);
  });

  it('names the field and points at its line for a wrong type in model-index', () => {
    const text = ['---', 'model-index:', '- name: m', '  results:', '  - task: text-classification', '    dataset: {type: imdb, name: IMDB}', '    metrics: []', '---', ''].join('\n');
    try {
      parseHuggingFaceCard(text, { folderName: 'f' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CardParseError);
      expect((err as CardParseError).location).toBe('line 5');
      expect((err as CardParseError).reason).toContain('model-index[0].results[0].task');
    }
  });
});
