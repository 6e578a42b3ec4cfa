import { csvFieldText, csvFieldTexts, FIELD_ESCAPED } from './csvReader';
import { CHARGE_CATEGORIES, detectFocusVersion, FocusValueError, missingMandatoryColumns, nullable, readDecimal, readTags, readTimestamp, type FocusVersion } from './focusSchema';
import { indexColumns, LINE_ITEM_COLUMNS, readLineItem, tagValue, type FocusColumnIndex, type TagKeys } from './focusRow';
import type { DailyGroup } from './dailyRollup';
import { flatCopy, LineItemBatchBuilder, type CurrencyTotal, LITERAL_CODE, NULL_CODE, NUMBERS_PER_ROW, TEXTS_PER_ROW, type LineItemBatch } from './lineItemBatch';

export interface FocusRowProblem {
  /** 1-based line of the CSV (1 is the header); null when the whole file is at fault. */
  line: number | null;
  column: string | null;
  reason: string;
}

/** Thrown to stop reading a file: the file is rejected with these problems. */
export class FileRejected extends Error {
  constructor(readonly problems: FocusRowProblem[]) {
    super('file rejected');
  }
}

/** A file read without a fault that rejects it (rows may still have been skipped). */
export interface FocusRecordsSummary {
  focusVersion: FocusVersion;
  rows: number;
  skipped: FocusRowProblem[];
  /** The daily rollup of the rows, and their per-currency totals. */
  daily: DailyGroup[];
  totals: CurrencyTotal[];
}

/** A rejected file reports at most this many problems; reading stops there. */
const MAX_PROBLEMS = 100;

/**
 * What a FOCUS file's records become, whatever their source (CSV here; Parquet can feed the same
 * calls): the header first, then each row's fields as strings with its 1-based line or row number.
 * Checks each row and collects its line-item values into batches (the inserter that writes them also
 * sums them into the daily rollup and the totals).
 */
export class FocusRecords {
  private columns: FocusColumnIndex | null = null;
  private headerLength = 0;
  private focusVersion: FocusVersion = '1.0';
  private rows = 0;
  private readonly problems: FocusRowProblem[] = [];
  private readonly skipped: FocusRowProblem[] = [];
  private readonly values: (string | number | null)[] = [];
  private readonly batch = new LineItemBatchBuilder();
  /** Reads the rows of a CSV given as field places (null until the header is read, or when it cannot). */
  private fast: FastLineItems | null = null;

  constructor(
    private readonly tagKeys: TagKeys,
    private readonly skipBadRows: boolean,
  ) {}

  /** Rows read and good so far. */
  get rowCount(): number {
    return this.rows;
  }

  record(fields: string[], line: number): void {
    if (this.columns === null) {
      this.header(fields, line);
      return;
    }
    const values = this.values;
    values.length = 0;
    let problem: FocusRowProblem | null = null;
    if (fields.length !== this.headerLength) {
      problem = { line, column: null, reason: `has ${fields.length} fields; the header has ${this.headerLength}` };
    } else {
      try {
        readLineItem(fields, this.columns, this.tagKeys, 0, line, values);
      } catch (err) {
        if (!(err instanceof FocusValueError)) throw err;
        problem = { line, column: err.column, reason: err.reason };
      }
    }
    if (problem) {
      if (this.skipBadRows) {
        this.skipped.push(problem);
        return;
      }
      this.problems.push(problem);
      if (this.problems.length >= MAX_PROBLEMS) throw new FileRejected(this.problems);
      return;
    }
    this.rows++;
    // Once a row is bad the file will be rejected: keep checking rows, stop collecting them.
    if (this.problems.length > 0) return;
    this.batch.add(values);
  }

  /**
   * A CSV record given as the places of its fields (see CsvReader): a row that FastLineItems reads
   * is added as it is; any other record (the header, a row of the wrong width, a row with a problem,
   * a file already known to be bad) is made into strings and goes through record(), which reports
   * exactly what is wrong with it.
   */
  recordRanges(text: string, bounds: Int32Array, count: number, line: number): void {
    const fast = this.fast;
    if (fast !== null && count === this.headerLength && this.problems.length === 0 && fast.read(text, bounds, line, this.batch)) {
      this.rows++;
      return;
    }
    this.record(csvFieldTexts(text, bounds, count), line);
  }

  /** The good rows collected since the last call (none once the file is known to be bad). */
  takeBatch(): LineItemBatch | null {
    return this.batch.rows === 0 ? null : this.batch.take();
  }

