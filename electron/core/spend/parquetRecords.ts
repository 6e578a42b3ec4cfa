/**
 * Reads a FOCUS cost and usage file written as Apache Parquet (AWS Data Exports writes FOCUS 1.0 and
 * 1.2 this way) and hands it on as the same text records the CSV path produces, so one record handler
 * serves both formats: `onRecord(fields, line)` gets the column names first (line 1), then each row's
 * values as the strings a FOCUS CSV would hold.
 *
 * "line" for Parquet: the header is line 1 and data row N (1-based) is line N + 1, so the first row is
 * line 2, exactly as in a CSV without line breaks inside fields; a problem reported on "line 5" is in
 * the 4th data row.
 *
 * Memory is bounded by one row group: the file is read through a file handle at offsets (never whole),
 * row groups are decoded one at a time, and the AbortSignal is honoured between row groups.
 *
 * Values become text as follows (nullable() in focusSchema.ts reads '' as absent):
 * - null / absent -> ''
 * - strings (STRING, ENUM, JSON, unannotated BYTE_ARRAY as UTF-8) -> as stored
 * - DECIMAL(p, s) (INT32, INT64, FIXED_LEN_BYTE_ARRAY, BYTE_ARRAY) -> exact decimal text with s places,
 *   computed from the unscaled integer (never through a float): 0.0000012345, 12345678901234567890.1234567890
 * - INT32 / INT64 / unsigned -> integer text; FLOAT / DOUBLE -> the shortest round-trip decimal, written
 *   without an exponent (4e-7 -> 0.0000004)
 * - TIMESTAMP (MILLIS, MICROS, NANOS; legacy TIMESTAMP_MILLIS / _MICROS; INT96) -> UTC ISO 8601
 *   'YYYY-MM-DDTHH:mm:ssZ', with a fraction only when it is non-zero, to the unit's precision and
 *   without trailing zeros ('...:00.5Z'). Timestamps not marked adjusted-to-UTC are read as UTC.
 *   DATE -> 'YYYY-MM-DD'.
 * - BOOLEAN -> 'true' / 'false'
 * - MAP, struct, LIST and VARIANT values (Tags as MAP<string,string>, say) -> JSON text, keys in file order
 *   (a DECIMAL nested inside one of these is a JSON number through a double, as hyparquet decodes it)
 * - TIME columns -> their raw integer (FOCUS has none)
 *
 * Codecs: uncompressed and Snappy (hyparquet), gzip and Brotli (node:zlib), Zstandard when node:zlib has
 * it (Node 22.15+). LZ4 and LZO files are rejected with a reason naming the codec.
 */
import { open } from 'node:fs/promises';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import * as zlib from 'node:zlib';
import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, ColumnData, Compressors, FileMetaData, ParquetParsers, SchemaElement, SchemaTree } from 'hyparquet';

/** A file-level problem, shaped like the importers' row problems: line is always null. */
export interface ParquetFileProblem {
  line: null;
  column: string | null;
  reason: string;
}

/** The file is not Parquet, is truncated or corrupt, or uses a feature Docket cannot read. */
export class ParquetFileError extends Error {
  readonly line = null;
  constructor(
    readonly reason: string,
    readonly column: string | null = null,
  ) {
    super(column === null ? reason : `column ${column}: ${reason}`);
    this.name = 'ParquetFileError';
  }

  get problem(): ParquetFileProblem {
    return { line: null, column: this.column, reason: this.reason };
  }
}

/** Thrown when the signal aborts: between row groups, so every record of a group was delivered or none. */
export class ParquetReadAbortedError extends Error {
  constructor() {
    super('reading the Parquet file was cancelled');
    this.name = 'AbortError';
  }
}

