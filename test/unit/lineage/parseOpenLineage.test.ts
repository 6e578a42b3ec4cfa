import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputFileError } from '../../../electron/core/inputFileError';
import { MAX_OPENLINEAGE_BYTES, parseOpenLineageFile, type OpenLineageRunEvent } from '../../../electron/core/lineage/parseOpenLineage';
import { generateOpenLineageNdjson } from '../../bench/lineageEvents';

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const fixture = (name: string) => ({ path: name, bytes: readFileSync(here(`../../fixtures/openlineage/${name}`)) });
const parseText = (text: string, path = 'events.ndjson') => parseOpenLineageFile({ path, bytes: Buffer.from(text, 'utf8') });

/** The InputFileError a parse throws, as [location, reason]. */
function rejection(run: () => unknown): [string, string] {
  try {
    run();
  } catch (err) {
    if (err instanceof InputFileError) return [err.location, err.reason];
    throw err;
  }
  throw new Error('expected an InputFileError, but the file was accepted');
}

const RUN_ID = '0190d9a2-4c1e-7a3b-9f00-1a2b3c4d5e6f';
const base = () => ({
  eventTime: '2024-05-01T10:00:00.000Z',
  eventType: 'START',
  producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.22.0/integration/mlflow',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: RUN_ID, facets: {} },
  job: { namespace: 'ml-training', name: 'train_credit-risk', facets: {} },
  inputs: [{ namespace: 's3://ml-data', name: 'features/credit-risk/train' }],
  outputs: [],
});
/** The base event with one field changed (undefined deletes it), as one JSON object file. */
function withField(mutate: (e: Record<string, unknown>) => void): string {
  const e: Record<string, unknown> = base();
  mutate(e);
  return JSON.stringify(e);
}

describe('real OpenLineage events', () => {
  it("reads the spec's example_full_event.json, keeping facets raw and ignoring the stray dataset field", () => {
    const events = parseOpenLineageFile(fixture('example_full_event.json'));
    expect(events).toEqual<OpenLineageRunEvent[]>([
      {
        eventTime: '2023-07-17T10:54:22.355067Z',
        eventType: 'COMPLETE',
        producer: 'https://github.com/OpenLineage/OpenLineage/tree/0.30.0/integration/airflow',
        schemaURL: 'https://openlineage.io/spec/1-0-5/OpenLineage.json#/definitions/RunEvent',
        run: { runId: 'f69a6e9b-9bac-3c9a-9cf6-eacb70ecc9a9', facets: {} },
        job: {
          namespace: 'food_delivery',
          name: 'dbt',
          facets: { sql: { query: 'SELECT 1', _producer: 'http://123', _schemaURL: 'http://123' } },
        },
        inputs: [],
        outputs: [],
        location: '$',
      },
    ]);
  });

  it("reads the Python client's serde example, whose eventTime has no offset", () => {
    const [event] = parseOpenLineageFile(fixture('serde_example_run_event.json'));
    expect(event).toMatchObject({
      eventTime: '2021-11-03T10:53:52.427343',
      eventType: 'START',
      producer: 'https://github.com/OpenLineage/OpenLineage/tree/0.0.1/client/python',
      run: { runId: '69f4acab-b87d-4fc0-b27b-8ea950370ff3' },
      job: { namespace: 'openlineage', name: 'name', facets: {} },
      inputs: [],
      outputs: [],
      location: '$',
    });
    expect(event!.run.facets).toEqual({
      nominalTime: {
        _producer: 'https://github.com/OpenLineage/OpenLineage/tree/0.0.1/client/python',
        _schemaURL: 'https://raw.githubusercontent.com/OpenLineage/OpenLineage/main/spec/OpenLineage.json#/definitions/NominalTimeRunFacet',
        nominalEndTime: '2020-01-02',
        nominalStartTime: '2020-01-01',
      },
    });
  });

  it('reads the real events as a JSON array and as NDJSON alike', () => {
    const raw = ['example_full_event.json', 'serde_example_run_event.json'].map((f) => JSON.parse(fixture(f).bytes.toString('utf8')) as unknown);
    const asArray = parseText(JSON.stringify(raw, null, 2), 'events.json');
    const asNdjson = parseText(raw.map((r) => JSON.stringify(r)).join('\n'));
    expect(asArray.map((e) => e.location)).toEqual(['$[0]', '$[1]']);
    expect(asNdjson.map((e) => e.location)).toEqual(['line 1', 'line 2']);
    const strip = (events: OpenLineageRunEvent[]) => events.map(({ location: _location, ...rest }) => rest);
    expect(strip(asArray)).toEqual(strip(asNdjson));
    expect(asArray.map((e) => e.run.runId)).toEqual(['f69a6e9b-9bac-3c9a-9cf6-eacb70ecc9a9', '69f4acab-b87d-4fc0-b27b-8ea950370ff3']);
  });
});