  /** The input is complete: the file's summary, or FileRejected. */
  finish(): FocusRecordsSummary {
    if (this.columns === null) throw new FileRejected([{ line: 1, column: null, reason: 'the file is empty: a FOCUS file starts with a header line' }]);
    if (this.problems.length > 0) throw new FileRejected(this.problems);
    if (this.rows === 0 && this.skipped.length === 0) throw new FileRejected([{ line: 2, column: null, reason: 'the file has a header but no rows' }]);
    return { focusVersion: this.focusVersion, rows: this.rows, skipped: this.skipped, ...this.batch.summary.result() };
  }

  /** Problems found so far, to report with a syntax error that ends reading. */
  problemsSoFar(): FocusRowProblem[] {
    return [...this.problems];
  }

  private header(fields: string[], line: number): void {
    const header = fields.map((name, i) => (i === 0 && name.charCodeAt(0) === 0xfeff ? name.slice(1) : name));
    const present = new Set(header);
    const version = detectFocusVersion(present);
    const missing = missingMandatoryColumns(present, version);
    if (missing.length > 0) throw new FileRejected(missing.map((column) => ({ line, column, reason: `missing mandatory column ${column} (FOCUS ${version})` })));
    this.focusVersion = version;
    this.columns = indexColumns(header);
    this.headerLength = header.length;
    this.fast = FastLineItems.forColumns(this.columns, this.tagKeys);
  }
}

// ---------------------------------------------------------------------------------------------------
// The fast path of a CSV row. Bills repeat the same few values millions of times, and every check
// Docket makes of a value depends on that value alone (besides two comparisons of timestamps). So a
// value's raw text, as it sits in the CSV, is looked up in a per-column cache of the raw texts seen
// before, holding the outcome of checking it (its dictionary code, or the timestamp it reads as):
// no string is made and nothing is checked twice. Numbers with up to 15 digits are read from their
// characters (exactly as Number() reads them). Whatever it cannot vouch for (a value failing a check,
// a cache that is full, an unusual number), it hands back, and the row goes through readLineItem.

/** Index of a column among the text (or the numeric) columns of LINE_ITEM_COLUMNS, as batches order them. */
function slotOf(column: (typeof LINE_ITEM_COLUMNS)[number]): { text: number; number: number; column: number } {
  const numeric = new Set(['line', 'billed_cost', 'effective_cost', 'list_cost', 'contracted_cost', 'consumed_quantity']);
  let text = 0;
  let number = 0;
  for (const c of LINE_ITEM_COLUMNS) {
    if (c === column) return { text: numeric.has(c) ? -1 : text, number: numeric.has(c) ? number : -1, column: LINE_ITEM_COLUMNS.indexOf(c) };
    if (c === 'file_id') continue;
    if (numeric.has(c)) number++;
    else text++;
  }
  throw new Error(`no line-item column ${column}`);
}

const CACHE_SLOTS = 1 << 16;
const CACHE_MAX_ENTRIES = 1 << 15;
const CACHE_MAX_CHARS = 1 << 21;
/** Exact powers of ten: an integer below 2^53 divided by one is the double nearest the decimal. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Raw field texts seen in one column (escaped or not), with what checking each gave. */
class RawCache {
  private readonly slots = new Int32Array(CACHE_SLOTS);
  private readonly hashes: number[] = [];
  private readonly raws: string[] = [];
  private readonly escaped: boolean[] = [];
  private chars = 0;
  /** Per entry: the dictionary code of its value (or NULL_CODE), and up to two more codes. */
  readonly code: number[] = [];
  readonly code2: number[] = [];
  readonly code3: number[] = [];
  /** Per entry of a timestamp cache: the timestamp as stored. */
  readonly stamp: string[] = [];

  /** The entry of text[start, end) (escaped: its field had doubled quotes), or -1. */
  find(text: string, start: number, end: number, escaped: boolean, hash: number): number {
    const slots = this.slots;
    const length = end - start;
    for (let slot = hash & (CACHE_SLOTS - 1); ; slot = (slot + 1) & (CACHE_SLOTS - 1)) {
      const entry = slots[slot]! - 1;
      if (entry < 0) return -1;
      if (this.hashes[entry] === hash && this.raws[entry]!.length === length && this.escaped[entry] === escaped && text.startsWith(this.raws[entry]!, start)) return entry;
    }
  }