export interface ReadParquetOptions {
  /** Checked before reading and between row groups. */
  signal?: AbortSignal;
  /** After each row group: bytes of the file read so far (through that group's data) and its size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface ParquetReadSummary {
  columns: string[];
  rows: number;
  rowGroups: number;
  totalBytes: number;
}

const MAGIC = 0x31524150; // "PAR1" little-endian
const MAGIC_ENCRYPTED = 0x45524150; // "PARE"

/** 'PAR1' at the start and at the end of the file (a file too short to hold both is not Parquet). */
export function isParquet(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(4);
    if (readSync(fd, head, 0, 4, 0) !== 4 || head.readUInt32LE(0) !== MAGIC) return false;
    const size = fstatSync(fd).size;
    if (size < 12) return false;
    return readSync(fd, tail, 0, 4, size - 4) === 4 && tail.readUInt32LE(0) === MAGIC;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether a file should be read as Parquet: it says so by name, or it starts with 'PAR1'. A damaged
 * file (e.g. cut short) still goes to the Parquet reader, which then says what is wrong with it.
 */
export function looksLikeParquet(path: string): boolean {
  if (/\.parquet$/i.test(path)) return true;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32LE(0) === MAGIC;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a FOCUS Parquet file row group by row group, calling `onRecord` with the header (line 1) and
 * then every row (line = data row + 1). Rejects with ParquetFileError for a file that is not Parquet,
 * is truncated or corrupt; with ParquetReadAbortedError when the signal aborts; with whatever
 * `onRecord` throws, unchanged.
 */
export async function readParquetRecords(
  path: string,
  onRecord: (fields: string[], line: number) => void,
  options: ReadParquetOptions = {},
): Promise<ParquetReadSummary> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw new ParquetReadAbortedError();
  const handle = await open(path, 'r');
  try {
    const totalBytes = (await handle.stat()).size;
    const file: AsyncBuffer = {
      byteLength: totalBytes,
      async slice(start: number, end: number = totalBytes): Promise<ArrayBuffer> {
        const to = Math.min(end, totalBytes);
        const length = Math.max(0, to - start);
        const buffer = new ArrayBuffer(length);
        const bytes = new Uint8Array(buffer);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(bytes, done, length - done, start + done);
          if (bytesRead === 0) throw new ParquetFileError('the file became shorter while it was being read');
          done += bytesRead;
        }
        return buffer;
      },
    };

    const metadata = await readMetadata(file);
    const schema = parquetSchema(metadata);
    const columns = schema.children.map((child) => child.element.name);
    const converters = schema.children.map(columnConverter);
    const readMetadataCopy = withRawDecimals(metadata, schema);
    onRecord([...columns], 1);

    let rowStart = 0;
    let bytesRead = 0;
    const groups = metadata.row_groups;
    for (const [index, group] of groups.entries()) {
      if (signal?.aborted) throw new ParquetReadAbortedError();
      const groupRows = Number(group.num_rows);
      const rowEnd = rowStart + groupRows;
      if (groupRows > 0) {
        const texts = await readGroup(file, readMetadataCopy, columns, converters, rowStart, rowEnd, index, groups.length);
        const fields = texts.length;
        for (let r = 0; r < groupRows; r++) {
          const record = new Array<string>(fields);
          for (let c = 0; c < fields; c++) record[c] = texts[c]![r] ?? '';
          onRecord(record, rowStart + r + 2);
        }
      }
      bytesRead = Math.max(bytesRead, groupEndOffset(group.columns, totalBytes));
      onProgress?.(bytesRead, totalBytes);
      rowStart = rowEnd;
    }
    onProgress?.(totalBytes, totalBytes);
    return { columns, rows: rowStart, rowGroups: groups.length, totalBytes };
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// Structure checks

async function readMetadata(file: AsyncBuffer): Promise<FileMetaData> {
  const size = file.byteLength;
  if (size === 0) throw new ParquetFileError('the file is empty: a Parquet file starts and ends with PAR1');
  const head = new DataView(await file.slice(0, Math.min(4, size)));
  if (size < 4 || head.getUint32(0, true) !== MAGIC) {
    throw new ParquetFileError(`not a Parquet file: it does not start with the Parquet marker PAR1${looksLikeText(head) ? ' (it looks like text: a CSV file should use the .csv importer)' : ''}`);
  }
  const tailStart = Math.max(0, size - 8);
  const tail = new DataView(await file.slice(tailStart, size));
  const endMagic = tail.byteLength >= 4 ? tail.getUint32(tail.byteLength - 4, true) : 0;
  if (size >= 12 && endMagic === MAGIC_ENCRYPTED) throw new ParquetFileError('the Parquet file is encrypted (footer marker PARE); Docket reads only unencrypted Parquet');
  if (size < 12 || endMagic !== MAGIC) {
    throw new ParquetFileError('the file ends early: it starts as Parquet but has no footer ending in PAR1, so it is truncated (an interrupted download or copy?)');
  }
  const metadataLength = tail.getUint32(tail.byteLength - 8, true);
  if (metadataLength + 12 > size) {
    throw new ParquetFileError(`the Parquet footer is corrupt: it claims ${metadataLength} bytes of metadata in a ${size}-byte file (truncated or damaged)`);
  }
  let metadata: FileMetaData;
  try {
    const footer = await file.slice(size - 8 - metadataLength, size);
    metadata = parquetMetadata(footer, { geoparquet: false });
  } catch (err) {
    if (err instanceof ParquetFileError) throw err;
    throw new ParquetFileError(`the Parquet footer (file metadata) is corrupt and cannot be decoded (${describe(err)})`);
  }
  checkLayout(metadata, size - 8 - metadataLength);
  return metadata;
}

/** Column chunks must lie between the leading PAR1 and the footer; the row counts must add up. */
function checkLayout(metadata: FileMetaData, dataEnd: number): void {
  let rows = 0n;
  for (const [g, group] of metadata.row_groups.entries()) {
    rows += BigInt(group.num_rows);
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      const column = meta?.path_in_schema.join('.') ?? null;
      if (chunk.file_path) throw new ParquetFileError('the data is in another file (a Parquet dataset\'s _metadata file); import the data files instead', column);
      if (!meta) throw new ParquetFileError(`the Parquet footer is corrupt: row group ${g + 1} has a column chunk without metadata`, column);
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      if (!(start >= 4 && end <= dataEnd)) {
        throw new ParquetFileError(`the Parquet footer is corrupt: row group ${g + 1} places this column at bytes ${start}-${end}, outside the data (which ends at byte ${dataEnd})`, column);
      }
    }
  }
  if (rows !== BigInt(metadata.num_rows)) {
    throw new ParquetFileError(`the Parquet footer is corrupt: it counts ${metadata.num_rows} rows but its row groups hold ${rows}`);
  }
}

function groupEndOffset(columns: FileMetaData['row_groups'][number]['columns'], totalBytes: number): number {
  let end = 0;
  for (const chunk of columns) {
    const meta = chunk.meta_data;
    if (!meta) continue;
    end = Math.max(end, Number(meta.dictionary_page_offset ?? meta.data_page_offset) + Number(meta.total_compressed_size));
  }
  return Math.min(end, totalBytes);
}

function looksLikeText(view: DataView): boolean {
  for (let i = 0; i < view.byteLength; i++) {
    const b = view.getUint8(i);
    if (b < 9 || (b > 13 && b < 32)) return false;
  }
  return view.byteLength > 0;
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^parquet /, '');
}

// ---------------------------------------------------------------------------------------------------
// Reading one row group

type Converter = (value: unknown) => string;

/** Node's zlib decompresses these codecs; hyparquet itself reads uncompressed and Snappy. */
function compressors(): Compressors {
  const result: Compressors = {
    GZIP: (input) => zlib.unzipSync(input),
    BROTLI: (input) => zlib.brotliDecompressSync(input),
  };
  const zstd = (zlib as unknown as { zstdDecompressSync?: (input: Uint8Array) => Uint8Array }).zstdDecompressSync;
  if (zstd) result.ZSTD = (input) => zstd(input);
  return result;
}

const COMPRESSORS = compressors();
const SUPPORTED_CODECS = ['uncompressed', 'Snappy', 'gzip', 'Brotli', ...(COMPRESSORS.ZSTD ? ['Zstandard'] : [])];

/** Decodes the rows [rowStart, rowEnd) of one row group into one text array per top-level column. */
async function readGroup(
  file: AsyncBuffer,
  metadata: FileMetaData,
  columns: string[],
  converters: Converter[],
  rowStart: number,
  rowEnd: number,
  groupIndex: number,
  groupCount: number,
): Promise<string[][]> {
  const rows = rowEnd - rowStart;
  const texts = columns.map(() => new Array<string>(rows).fill(''));
  const position = new Map(columns.map((name, i) => [name, i]));
  let failure: unknown = null;
  const onChunk = (chunk: ColumnData): void => {
    // hyparquet swallows errors thrown here: keep the first and rethrow it after the read.
    try {
      const c = position.get(chunk.columnName);
      if (c === undefined) return;
      const out = texts[c]!;
      const convert = converters[c]!;
      const data = chunk.columnData;
      for (let i = 0; i < data.length; i++) {
        const r = chunk.rowStart + i - rowStart;
        if (r >= 0 && r < rows) out[r] = convert(data[i]);
      }
    } catch (err) {
      failure ??= err;
    }
  };
  try {
    await parquetRead({ file, metadata, rowStart, rowEnd, onChunk, utf8: false, parsers: PARSERS, compressors: COMPRESSORS });
  } catch (err) {
    if (err instanceof ParquetFileError) throw err;
    throw await explainGroupFailure(file, metadata, columns, rowStart, rowEnd, groupIndex, groupCount, err);
  }
  if (failure !== null) throw failure;
  return texts;
}

/** Finds the first column whose chunk cannot be decoded, to name it in the error. */
async function explainGroupFailure(
  file: AsyncBuffer,
  metadata: FileMetaData,
  columns: string[],
  rowStart: number,
  rowEnd: number,
  groupIndex: number,
  groupCount: number,
  err: unknown,
): Promise<ParquetFileError> {
  const where = `row group ${groupIndex + 1} of ${groupCount} (data rows ${rowStart + 1}-${rowEnd})`;
  const codec = /unsupported compression codec: (\w+)/.exec(describe(err));
  let column: string | null = null;
  let cause = err;
  for (const name of columns) {
    try {
      await parquetRead({ file, metadata, rowStart, rowEnd, columns: [name], utf8: false, parsers: PARSERS, compressors: COMPRESSORS, onChunk: () => {} });
    } catch (columnErr) {
      column = name;
      cause = columnErr;
      break;
    }
  }
  if (codec) return new ParquetFileError(`${where} is compressed with ${codec[1]}, which Docket cannot read (it reads ${SUPPORTED_CODECS.join(', ')})`, column);
  return new ParquetFileError(`${where} is corrupt and cannot be decoded (${describe(cause)})`, column);
}

/**
 * A copy of the metadata in which top-level DECIMAL columns lose their annotation, so hyparquet hands
 * over the unscaled integers (it would otherwise divide them into floats) and the converter scales them
 * exactly. The physical layout is unchanged.
 */
function withRawDecimals(metadata: FileMetaData, schema: SchemaTree): FileMetaData {
  const flatDecimals = new Set(schema.children.filter((c) => c.children.length === 0 && decimalScale(c.element) !== null).map((c) => c.element));
  if (flatDecimals.size === 0) return metadata;
  return { ...metadata, schema: metadata.schema.map((e) => (flatDecimals.has(e) ? { ...e, converted_type: undefined, logical_type: undefined } : e)) };
}

function decimalScale(element: SchemaElement): number | null {
  if (element.logical_type?.type === 'DECIMAL') return element.logical_type.scale ?? element.scale ?? 0;
  if (element.converted_type === 'DECIMAL') return element.scale ?? 0;
  return null;
}

function columnConverter(column: SchemaTree): Converter {
  const scale = column.children.length === 0 ? decimalScale(column.element) : null;
  if (scale !== null) return (value) => (value === null || value === undefined ? '' : formatDecimal(unscaled(value), scale));
  return toText;
}

// ---------------------------------------------------------------------------------------------------
// Values to text

/** A point in time from a Parquet timestamp, kept to the nanosecond (a Date would drop micro- and nanoseconds). */
class ParquetInstant {
  constructor(readonly nanos: bigint) {}
  toJSON(): string {
    return formatInstant(this.nanos);
  }
}

class ParquetDate {
  constructor(readonly days: number) {}
  toJSON(): string {
    return formatDate(this.days);
  }
}

const utf8 = new TextDecoder('utf-8');

const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (millis) => new ParquetInstant(BigInt(millis) * 1_000_000n),
  timestampFromMicroseconds: (micros) => new ParquetInstant(BigInt(micros) * 1_000n),
  timestampFromNanoseconds: (nanos) => new ParquetInstant(BigInt(nanos)),
  dateFromDays: (days) => new ParquetDate(days),
  // JSON columns are passed on as the text stored (Tags as JSON text stays byte for byte).
  jsonFromBytes: (bytes) => bytes && utf8.decode(bytes),
};

