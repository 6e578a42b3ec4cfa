// `npm run bench`: import 5,000 model cards, then open the Models view over 5,000 models in Chromium.
// Targets (issue 2): import >= 1,000 cards/s; first render of the list < 1 s.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importCards } from '../../electron/core/cards/importCards';
import { openStore } from '../../electron/core/store/openStore';
import { systemClock } from '../../electron/core/store/clock';
import { startHarness } from '../support/harness';

const CARD_COUNT = Number(process.env.BENCH_CARDS ?? 5000);
const TEAMS = ['fraud', 'credit-risk', 'claims', 'marketing', 'platform'];

function huggingFaceCard(i: number): string {
  return `---
license: apache-2.0
tags: [team:${TEAMS[i % TEAMS.length]}, bench]
model-index:
- name: bench-model-${i}
  results:
  - task: {type: text-classification}
    dataset: {type: bench-holdout, name: bench-holdout-${i % 50}}
    metrics:
    - {type: accuracy, value: ${(0.8 + (i % 100) / 1000).toFixed(3)}}
    - {type: f1, value: ${(0.7 + (i % 90) / 1000).toFixed(3)}}
---
# bench-model-${i}

## Model Details
Model number ${i}, generated for the benchmark. ${'Some descriptive text. '.repeat(20)}

## Uses
Scoring of bench traffic.

### Out-of-Scope Use
Anything else.

## Bias, Risks, and Limitations
${i % 3 === 0 ? '' : 'Known gaps on small segments. '.repeat(10)}

## Training Details
### Training Data
bench-train-${i % 50}

## Evaluation
See metrics.

## Model Card Authors
Owner ${i % 37}
`;
}

function modelCardToolkit(i: number): string {
  return JSON.stringify({
    model_details: { name: `bench-model-${i}`, overview: `Model ${i}. ${'Details. '.repeat(30)}`, version: { name: String((i % 4) + 1) }, owners: [{ name: `Owner ${i % 37}`, contact: `o${i % 37}@bench.example` }], licenses: [{ identifier: 'MIT' }] },
    considerations: { use_cases: [{ description: 'bench' }], limitations: [{ description: 'bench limits' }] },
    quantitative_analysis: { performance_metrics: [{ type: 'auc', value: String(0.8 + (i % 100) / 1000) }] },
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'docket-bench-'));
  const cardsDir = join(dir, 'cards');
  try {
    for (let i = 0; i < CARD_COUNT; i++) {
      const folder = join(cardsDir, String(Math.floor(i / 100)), `m${i}`);
      mkdirSync(folder, { recursive: true });
      if (i % 2 === 0) writeFileSync(join(folder, 'README.md'), huggingFaceCard(i));
      else writeFileSync(join(folder, 'card.model_card.json'), modelCardToolkit(i));
    }
    const dbPath = join(dir, 'bench.db');
    const store = openStore(dbPath);
    const t0 = performance.now();
    const result = importCards(store, [cardsDir], { actor: 'bench', clock: systemClock });
    const importSeconds = (performance.now() - t0) / 1000;
    store.close();
    if (result.rejected.length > 0) throw new Error(`bench cards rejected: ${JSON.stringify(result.rejected.slice(0, 3))}`);
    const rate = result.imported / importSeconds;
    console.log(`import: ${result.imported} cards in ${importSeconds.toFixed(2)} s = ${Math.round(rate)} cards/s (target >= 1000) ${rate >= 1000 ? 'PASS' : 'FAIL'}`);

    const harness = await startHarness({ dbPath });
    try {
      // Warm the browser on the app's origin with a view that does not list models, so the runs
      // below time the Models view (IPC + render), not Chromium starting a renderer process.
      await harness.page.goto(`${harness.origin}/index.html#/settings`);
      await harness.page.getByTestId('settings-view').waitFor();
      const timings: number[] = [];
      for (let run = 0; run < 5; run++) {
        await harness.page.goto('about:blank');
        const start = performance.now();
        await harness.page.goto(`${harness.origin}/index.html#/models`);
        await harness.page.getByTestId('model-row').first().waitFor();
        timings.push(performance.now() - start);
      }
      const rows = await harness.page.getByTestId('model-row').count();
      const sorted = [...timings].sort((x, y) => x - y);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      console.log(
        `models view: ${CARD_COUNT} models, page load to first row visible: ${timings.map((t) => t.toFixed(0)).join(' / ')} ms ` +
          `(median ${median.toFixed(0)}, worst ${sorted.at(-1)!.toFixed(0)}; ${rows} rows in the DOM, virtualized) (target median < 1000 ms) ${median < 1000 ? 'PASS' : 'FAIL'}`,
      );
    } finally {
      await harness.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