  /** Adds text[start, end) (not there yet); -1 when the cache is full. */
  add(text: string, start: number, end: number, escaped: boolean, hash: number): number {
    if (this.raws.length >= CACHE_MAX_ENTRIES || this.chars + (end - start) > CACHE_MAX_CHARS) return -1;
    const entry = this.raws.length;
    this.raws.push(flatCopy(text.slice(start, end)));
    this.hashes.push(hash);
    this.escaped.push(escaped);
    this.code.push(NULL_CODE);
    this.code2.push(NULL_CODE);
    this.code3.push(NULL_CODE);
    this.stamp.push('');
    this.chars += end - start;
    let slot = hash & (CACHE_SLOTS - 1);
    while (this.slots[slot] !== 0) slot = (slot + 1) & (CACHE_SLOTS - 1);
    this.slots[slot] = entry + 1;
    return entry;
  }
}

function hashOf(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}

/** A number read from text[start, end): digits with an optional sign and point, at most 15 digits; NaN for anything else. */
function quickDecimal(text: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === 45) {
    negative = true;
    i++;
  } else if (first === 43) {
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  let point = false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (point) decimals++;
    } else if (c === 46 && !point) {
      point = true;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || digits > 15) return Number.NaN;
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  return negative ? -value : value;
}

/** NULL as FOCUS writes it: an empty field or the literal NULL. */
function isNullAt(text: string, start: number, end: number): boolean {
  return start === end || (end - start === 4 && text.startsWith('NULL', start));
}

/** A text column: where it is in the file, where its code goes, and the check of a value (undefined: refused). */
interface TextColumn {
  field: number;
  slot: number;
  column: number;
  accept: (value: string | undefined) => string | null | undefined;
  cache: RawCache;
}

const requiredText = (value: string | undefined) => nullable(value) ?? undefined;
const optionalText = (value: string | undefined) => nullable(value);
const CURRENCY = /^[A-Z]{3}$/;

const S = {
  line: slotOf('line').number,
  billed: slotOf('billed_cost').number,
  effective: slotOf('effective_cost').number,
  list: slotOf('list_cost').number,
  contracted: slotOf('contracted_cost').number,
  consumed: slotOf('consumed_quantity').number,
  start: slotOf('charge_period_start'),
  end: slotOf('charge_period_end'),
  tags: slotOf('tags_json'),
  extensions: slotOf('provider_columns_json'),
  team: slotOf('tag_team'),
  model: slotOf('tag_model'),
};

class FastLineItems {
  private readonly codes = new Int32Array(TEXTS_PER_ROW);
  private readonly numbers = new Float64Array(NUMBERS_PER_ROW);
  private readonly literals: (string | null)[] = new Array<string | null>(TEXTS_PER_ROW).fill(null);
  private readonly stamps = new RawCache();
  private readonly tagCache = new RawCache();
  private readonly extensionCache = new RawCache();

  private constructor(
    private readonly c: FocusColumnIndex,
    private readonly tagKeys: TagKeys,
    private readonly texts: TextColumn[],
  ) {}

  /** The fast reader for a header, or null when its rows are better read one by one (absent columns it requires, repeated extension names). */
  static forColumns(c: FocusColumnIndex, tagKeys: TagKeys): FastLineItems | null {
    const currency = (value: string | undefined) => {
      const v = nullable(value);
      return v !== null && CURRENCY.test(v) ? v : undefined;
    };
    const category = (value: string | undefined) => {
      const v = nullable(value);
      return v !== null && CHARGE_CATEGORIES.has(v) ? v : undefined;
    };
    const chargeClass = (value: string | undefined) => {
      const v = nullable(value);
      return v === null || v === 'Correction' ? v : undefined;
    };
    const spec = (field: number, column: (typeof LINE_ITEM_COLUMNS)[number], accept: TextColumn['accept']): TextColumn => {
      const at = slotOf(column);
      return { field, slot: at.text, column: at.column, accept, cache: new RawCache() };
    };
    const texts = [
      spec(c.provider, 'provider', requiredText),
      spec(c.billingAccountId, 'billing_account_id', requiredText),
      spec(c.subAccountId, 'sub_account_id', optionalText),
      spec(c.serviceName, 'service_name', requiredText),
      spec(c.serviceCategory, 'service_category', requiredText),
      spec(c.region, 'region', optionalText),
      spec(c.resourceId, 'resource_id', optionalText),
      spec(c.resourceName, 'resource_name', optionalText),
      spec(c.chargeCategory, 'charge_category', category),
      spec(c.chargeClass, 'charge_class', chargeClass),
      spec(c.billingCurrency, 'billing_currency', currency),
    ];
    // A column the file lacks: NULL in every row, or (a required one) a problem in every row.
    if (texts.some((t) => t.field < 0 && t.accept(undefined) === undefined)) return null;
    if ([c.chargePeriodStart, c.chargePeriodEnd, c.billingPeriodStart, c.billingPeriodEnd, c.billedCost, c.effectiveCost, c.listCost].some((i) => i < 0)) return null;
    if (new Set(c.extensions.map((x) => x.name)).size !== c.extensions.length) return null;
    return new FastLineItems(c, tagKeys, texts);
  }

