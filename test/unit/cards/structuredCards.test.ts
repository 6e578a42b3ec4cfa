import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseModelCardToolkit } from '../../../electron/core/cards/modelCardToolkit';
import { parseCycloneDx } from '../../../electron/core/cards/cyclonedx';
import { CardParseError } from '../../../electron/core/cards/cardError';
import { cardCompleteness } from '../../../shared/domain/completeness';
import { CanonicalCardSchema } from '../../../shared/domain/modelCard';

const readJson = (rel: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/model-cards/${rel}`, import.meta.url)), 'utf8'));

function rejection(fn: () => unknown): CardParseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CardParseError) return err;
    throw err;
  }
  throw new Error('expected a CardParseError');
}

describe('parseModelCardToolkit', () => {
  const full = readJson('model-card-toolkit/full.model_card.json');

  it('reads the toolkit full.json test card', () => {
    const card = parseModelCardToolkit(full, {});
    expect(CanonicalCardSchema.parse(card)).toEqual(card);
    expect(card.format).toBe('model-card-toolkit');
    expect(card.modelName).toBe('name');
    expect(card.version).toBe('v1.0');
    expect(card.license).toBe('Apache-2.0');
    expect(card.owners).toEqual([
      { name: 'name1', contact: 'contact1@email.com' },
      { name: 'name2', contact: 'contact2@email.com' },
    ]);
    expect(card.metrics).toEqual([{ type: 'accuracy', name: 'accuracy', value: 0.9, dataset: null, slice: 'overall' }]);
    expect(card.datasets).toEqual(['data name']);
    expect(card.summary).toBe('overview');
    expect(card.sections.details).toContain('documentation');
    expect(card.sections.intendedUse).toContain('use_cases');
    expect(card.sections.biasRisksLimitations).toContain('limitations2');
    expect(card.sections.biasRisksLimitations).toContain('mitigation strategy');
    expect(card.sections.trainingData).toContain('sensitive data: age');
    expect(card.sections.evaluation).toContain('accuracy [overall]: 0.9');
    expect(cardCompleteness(card)).toMatchObject({ missing: ['outOfScopeUse'], empty: [] });
  });

  it('uses the fallback version when the card has none, and marks empty lists as empty sections', () => {
    const card = parseModelCardToolkit({ model_details: { name: 'churn' }, considerations: { limitations: [] } }, { fallbackVersion: '7' });
    expect(card.version).toBe('7');
    expect(card.sections.biasRisksLimitations).toBe('');
    expect(card.sections.details).toBeNull();
    expect(cardCompleteness(card)).toMatchObject({ present: [], empty: ['biasRisksLimitations'] });
  });

  it('rejects a card without model_details.name', () => {
    const err = rejection(() => parseModelCardToolkit({ model_details: { overview: 'x' } }, {}));
    expect(err.location).toBe('$.model_details.name');
    expect(err.reason).toContain('must be a string');
  });

  it('reports wrong types with the exact JSON path', () => {
    const err = rejection(() => parseModelCardToolkit({ model_details: { name: 'm', owners: [{ name: 42 }] } }, {}));
    expect(err.location).toBe('$.model_details.owners[0].name');
    expect(err.reason).toBe('$.model_details.owners[0].name must be a string, got a number');
  });
});

describe('parseCycloneDx', () => {
  const bom = readJson('cyclonedx/valid-machine-learning-1.6.json') as Record<string, unknown>;

  it('turns the machine-learning-model component of the 1.6 example into one card', () => {
    const cards = parseCycloneDx(bom, { fallbackVersion: '9' });
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect(CanonicalCardSchema.parse(card)).toEqual(card);
    expect(card.format).toBe('cyclonedx');
    expect(card.modelName).toBe('stable-diffusion');
    expect(card.version).toBe('1.4');
    expect(card.license).toBeNull();
    expect(card.datasets).toEqual(['Training Data']);
    expect(card.metrics).toEqual([
      {
        type: 'The type of performance metric',
        name: 'The type of performance metric',
        value: 'The value of the performance metric',
        dataset: null,
        slice: 'The name of the slice this metric was computed on. By default, assume this metric is not sliced',
      },
    ]);
    expect(card.sections.details).toContain('latent text-to-image diffusion model');
    expect(card.sections.details).toContain('Approach: supervised');
    expect(card.sections.intendedUse).toContain('Text-to-image generation for creative applications');
    expect(card.sections.biasRisksLimitations).toContain('Limited performance on non-photographic styles');
    expect(card.sections.biasRisksLimitations).toContain('Expected harms to the identified groups');
    expect(card.sections.trainingData).toContain('Training Data');
    expect(card.sections.evaluation).toContain('The value of the performance metric');
    expect(cardCompleteness(card).missing).toEqual(['outOfScopeUse']);
  });

  it('finds nested ML components, skips other components, and reads licenses, owners and tags', () => {
    const nested = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      components: [
        { type: 'library', name: 'numpy', version: '1.26.0' },
        {
          type: 'application',
          name: 'scoring-service',
          components: [
            {
              type: 'machine-learning-model',
              name: 'fraud-gbm',
              licenses: [{ license: { id: 'Apache-2.0' } }],
              supplier: { name: 'Acme Risk', contact: [{ name: 'Ops', email: 'ops@acme.test' }] },
              authors: [{ name: 'Jane Doe', email: 'jane@acme.test' }],
              tags: ['fraud', 'tabular'],
              modelCard: { quantitativeAnalysis: { performanceMetrics: [{ type: 'auc', value: '0.93', slice: 'holdout-2024' }] } },
            },
          ],
        },
        { type: 'machine-learning-model', name: 'no-card-model' },
      ],
    };
    const cards = parseCycloneDx(nested, {});
    expect(cards.map((c) => c.modelName)).toEqual(['fraud-gbm']);
    const card = cards[0]!;
    expect(card.version).toBe('1');
    expect(card.license).toBe('Apache-2.0');
    expect(card.owners).toEqual([
      { name: 'Acme Risk', contact: 'ops@acme.test' },
      { name: 'Jane Doe', contact: 'jane@acme.test' },
    ]);
    expect(card.tags).toEqual(['fraud', 'tabular']);
    expect(card.metrics).toEqual([{ type: 'auc', name: 'auc', value: 0.93, dataset: null, slice: 'holdout-2024' }]);
    expect(card.sections.details).toBeNull();
  });

  it('rejects unsupported spec versions, BOMs without model cards and malformed model cards', () => {
    expect(rejection(() => parseCycloneDx({ ...bom, specVersion: '1.4' }, {})).location).toBe('$.specVersion');
    const none = rejection(() => parseCycloneDx({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ type: 'library', name: 'x' }] }, {}));
    expect(none.location).toBe('$.components');
    expect(none.reason).toBe('no machine-learning-model component with a modelCard');
    const bad = rejection(() =>
      parseCycloneDx({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ type: 'library', name: 'a' }, { type: 'library', name: 'b' }, { type: 'machine-learning-model', name: 'm', modelCard: 'oops' }] }, {}),
    );
    expect(bad.location).toBe('$.components[2].modelCard');
    expect(bad.reason).toContain('got a string');
  });
});