/** One value as FOCUS text: see the module comment. */
export function toText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'undefined':
      return '';
    case 'number':
      return plainNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return '';
      if (value instanceof ParquetInstant) return formatInstant(value.nanos);
      if (value instanceof ParquetDate) return formatDate(value.days);
      if (value instanceof Uint8Array) return utf8.decode(value);
      if (value instanceof Date) return formatInstant(BigInt(value.getTime()) * 1_000_000n);
      return toJson(value);
    default:
      return String(value);
  }
}

/** JSON text of a nested value (MAP, struct, LIST, VARIANT), with Parquet leaves written as in toText. */
function toJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? plainNumber(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value instanceof ParquetInstant || value instanceof ParquetDate || value instanceof Date || value instanceof Uint8Array) return JSON.stringify(toText(value));
      if (value instanceof Map) return `{${[...value].map(([k, v]) => `${JSON.stringify(String(k))}:${toJson(v)}`).join(',')}}`;
      if (Array.isArray(value) || ArrayBuffer.isView(value)) return `[${Array.from(value as ArrayLike<unknown>, toJson).join(',')}]`;
      return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
    }
    default:
      return 'null';
  }
}

/** A DECIMAL's unscaled value: INT32 (number), INT64 (bigint) or big-endian two's complement bytes. */
function unscaled(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (value instanceof Uint8Array) {
    let n = 0n;
    for (const byte of value) n = (n << 8n) | BigInt(byte);
    if (value.length > 0 && value[0]! >= 0x80) n -= 1n << BigInt(value.length * 8);
    return n;
  }
  throw new ParquetFileError(`a DECIMAL value has an unexpected form (${typeof value})`);
}