describe('accepted shapes', () => {
  it('keeps datasets with their facets, input facets and output facets raw, unknown facets included', () => {
    const unknownFacet = { _producer: 'https://example.org/p', _schemaURL: 'https://example.org/s', nested: { list: [1, 'two', null] } };
    const text = withField((e) => {
      e.inputs = [
        {
          namespace: 's3://ml-data',
          name: 'holdout/credit-risk',
          facets: { acmeCustom: unknownFacet },
          inputFacets: { dataQualityMetrics: { _producer: 'p', _schemaURL: 's', rowCount: 12 } },
        },
        { namespace: 'mlflow', name: 'models:/credit-risk/3' },
      ];
      e.outputs = [{ namespace: 's3://ml-data', name: 'evaluations/credit-risk/3', facets: null, outputFacets: { outputStatistics: { rowCount: 12 } } }];
      e.run = { runId: RUN_ID, facets: { parent: { run: { runId: RUN_ID }, job: { namespace: 'airflow', name: 'dag' } }, x_vendor: 42 } };
    });
    const [event] = parseText(text, 'one.json');
    expect(event!.inputs).toEqual([
      {
        namespace: 's3://ml-data',
        name: 'holdout/credit-risk',
        facets: { acmeCustom: unknownFacet },
        inputFacets: { dataQualityMetrics: { _producer: 'p', _schemaURL: 's', rowCount: 12 } },
      },
      { namespace: 'mlflow', name: 'models:/credit-risk/3', facets: {} },
    ]);
    expect(event!.outputs).toEqual([{ namespace: 's3://ml-data', name: 'evaluations/credit-risk/3', facets: {}, outputFacets: { outputStatistics: { rowCount: 12 } } }]);
    expect(event!.run.facets).toEqual({ parent: { run: { runId: RUN_ID }, job: { namespace: 'airflow', name: 'dag' } }, x_vendor: 42 });
  });

  it('reads NDJSON with blank lines, CRLF line ends and a BOM, numbering lines as an editor does', () => {
    const line = (runId: string) => withField((e) => ((e.run as { runId: string }).runId = runId));
    const text = `\uFEFF${line(RUN_ID)}\r\n\r\n   \r\n${line('5F0C2D61-8D7E-4B0A-A6C4-2E9F7B1D3C80')}\r\n\r\n`;
    const events = parseText(text);
    expect(events.map((e) => [e.location, e.run.runId])).toEqual([
      ['line 1', RUN_ID],
      ['line 4', '5f0c2d61-8d7e-4b0a-a6c4-2e9f7b1d3c80'], // UUIDs are case-insensitive: lower case, so events of a run match
    ]);
    expect(rejection(() => parseText(`${line(RUN_ID)}\r\n\r\n${withField((e) => (e.eventType = 'DONE'))}\r\n`))).toEqual([
      'line 3',
      'eventType "DONE" is not one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER',
    ]);
  });

  it('accepts date-times with Z, an offset, fractions of any length or no offset; keeps them as given', () => {
    for (const t of ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.123456789+02:00', '2024-02-29T23:59:59-05:30', '2024-05-01T10:00Z', '2021-11-03T10:53:52.427343']) {
      expect(parseText(withField((e) => (e.eventTime = t)), 'one.json')[0]!.eventTime).toBe(t);
    }
  });

  it('treats a missing or null eventType as OTHER and ignores unknown top-level fields', () => {
    expect(parseText(withField((e) => delete e.eventType), 'one.json')[0]!.eventType).toBe('OTHER');
    expect(parseText(withField((e) => (e.eventType = null)), 'one.json')[0]!.eventType).toBe('OTHER');
    expect(parseText(withField((e) => (e.x_extra = { a: 1 })), 'one.json')).toHaveLength(1);
  });

  it('defaults missing inputs, outputs and facets to empty', () => {
    const [event] = parseText(
      withField((e) => {
        delete e.inputs;
        e.outputs = null;
        e.run = { runId: RUN_ID };
        e.job = { namespace: 'ns', name: 'job' };
      }),
      'one.json',
    );
    expect(event).toMatchObject({ inputs: [], outputs: [], run: { facets: {} }, job: { facets: {} } });
  });
});

