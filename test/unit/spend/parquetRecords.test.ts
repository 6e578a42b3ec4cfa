import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import {
  formatDecimal,
  formatInstant,
  isParquet,
  ParquetFileError,
  ParquetReadAbortedError,
  plainNumber,
  readParquetRecords,
  type ReadParquetOptions,
} from '../../../electron/core/spend/parquetRecords';
import { indexColumns, LINE_ITEM_COLUMNS, readLineItem } from '../../../electron/core/spend/focusRow';
import {
  DECIMAL_COLUMNS,
  DOUBLE_COLUMNS,
  focusParquetBuffer,
  MAP_COLUMNS,
  MICROS_COLUMNS,
  MILLIS_COLUMNS,
  readCsv,
  SAMPLE_CSV,
  SAMPLE_PARQUET,
} from '../../fixtures/focus/make-parquet.mjs';

const dir = mkdtempSync(join(tmpdir(), 'docket-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function tempFile(bytes: ArrayBuffer | Uint8Array | string): string {
  const path = join(dir, `f${fileCount++}.parquet`);
  writeFileSync(path, typeof bytes === 'string' ? bytes : new Uint8Array(bytes as ArrayBuffer));
  return path;
}

async function readAll(path: string, options?: ReadParquetOptions) {
  const records: { fields: string[]; line: number }[] = [];
  const summary = await readParquetRecords(path, (fields, line) => records.push({ fields, line }), options);
  return { records, summary };
}

async function rejection(path: string): Promise<ParquetFileError> {
  const err = await readAll(path).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ParquetFileError);
  return err as ParquetFileError;
}

const TAGS_JSON = LINE_ITEM_COLUMNS.indexOf('tags_json');
const [CSV_HEADER, ...CSV_ROWS] = readCsv(SAMPLE_CSV) as [string[], ...string[][]];