/** unscaled x 10^-scale as plain decimal text with exactly `scale` places. */
export function formatDecimal(unscaledValue: bigint, scale: number): string {
  const negative = unscaledValue < 0n;
  const digits = (negative ? -unscaledValue : unscaledValue).toString();
  let text: string;
  if (scale <= 0) text = digits === '0' ? '0' : digits + '0'.repeat(-scale);
  else {
    const padded = digits.padStart(scale + 1, '0');
    text = `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  }
  return negative ? `-${text}` : text;
}

/** The shortest round-trip decimal of a double, without an exponent: 4e-7 -> '0.0000004', 1e21 -> '1000000000000000000000'. */
export function plainNumber(n: number): string {
  const text = String(n);
  if (!Number.isFinite(n)) return text;
  const e = text.indexOf('e');
  if (e < 0) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const point = mantissa.indexOf('.');
  const digits = point < 0 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
  const intLength = (point < 0 ? mantissa.length : point) + exponent;
  let plain: string;
  if (intLength <= 0) plain = `0.${'0'.repeat(-intLength)}${digits}`;
  else if (intLength >= digits.length) plain = digits + '0'.repeat(intLength - digits.length);
  else plain = `${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
  return negative ? `-${plain}` : plain;
}

/** Nanoseconds since 1970 (UTC) -> 'YYYY-MM-DDTHH:mm:ss[.fraction]Z'. */
export function formatInstant(nanos: bigint): string {
  let seconds = nanos / 1_000_000_000n;
  let fraction = nanos % 1_000_000_000n;
  if (fraction < 0n) {
    fraction += 1_000_000_000n;
    seconds -= 1n;
  }
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return `${nanos}ns since 1970 (out of range)`;
  const whole = date.toISOString().slice(0, -5); // drop '.000Z'
  if (fraction === 0n) return `${whole}Z`;
  return `${whole}.${fraction.toString().padStart(9, '0').replace(/0+$/, '')}Z`;
}

function formatDate(days: number): string {
  const date = new Date(days * 86_400_000);
  return Number.isNaN(date.getTime()) ? `${days} days since 1970 (out of range)` : date.toISOString().slice(0, 10);
}