  /** Adds the row to the batch if every value of it is known good; false (nothing added) otherwise. */
  read(text: string, bounds: Int32Array, line: number, batch: LineItemBatchBuilder): boolean {
    const c = this.c;
    const numbers = this.numbers;
    const codes = this.codes;
    numbers[S.line] = line;
    // Numbers (PricingQuantity is only checked).
    if (!this.decimal(text, bounds, c.billedCost, true, S.billed)) return false;
    if (!this.decimal(text, bounds, c.effectiveCost, true, S.effective)) return false;
    if (!this.decimal(text, bounds, c.listCost, true, S.list)) return false;
    if (!this.decimal(text, bounds, c.contractedCost, false, S.contracted)) return false;
    if (!this.decimal(text, bounds, c.consumedQuantity, false, S.consumed)) return false;
    if (!this.decimal(text, bounds, c.pricingQuantity, false, -1)) return false;
    // Timestamps, and the order of each pair.
    const start = this.stamp(text, bounds, c.chargePeriodStart, batch);
    if (start < 0) return false;
    const end = this.stamp(text, bounds, c.chargePeriodEnd, batch);
    if (end < 0) return false;
    const stamps = this.stamps;
    if (stamps.stamp[end]! < stamps.stamp[start]!) return false;
    const billingStart = this.stamp(text, bounds, c.billingPeriodStart, batch);
    if (billingStart < 0) return false;
    const billingEnd = this.stamp(text, bounds, c.billingPeriodEnd, batch);
    if (billingEnd < 0) return false;
    if (stamps.stamp[billingEnd]! < stamps.stamp[billingStart]!) return false;
    codes[S.start.text] = stamps.code[start]!;
    codes[S.end.text] = stamps.code[end]!;
    // Text columns.
    const texts = this.texts;
    for (let t = 0; t < texts.length; t++) if (!this.text(text, bounds, texts[t]!, batch)) return false;
    if (!this.tags(text, bounds, batch)) return false;
    if (!this.extensions(text, bounds, batch)) return false;
    batch.addCoded(codes, numbers, this.literals);
    return true;
  }

  private decimal(text: string, bounds: Int32Array, field: number, required: boolean, slot: number): boolean {
    let value: number | null;
    if (field < 0) {
      value = null;
    } else {
      const start = bounds[3 * field]!;
      const end = bounds[3 * field + 1]!;
      value = bounds[3 * field + 2] === FIELD_ESCAPED ? Number.NaN : isNullAt(text, start, end) ? null : quickDecimal(text, start, end);
      if (value !== null && Number.isNaN(value)) {
        try {
          value = readDecimal('', csvFieldText(text, bounds, field), false);
        } catch (err) {
          if (err instanceof FocusValueError) return false;
          throw err;
        }
      }
    }
    if (value === null) {
      if (required) return false;
      if (slot >= 0) this.numbers[slot] = Number.NaN;
      return true;
    }
    if (slot >= 0) this.numbers[slot] = value;
    return true;
  }

  /** The stamps entry of a timestamp field, or -1 when it is not a good one (or cannot be cached). */
  private stamp(text: string, bounds: Int32Array, field: number, batch: LineItemBatchBuilder): number {
    const start = bounds[3 * field]!;
    const end = bounds[3 * field + 1]!;
    const escaped = bounds[3 * field + 2] === FIELD_ESCAPED;
    const hash = hashOf(text, start, end);
    const known = this.stamps.find(text, start, end, escaped, hash);
    if (known >= 0) return known;
    let stamp: string;
    try {
      stamp = readTimestamp('', csvFieldText(text, bounds, field));
    } catch (err) {
      if (err instanceof FocusValueError) return -1;
      throw err;
    }
    const code = batch.codeOrLiteral(stamp, S.start.column);
    if (code === LITERAL_CODE) return -1;
    const entry = this.stamps.add(text, start, end, escaped, hash);
    if (entry < 0) return -1;
    this.stamps.code[entry] = code;
    this.stamps.stamp[entry] = stamp;
    return entry;
  }