/** Decimal text without trailing zeros: '0.00000080000' -> '0.0000008', '2.000' -> '2'. */
function normDecimal(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * What the Parquet reader should give for a CSV field of the sample, per column type:
 * NULL and '' -> '' (both absent for focusSchema's nullable()); decimals compared without trailing
 * zeros (the Parquet text has exactly the column's scale); 'YYYY-MM-DD HH:MM:SS' -> ISO 'YYYY-MM-DDTHH:MM:SSZ';
 * Tags compared as parsed JSON (the MAP comes back as compact JSON text); everything else verbatim.
 */
function expectedField(column: string, csv: string, got: string): void {
  if (csv === 'NULL' || csv === '') return void expect(got, column).toBe('');
  if (DECIMAL_COLUMNS.includes(column) || DOUBLE_COLUMNS.includes(column)) {
    expect(got, column).not.toMatch(/e/i);
    return void expect(normDecimal(got), column).toBe(normDecimal(csv));
  }
  if (MILLIS_COLUMNS.includes(column) || MICROS_COLUMNS.includes(column)) return void expect(got, column).toBe(`${csv.replace(' ', 'T')}Z`);
  if (MAP_COLUMNS.includes(column)) return void expect(JSON.parse(got), column).toEqual(JSON.parse(csv));
  expect(got, column).toBe(csv);
}

describe('readParquetRecords on the FOCUS sample', () => {
  it('the committed fixture is what make-parquet.mjs generates from the sample CSV', () => {
    const fresh = new Uint8Array(focusParquetBuffer(SAMPLE_CSV, { rowGroupSize: 250 }));
    expect(Buffer.from(fresh).equals(readFileSync(SAMPLE_PARQUET))).toBe(true);
  });

  it('gives the header as line 1, then every row as line row + 1, with the CSV values', async () => {
    const { records, summary } = await readAll(SAMPLE_PARQUET);
    expect(summary).toMatchObject({ rows: 1000, rowGroups: 4, columns: CSV_HEADER });
    expect(records).toHaveLength(1001);
    expect(records[0]).toEqual({ fields: CSV_HEADER, line: 1 });
    for (const [i, row] of CSV_ROWS.entries()) {
      const { fields, line } = records[i + 1]!;
      expect(line).toBe(i + 2);
      expect(fields).toHaveLength(CSV_HEADER.length);
      CSV_HEADER.forEach((column, c) => expectedField(column, row[c]!, fields[c]!));
    }
    // spot checks of the exact text
    const col = (name: string) => CSV_HEADER.indexOf(name);
    expect(records[1]!.fields[col('BilledCost')]).toBe('0.00000080000'); // DECIMAL(38,11): all 11 places kept
    expect(records[1]!.fields[col('ListUnitPrice')]).toBe('0.0000004'); // DOUBLE 4e-7 written without exponent
    expect(records[1]!.fields[col('ChargePeriodStart')]).toBe('2024-09-18T22:00:00Z'); // TIMESTAMP(MICROS)
    expect(records[1]!.fields[col('BillingPeriodStart')]).toBe('2024-09-01T00:00:00Z'); // TIMESTAMP_MILLIS
    expect(records[1]!.fields[col('Tags')]).toBe(''); // NULL map
    expect(records[2]!.fields[col('Tags')]).toBe('{"application":"BrightLensMatrix","environment":"dev","business_unit":"ViennaAI"}');
    expect(records[1]!.fields[col('AvailabilityZone')]).toBe(''); // NULL string
    expect(records[1]!.fields[col('Id')]).toBe('11472'); // INT64
  });

  it('feeds the FOCUS row reader the same line items as the CSV does', async () => {
    const { records } = await readAll(SAMPLE_PARQUET);
    const columns = indexColumns(records[0]!.fields);
    const tagKeys = { team: 'team', model: 'ml:model' };
    for (const [i, row] of CSV_ROWS.entries()) {
      const fromCsv: (string | number | null)[] = [];
      const fromParquet: (string | number | null)[] = [];
      readLineItem(row, columns, tagKeys, 1, i + 2, fromCsv);
      readLineItem(records[i + 1]!.fields, columns, tagKeys, 1, records[i + 1]!.line, fromParquet);
      // tags_json holds the Tags text as given: compact JSON from the MAP, the sample's spacing from the CSV
      const [csvTags, parquetTags] = [fromCsv[TAGS_JSON], fromParquet[TAGS_JSON]];
      expect(parquetTags === null ? null : JSON.parse(parquetTags as string)).toEqual(csvTags === null ? null : JSON.parse(csvTags as string));
      fromCsv[TAGS_JSON] = fromParquet[TAGS_JSON] = null;
      expect(fromParquet).toEqual(fromCsv);
    }
  });

  it('reads a gzip-compressed file (node:zlib) like the Snappy one', async () => {
    const path = tempFile(focusParquetBuffer(SAMPLE_CSV, { rows: 50, codec: 'GZIP', compressors: { GZIP: (input) => gzipSync(input) } }));
    const { records } = await readAll(path);
    const { records: expected } = await readAll(tempFile(focusParquetBuffer(SAMPLE_CSV, { rows: 50 })));
    expect(records).toEqual(expected);
  });
});

describe('row groups, progress and cancelling', () => {
  const path = tempFile(focusParquetBuffer(SAMPLE_CSV, { rowGroupSize: 100 }));

  it('reads every row group in order with continuous line numbers and growing progress', async () => {
    const progress: [number, number][] = [];
    const { records, summary } = await readAll(path, { onProgress: (read, total) => progress.push([read, total]) });
    expect(summary.rowGroups).toBe(10);
    expect(records.map((r) => r.line)).toEqual(Array.from({ length: 1001 }, (_, i) => i + 1));
    const total = readFileSync(path).length;
    expect(progress.length).toBe(11); // after each group, then done
    for (const [i, [read, size]] of progress.entries()) {
      expect(size).toBe(total);
      expect(read).toBeLessThanOrEqual(total);
      if (i > 0) expect(read).toBeGreaterThan(progress[i - 1]![0]);
    }
    expect(progress.at(-1)).toEqual([total, total]);
  });

  it('stops between row groups when the signal aborts: the first group is delivered whole, nothing after', async () => {
    const controller = new AbortController();
    const records: number[] = [];
    const read = readParquetRecords(path, (_fields, line) => records.push(line), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(read).rejects.toBeInstanceOf(ParquetReadAbortedError);
    expect(records).toEqual(Array.from({ length: 101 }, (_, i) => i + 1)); // header + rows 1-100
  });

  it('reads nothing when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const records: number[] = [];
    await expect(readParquetRecords(path, (_f, line) => records.push(line), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(records).toEqual([]);
  });

  it('passes on what onRecord throws, unchanged', async () => {
    const boom = new Error('row 3 is bad');
    const read = readParquetRecords(path, (_f, line) => {
      if (line === 4) throw boom;
    });
    await expect(read).rejects.toBe(boom);
  });
});

describe('value conversions', () => {
  // One file with the types a FOCUS export may use, beyond the sample's.
  const nanos = 1_726_696_800_000_000_001n; // 2024-09-18T22:00:00.000000001Z
  const path = tempFile(
    parquetWriteBuffer({
      columnData: [
        { name: 'Cost', data: [12345n, 99999999999999999999999999999999999999n, -5n, 0n, null, 123456789012345678n] },
        { name: 'SmallCost', data: [12345n, -1n, 0n, 100n, null, 7n] }, // a bigint is the unscaled value
        { name: 'BytesCost', data: [1n, -123456789n, 10n ** 30n, 0n, null, 5n] },
        { name: 'Quantity', data: [1e-7, 1.5e21, -0.1, 2, null, 123.456] },
        { name: 'Count', data: [9223372036854775807n, -1n, 0n, 1n, null, 42n] },
        { name: 'Millis', data: [1726696800123n, 1726696800000n, -1n, 0n, null, 1726696800500n] },
        { name: 'Micros', data: [1726696800000001n, 1726696800000000n, 1726696800123456n, 0n, null, 1726696800100000n] },
        { name: 'Nanos', data: [nanos, 1726696800000000000n, 1n, 0n, null, 1726696800000001000n] },
        { name: 'Day', data: [19984, 0, -1, 1, null, 20000] },
        { name: 'Flag', data: [true, false, true, false, null, true] },
        { name: 'Tags', data: [{ team: 'ml', 'ml:model': 'fraud' }, {}, { a: null }, null, null, { 'x"y': 'é' }] },
        { name: 'TagsStruct', data: [{ team: 'ml', env: 'prod' }, { team: null, env: 'dev' }, null, { team: 'a', env: 'b' }, null, { team: 'c', env: 'd' }] },
        { name: 'TagsJson', data: [{ team: 'ml' }, null, [1, 2], { n: 1.5 }, null, 'text'] },
        { name: 'TagsText', data: ['{"team": "ml"}', '', 'NULL', null, null, '{}'] },
        { name: 'Raw', data: [new TextEncoder().encode('plain bytes'), null, new TextEncoder().encode('é'), new Uint8Array(0), null, new TextEncoder().encode('x')] },
      ],
      schema: [
        { name: 'root', num_children: 15 },
        { name: 'Cost', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, repetition_type: 'OPTIONAL', converted_type: 'DECIMAL', precision: 38, scale: 10, logical_type: { type: 'DECIMAL', precision: 38, scale: 10 } },
        { name: 'SmallCost', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'DECIMAL', precision: 9, scale: 2 },
        { name: 'BytesCost', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', logical_type: { type: 'DECIMAL', precision: 38, scale: 3 }, converted_type: 'DECIMAL', precision: 38, scale: 3 },
        { name: 'Quantity', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
        { name: 'Count', type: 'INT64', repetition_type: 'OPTIONAL' },
        { name: 'Millis', type: 'INT64', repetition_type: 'OPTIONAL', converted_type: 'TIMESTAMP_MILLIS' },
        { name: 'Micros', type: 'INT64', repetition_type: 'OPTIONAL', converted_type: 'TIMESTAMP_MICROS' },
        { name: 'Nanos', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' } },
        { name: 'Day', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'DATE' },
        { name: 'Flag', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
        { name: 'Tags', repetition_type: 'OPTIONAL', converted_type: 'MAP', num_children: 1 },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'value', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'TagsStruct', repetition_type: 'OPTIONAL', num_children: 2 },
        { name: 'team', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'env', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'TagsJson', type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type: 'OPTIONAL' },
        { name: 'TagsText', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'Raw', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
      ],
    }),
  );

  it('turns each Parquet type into the text a FOCUS CSV would hold', async () => {
    const { records } = await readAll(path);
    const header = records[0]!.fields;
    const column = (name: string) => records.slice(1).map((r) => r.fields[header.indexOf(name)]);
    // DECIMAL(38,10) in 16 bytes: exact, with the scale's places, never through a float
    expect(column('Cost')).toEqual(['0.0000012345', '9999999999999999999999999999.9999999999', '-0.0000000005', '0.0000000000', '', '12345678.9012345678']);
    expect(column('SmallCost')).toEqual(['123.45', '-0.01', '0.00', '1.00', '', '0.07']); // DECIMAL(9,2) in INT32
    expect(column('BytesCost')).toEqual(['0.001', '-123456.789', '1000000000000000000000000000.000', '0.000', '', '0.005']); // DECIMAL in a variable BYTE_ARRAY
    expect(column('Quantity')).toEqual(['0.0000001', '1500000000000000000000', '-0.1', '2', '', '123.456']); // DOUBLE, no exponent
    expect(column('Count')).toEqual(['9223372036854775807', '-1', '0', '1', '', '42']);
    // timestamps: UTC, 'Z', a fraction only when non-zero, to the unit's precision
    expect(column('Millis')).toEqual(['2024-09-18T22:00:00.123Z', '2024-09-18T22:00:00Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z', '', '2024-09-18T22:00:00.5Z']);
    expect(column('Micros')).toEqual(['2024-09-18T22:00:00.000001Z', '2024-09-18T22:00:00Z', '2024-09-18T22:00:00.123456Z', '1970-01-01T00:00:00Z', '', '2024-09-18T22:00:00.1Z']);
    expect(column('Nanos')).toEqual(['2024-09-18T22:00:00.000000001Z', '2024-09-18T22:00:00Z', '1970-01-01T00:00:00.000000001Z', '1970-01-01T00:00:00Z', '', '2024-09-18T22:00:00.000001Z']);
    expect(column('Day')).toEqual(['2024-09-18', '1970-01-01', '1969-12-31', '1970-01-02', '', '2024-10-04']);
    expect(column('Flag')).toEqual(['true', 'false', 'true', 'false', '', 'true']);
    // Tags in any of its shapes: a JSON object text, or '' when absent
    expect(column('Tags')).toEqual(['{"team":"ml","ml:model":"fraud"}', '{}', '{"a":null}', '', '', '{"x\\"y":"é"}']);
    expect(column('TagsStruct')).toEqual(['{"team":"ml","env":"prod"}', '{"team":null,"env":"dev"}', '', '{"team":"a","env":"b"}', '', '{"team":"c","env":"d"}']);
    expect(column('TagsJson')).toEqual(['{"team":"ml"}', '', '[1,2]', '{"n":1.5}', '', '"text"']); // the stored JSON text, as is
    expect(column('TagsText')).toEqual(['{"team": "ml"}', '', 'NULL', '', '', '{}']);
    expect(column('Raw')).toEqual(['plain bytes', '', 'é', '', '', 'x']); // unannotated BYTE_ARRAY read as UTF-8
  });

  it('formats decimals, doubles and instants exactly', () => {
    expect(formatDecimal(12345n, 10)).toBe('0.0000012345');
    expect(formatDecimal(-12345n, 2)).toBe('-123.45');
    expect(formatDecimal(5n, 0)).toBe('5');
    expect(formatDecimal(5n, -2)).toBe('500');
    expect(formatDecimal(10n ** 38n - 1n, 10)).toBe('9999999999999999999999999999.9999999999');
    expect(plainNumber(4e-7)).toBe('0.0000004');
    expect(plainNumber(-1.2345e-10)).toBe('-0.00000000012345');
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(1.5e300).length).toBe(301);
    expect(plainNumber(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(plainNumber(Number.NaN)).toBe('NaN'); // focusSchema's readDecimal then says it is not a number
    // INT96 timestamps reach the formatter as nanoseconds since 1970 (hyparquet decodes the Julian day)
    expect(formatInstant(1_726_696_800_000_000_000n)).toBe('2024-09-18T22:00:00Z');
    expect(formatInstant(-1n)).toBe('1969-12-31T23:59:59.999999999Z');
    expect(formatInstant(-86_400_000_000_000n)).toBe('1969-12-31T00:00:00Z');
    expect(formatInstant(10n ** 30n)).toMatch(/out of range/);
  });
});

describe('files that are not readable Parquet', () => {
  const sample = readFileSync(SAMPLE_PARQUET);

  it('tells a Parquet file by PAR1 at both ends', () => {
    expect(isParquet(SAMPLE_PARQUET)).toBe(true);
    expect(isParquet(SAMPLE_CSV)).toBe(false);
    expect(isParquet(tempFile(sample.subarray(0, sample.length / 2)))).toBe(false);
    expect(isParquet(tempFile('PAR1PAR1'))).toBe(false);
    expect(isParquet(tempFile(''))).toBe(false);
  });

  it('rejects a CSV file: not Parquet, and says it looks like text', async () => {
    const err = await rejection(SAMPLE_CSV);
    expect(err.problem).toEqual({ line: null, column: null, reason: expect.stringMatching(/^not a Parquet file: it does not start with the Parquet marker PAR1 \(it looks like text/) });
    const binary = await rejection(tempFile(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3])));
    expect(binary.reason).toBe('not a Parquet file: it does not start with the Parquet marker PAR1');
  });

  it('rejects an empty file', async () => {
    expect((await rejection(tempFile(''))).reason).toMatch(/the file is empty/);
  });

  it('rejects a truncated file (cut in half): it ends early, with no footer', async () => {
    const err = await rejection(tempFile(sample.subarray(0, Math.floor(sample.length / 2))));
    expect(err.line).toBeNull();
    expect(err.column).toBeNull();
    expect(err.reason).toMatch(/^the file ends early: .* truncated/);
    // so short that only the leading marker is left
    expect((await rejection(tempFile(sample.subarray(0, 6)))).reason).toMatch(/truncated/);
  });

  it('rejects a footer whose metadata length is impossible or whose metadata is garbage', async () => {
    const badLength = Buffer.from(sample);
    badLength.writeUInt32LE(0x7fffffff, badLength.length - 8);
    expect((await rejection(tempFile(badLength))).reason).toMatch(/^the Parquet footer is corrupt: it claims 2147483647 bytes of metadata/);

    const garbage = Buffer.from(sample);
    const metadataLength = garbage.readUInt32LE(garbage.length - 8);
    garbage.fill(0xff, garbage.length - 8 - metadataLength, garbage.length - 8);
    expect((await rejection(tempFile(garbage))).reason).toMatch(/^the Parquet footer/);
  });

  it('rejects a file whose data pages are damaged, naming the row group and column', async () => {
    const damaged = Buffer.from(sample);
    damaged.fill(0xff, 4, 64); // the first column chunk's page header
    const err = await rejection(tempFile(damaged));
    expect(err.reason).toMatch(/^row group 1 of 4 \(data rows 1-250\) is corrupt and cannot be decoded \(thrift /);
    expect(err.column).toBe(CSV_HEADER[0]);
    expect(err.message).toMatch(/^column AvailabilityZone: row group 1/);
  });

  it('rejects a codec it cannot decompress, naming it', async () => {
    const lz4 = focusParquetBuffer(SAMPLE_CSV, { rows: 20, codec: 'LZO', compressors: { LZO: (input) => input } });
    const err = await rejection(tempFile(lz4));
    expect(err.reason).toMatch(/^row group 1 of 1 \(data rows 1-20\) is compressed with LZO, which Docket cannot read \(it reads uncompressed, Snappy, gzip, Brotli/);
    expect(CSV_HEADER).toContain(err.column);
  });
});