describe('broken files: the first problem rejects the file, with where and why', () => {
  it('a missing runId in NDJSON names the line and the field', () => {
    expect(rejection(() => parseOpenLineageFile(fixture('broken/missing-runid.ndjson')))).toEqual(['line 3', 'run.runId is required']);
  });

  it('a missing runId in the 3rd element of a JSON array names its JSON path', () => {
    expect(rejection(() => parseOpenLineageFile(fixture('broken/array-third-missing-runid.json')))).toEqual(['$[2].run.runId', 'run.runId is required']);
  });

  it('an impossible eventTime is named', () => {
    expect(rejection(() => parseOpenLineageFile(fixture('broken/bad-eventtime.json')))).toEqual([
      '$.eventTime',
      'eventTime "2024-13-45T10:00:00Z" is not an ISO 8601 date-time (e.g. 2024-05-01T12:00:00.000Z or 2024-05-01T14:00:00+02:00)',
    ]);
  });

  it('an unknown eventType is named with the allowed ones', () => {
    expect(rejection(() => parseOpenLineageFile(fixture('broken/unknown-eventtype.json')))).toEqual([
      '$.eventType',
      'eventType "FINISHED" is not one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER',
    ]);
  });

  it('a truncated last NDJSON line is a JSON syntax error on that line', () => {
    expect(rejection(() => parseOpenLineageFile(fixture('broken/truncated.ndjson')))).toEqual(['line 3', 'invalid JSON: Unterminated string']);
  });

  it('rejects bad times', () => {
    const bad = ['yesterday', '2024-13-45', '2024-05-01', '2023-02-29T10:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T10:00:00+25:00', '2024-05-01 10:00:00Z', ''];
    for (const t of bad) {
      expect(rejection(() => parseText(withField((e) => (e.eventTime = t)), 'one.json'))).toEqual([
        '$.eventTime',
        `eventTime ${JSON.stringify(t)} is not an ISO 8601 date-time (e.g. 2024-05-01T12:00:00.000Z or 2024-05-01T14:00:00+02:00)`,
      ]);
    }
    expect(rejection(() => parseText(withField((e) => (e.eventTime = 1714557600000)), 'one.json'))[1]).toMatch(/^eventTime 1714557600000 is not/);
    expect(rejection(() => parseText(withField((e) => delete e.eventTime), 'one.json'))).toEqual(['$.eventTime', 'eventTime is required']);
  });

  it('rejects a runId that is not a UUID, and missing or empty required fields', () => {
    const cases: [(e: Record<string, unknown>) => void, string, string][] = [
      [(e) => (e.run = { runId: 'run-42' }), '$.run.runId', 'run.runId must be a UUID, got "run-42"'],
      [(e) => (e.run = { runId: 42 }), '$.run.runId', 'run.runId must be a UUID, got 42'],
      [(e) => (e.run = 'abc'), '$.run', 'run must be an object with a runId, got "abc"'],
      [(e) => delete e.producer, '$.producer', 'producer is required'],
      [(e) => (e.schemaURL = ' '), '$.schemaURL', 'schemaURL must not be empty'],
      [(e) => (e.eventType = 7), '$.eventType', 'eventType 7 is not one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER'],
      [(e) => (e.job = { namespace: 'ns' }), '$.job.name', 'job.name is required'],
      [(e) => (e.job = { namespace: '', name: 'x' }), '$.job.namespace', 'job.namespace must not be empty'],
      [(e) => (e.job = null), '$.job', 'job is required'],
      [(e) => (e.job = { namespace: 'ns', name: 'x', facets: [] }), '$.job.facets', 'job.facets must be an object of facets, got a list'],
      [(e) => (e.inputs = {}), '$.inputs', 'inputs must be a list of datasets, got an object'],
      [(e) => (e.outputs = [{ namespace: 'mlflow', name: 'm' }, 'x']), '$.outputs[1]', 'outputs[1] must be a dataset object with a namespace and a name, got "x"'],
      [(e) => (e.inputs = [{ namespace: 'mlflow' }]), '$.inputs[0].name', 'inputs[0].name is required'],
      [(e) => (e.inputs = [{ namespace: 'a', name: 'b', inputFacets: 'q' }]), '$.inputs[0].inputFacets', 'inputs[0].inputFacets must be an object of facets, got "q"'],
    ];
    for (const [mutate, location, reason] of cases) {
      expect(rejection(() => parseText(withField(mutate), 'one.json'))).toEqual([location, reason]);
    }
    // In NDJSON the location is the line; the reason carries the path.
    expect(rejection(() => parseText(`${withField(() => {})}\n${withField((e) => (e.inputs = [{ namespace: 'mlflow' }]))}`))).toEqual([
      'line 2',
      'inputs[0].name is required',
    ]);
  });

  it('refuses DatasetEvents and JobEvents', () => {
    const { run: _run, ...jobEvent } = base();
    const datasetEvent = { eventTime: base().eventTime, producer: 'p', schemaURL: 's', dataset: { namespace: 'ns', name: 'd' } };
    expect(rejection(() => parseText(JSON.stringify(jobEvent), 'one.json'))).toEqual([
      '$',
      'not a RunEvent: this is a JobEvent (it has "job" and no "run"); DatasetEvents and JobEvents are not imported',
    ]);
    expect(rejection(() => parseText(JSON.stringify([base(), datasetEvent]), 'events.json'))).toEqual([
      '$[1]',
      'not a RunEvent: this is a DatasetEvent (it has "dataset" and no "run"); DatasetEvents and JobEvents are not imported',
    ]);
    expect(rejection(() => parseText('{"eventTime": "2024-05-01T10:00:00Z"}', 'one.json'))).toEqual(['$.run', 'run is required']);
  });

  it('rejects empty files, empty lists, non-objects, syntax errors in one document, binary and oversized files', () => {
    expect(rejection(() => parseText(' \n\n'))).toEqual(['file', 'the file holds no OpenLineage events']);
    expect(rejection(() => parseText('[]', 'events.json'))).toEqual(['file', 'the file holds no OpenLineage events']);
    expect(rejection(() => parseText('[1]', 'events.json'))).toEqual(['$[0]', 'an OpenLineage event must be a JSON object, got 1']);
    expect(rejection(() => parseText('"hello"', 'one.json'))).toEqual(['$', 'an OpenLineage event must be a JSON object, got "hello"']);
    expect(rejection(() => parseText('[\n  {"a": 1},\n  {"a": 2\n]', 'events.json'))[0]).toBe('line 4');
    // A pretty-printed object with a syntax error is one broken document, not NDJSON.
    const pretty = JSON.stringify(base(), null, 2).replace('"job": {', '"job": {,');
    const [where, why] = rejection(() => parseText(pretty, 'one.json'));
    expect(where).toBe(`line ${pretty.split('\n').findIndex((l) => l.includes('"job": {,')) + 1}`);
    expect(why).toMatch(/^invalid JSON: /);
    expect(rejection(() => parseOpenLineageFile({ path: 'x.ndjson', bytes: Buffer.from([0x7b, 0x00, 0x7d]) }))[0]).toBe('file');
    const huge = { length: MAX_OPENLINEAGE_BYTES + 1 } as unknown as Buffer;
    expect(rejection(() => parseOpenLineageFile({ path: 'x.ndjson', bytes: huge }))).toEqual([
      'file',
      'file is 200.0 MB; OpenLineage event files are limited to 200.0 MB',
    ]);
  });

  it('random mutations of valid NDJSON never throw anything but InputFileError', () => {
    const valid = generateOpenLineageNdjson(6, { models: 2 });
    const mutation = fc.record({
      at: fc.nat({ max: valid.length }),
      cut: fc.nat({ max: 40 }),
      insert: fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '\u0000', '"', '{', '}', '[', ']', ',', ':', 'null', 'NaN', '-1', '"x"', '{}', '[]', '\uFEFF', 'é', '\\'),
      ),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (mutations, asArray) => {
        let text = asArray ? `[${valid.trimEnd().split('\n').join(',\n')}]` : valid;
        for (const m of mutations) {
          const at = Math.min(m.at, text.length);
          text = text.slice(0, at) + m.insert + text.slice(at + m.cut);
        }
        try {
          const events = parseText(text);
          for (const e of events) {
            expect(typeof e.run.runId).toBe('string');
            expect(e.job.name.trim()).not.toBe('');
          }
        } catch (err) {
          if (!(err instanceof InputFileError)) throw err;
          expect(err.location).toMatch(/^(file|line \d+|\$.*)$/);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('benchmark event generator', () => {
  it('generates exactly the asked number of valid, deterministic ML pipeline events', () => {
    const text = generateOpenLineageNdjson(400, { models: 5 });
    expect(text).toBe(generateOpenLineageNdjson(400, { models: 5 }));
    expect(generateOpenLineageNdjson(0)).toBe('');
    const events = parseText(text);
    expect(events).toHaveLength(400);
    const jobs = new Set(events.map((e) => e.job.name.split('_')[0]));
    expect(jobs).toEqual(new Set(['train', 'evaluate', 'deploy']));
    const trainOut = events.find((e) => e.job.name.startsWith('train_') && e.eventType === 'COMPLETE')!;
    expect(trainOut.outputs[0]).toMatchObject({ namespace: 'mlflow', name: expect.stringMatching(/^models:\/[\w-]+\/\d+$/) as unknown });
    const evaluation = events.find((e) => e.job.name.startsWith('evaluate_') && e.eventType === 'COMPLETE')!;
    expect(evaluation.inputs.map((d) => d.namespace)).toEqual(['s3://ml-data', 'mlflow']);
    expect(evaluation.inputs[0]!.name).toMatch(/^holdout\//);
    expect(new Set(events.filter((e) => e.outputs.some((d) => d.namespace === 'mlflow')).map((e) => e.job.name.replace(/^train_/, ''))).size).toBe(5);
  });
});