  private text(text: string, bounds: Int32Array, column: TextColumn, batch: LineItemBatchBuilder): boolean {
    const slot = column.slot;
    if (column.field < 0) {
      this.codes[slot] = NULL_CODE;
      return true;
    }
    const field = column.field;
    const start = bounds[3 * field]!;
    const end = bounds[3 * field + 1]!;
    const escaped = bounds[3 * field + 2] === FIELD_ESCAPED;
    const hash = hashOf(text, start, end);
    const cache = column.cache;
    const known = cache.find(text, start, end, escaped, hash);
    if (known >= 0) {
      this.codes[slot] = cache.code[known]!;
      return true;
    }
    const value = column.accept(csvFieldText(text, bounds, field));
    if (value === undefined) return false;
    const code = value === null ? NULL_CODE : batch.codeOrLiteral(value, column.column);
    this.codes[slot] = code;
    if (code === LITERAL_CODE) {
      this.literals[slot] = value;
      return true;
    }
    const entry = cache.add(text, start, end, escaped, hash);
    if (entry >= 0) cache.code[entry] = code;
    return true;
  }

  /** Tags: the JSON as stored, and the values of the team and model keys. */
  private tags(text: string, bounds: Int32Array, batch: LineItemBatchBuilder): boolean {
    const codes = this.codes;
    const field = this.c.tags;
    if (field < 0) {
      codes[S.tags.text] = NULL_CODE;
      codes[S.team.text] = NULL_CODE;
      codes[S.model.text] = NULL_CODE;
      return true;
    }
    const start = bounds[3 * field]!;
    const end = bounds[3 * field + 1]!;
    const escaped = bounds[3 * field + 2] === FIELD_ESCAPED;
    const hash = hashOf(text, start, end);
    const cache = this.tagCache;
    const known = cache.find(text, start, end, escaped, hash);
    if (known >= 0) {
      codes[S.tags.text] = cache.code[known]!;
      codes[S.team.text] = cache.code2[known]!;
      codes[S.model.text] = cache.code3[known]!;
      return true;
    }
    const tagsText = nullable(csvFieldText(text, bounds, field));
    let tags: Record<string, unknown> | null;
    try {
      tags = readTags(tagsText ?? undefined);
    } catch (err) {
      if (err instanceof FocusValueError) return false;
      throw err;
    }
    const json = tags === null ? null : tagsText;
    const team = tagValue(tags, this.tagKeys.team);
    const model = tagValue(tags, this.tagKeys.model);
    const jsonCode = json === null ? NULL_CODE : batch.codeOrLiteral(json, S.tags.column);
    const teamCode = team === null ? NULL_CODE : batch.codeOrLiteral(team, S.team.column);
    const modelCode = model === null ? NULL_CODE : batch.codeOrLiteral(model, S.model.column);
    codes[S.tags.text] = jsonCode;
    codes[S.team.text] = teamCode;
    codes[S.model.text] = modelCode;
    if (jsonCode === LITERAL_CODE) {
      this.literals[S.tags.text] = json;
      return true;
    }
    const entry = cache.add(text, start, end, escaped, hash);
    if (entry >= 0) {
      cache.code[entry] = jsonCode;
      cache.code2[entry] = teamCode;
      cache.code3[entry] = modelCode;
    }
    return true;
  }

  /** Provider extension columns (x_...), as a JSON object of those not NULL. */
  private extensions(text: string, bounds: Int32Array, batch: LineItemBatchBuilder): boolean {
    const slot = S.extensions.text;
    const extensions = this.c.extensions;
    if (extensions.length === 0) {
      this.codes[slot] = NULL_CODE;
      return true;
    }
    let start = 0;
    let end = 0;
    let escaped = false;
    let hash = 0;
    const one = extensions.length === 1;
    if (one) {
      const field = extensions[0]!.index;
      start = bounds[3 * field]!;
      end = bounds[3 * field + 1]!;
      escaped = bounds[3 * field + 2] === FIELD_ESCAPED;
      hash = hashOf(text, start, end);
      const known = this.extensionCache.find(text, start, end, escaped, hash);
      if (known >= 0) {
        this.codes[slot] = this.extensionCache.code[known]!;
        return true;
      }
    }
    const kept: Record<string, string> = {};
    let any = false;
    for (const x of extensions) {
      const v = nullable(csvFieldText(text, bounds, x.index));
      if (v !== null) {
        kept[x.name] = v;
        any = true;
      }
    }
    const json = any ? JSON.stringify(kept) : null;
    const code = json === null ? NULL_CODE : batch.codeOrLiteral(json, S.extensions.column);
    this.codes[slot] = code;
    if (code === LITERAL_CODE) {
      this.literals[slot] = json;
      return true;
    }
    if (one) {
      const entry = this.extensionCache.add(text, start, end, escaped, hash);
      if (entry >= 0) this.extensionCache.code[entry] = code;
    }
    return true;
  }
}
