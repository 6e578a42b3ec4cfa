import type { Database, Statement } from 'better-sqlite3';
import { DailyRollup, NeumaierSum, type DailyGroup } from './dailyRollup';
import { LINE_ITEM_COLUMNS } from './focusRow';

export interface CurrencyTotal {
  currency: string;
  billedCost: number;
  effectiveCost: number;
}

/**
 * Line items on their way from the parser (the parse worker) to the INSERT. Posting arrays of values
 * between threads copies every string one by one, and so does joining them into one string: either
 * cost more than the parse. Bills repeat the same few values millions of times (accounts, services,
 * hours, tags), so text is dictionary-coded, as Parquet does it: each distinct value crosses once, and
 * a row is a few integers (its values' codes) and numbers, in typed arrays transferred without a copy.
 */
export interface LineItemBatch {
  rows: number;
  /** Values first seen in this batch, end to end: they extend the dictionary in order. */
  newText: string;
  newEnds: Int32Array;
  /** Values kept out of the dictionary (it is full, or they are long), end to end, in order of use. */
  literalText: string;
  literalEnds: Int32Array;
  /** Per text value in column order: its dictionary code (>= 0), NULL_CODE or LITERAL_CODE. */
  codes: Int32Array;
  /** Each numeric value in column order; NaN for NULL (the importer refuses non-finite numbers). */
  numbers: Float64Array;
}

export const NULL_CODE = -1;
export const LITERAL_CODE = -2;
/** Beyond this many distinct values, or characters in them (a column of unique ids, say), new values travel as literals. */
const MAX_DICTIONARY = 1 << 18;
const MAX_DICTIONARY_CHARS = 1 << 23;
const MAX_CODED_LENGTH = 512;

type Bindable = string | number | null;

/** Numeric columns of LINE_ITEM_COLUMNS; the others, except file_id, are text. */
const NUMERIC = new Set<string>(['line', 'billed_cost', 'effective_cost', 'list_cost', 'contracted_cost', 'consumed_quantity']);
/** Per column of LINE_ITEM_COLUMNS: 0 file_id (bound by the importer), 1 number, 2 text. */
const KINDS = LINE_ITEM_COLUMNS.map((c) => (c === 'file_id' ? 0 : NUMERIC.has(c) ? 1 : 2));
export const NUMBERS_PER_ROW = KINDS.filter((k) => k === 1).length;
export const TEXTS_PER_ROW = KINDS.filter((k) => k === 2).length;
/** Grouping columns of the daily rollup: always coded, whatever the dictionary's size (they are few by nature). */
const ALWAYS_CODED = new Set<string>(['provider', 'service_name', 'sub_account_id', 'tag_team', 'tag_model', 'billing_currency']);
const FORCE = LINE_ITEM_COLUMNS.map((c) => ALWAYS_CODED.has(c));
const START = LINE_ITEM_COLUMNS.indexOf('charge_period_start');

/** A growable run of strings laid end to end, sent as one string and its end offsets. */
class TextRun {
  private parts: string[] = [];
  private ends: number[] = [];
  private length = 0;
  add(value: string): void {
    this.parts.push(value);
    this.length += value.length;
    this.ends.push(this.length);
  }
  take(): { text: string; ends: Int32Array } {
    const run = { text: this.parts.join(''), ends: Int32Array.from(this.ends) };
    this.parts = [];
    this.ends = [];
    this.length = 0;
    return run;
  }
}

export class LineItemBatchBuilder {
  private readonly dictionary = new Map<string, number>();
  /** The dictionary's values by code. */
  private readonly values: string[] = [];
  /** The daily rollup and the totals of every row added. */
  readonly summary = new LineItemSummary((code) => this.values[code]!);
  private dictionaryChars = 0;
  private readonly fresh = new TextRun();
  private readonly literals = new TextRun();
  // Typed arrays grown by doubling, reused across batches (take() copies out what it sends).
  private codes = new Int32Array(1 << 16);
  private numbers = new Float64Array(1 << 14);
  private codeCount = 0;
  private numberCount = 0;
  rows = 0;

  /** Appends one row given as readLineItem writes it (LINE_ITEM_COLUMNS order). */
  add(row: readonly Bindable[]): void {
    if (this.codeCount + TEXTS_PER_ROW > this.codes.length) this.codes = grow(this.codes, new Int32Array(this.codes.length * 2));
    if (this.numberCount + NUMBERS_PER_ROW > this.numbers.length) this.numbers = grow(this.numbers, new Float64Array(this.numbers.length * 2));
    const c0 = this.codeCount;
    const n0 = this.numberCount;
    for (let i = 1; i < KINDS.length; i++) {
      const v = row[i]!;
      if (KINDS[i] === 1) {
        this.numbers[this.numberCount++] = v === null ? Number.NaN : (v as number);
        continue;
      }
      this.codes[this.codeCount++] = v === null ? NULL_CODE : this.code(v as string, FORCE[i]!);
    }
    this.summary.add(this.codes, c0, this.numbers, n0, row[START] as string);
    this.rows++;
  }

  /**
   * Appends one row given as codes and numbers (TEXTS_PER_ROW codes, NUMBERS_PER_ROW numbers, in
   * LINE_ITEM_COLUMNS order): a code from codeOrLiteral, NULL_CODE, or LITERAL_CODE with the value in
   * `literals` at the same index.
   */
  addCoded(codes: Int32Array, numbers: Float64Array, literals: readonly (string | null)[]): void {
    if (this.codeCount + TEXTS_PER_ROW > this.codes.length) this.codes = grow(this.codes, new Int32Array(this.codes.length * 2));
    if (this.numberCount + NUMBERS_PER_ROW > this.numbers.length) this.numbers = grow(this.numbers, new Float64Array(this.numbers.length * 2));
    const out = this.codes;
    const c0 = this.codeCount;
    let c = c0;
    for (let k = 0; k < TEXTS_PER_ROW; k++) {
      const code = codes[k]!;
      out[c++] = code;
      if (code === LITERAL_CODE) this.literals.add(literals[k]!);
    }
    this.codeCount = c;
    this.numbers.set(numbers, this.numberCount);
    const start = codes[T_START]!;
    this.summary.add(out, c0, this.numbers, this.numberCount, start >= 0 ? this.values[start]! : literals[T_START]!);
    this.numberCount += NUMBERS_PER_ROW;
    this.rows++;
  }

  /** The rows added since the last take (their arrays are copies, free to transfer), and a fresh start. */
  take(): LineItemBatch {
    const fresh = this.fresh.take();
    const literals = this.literals.take();
    const batch = { rows: this.rows, newText: fresh.text, newEnds: fresh.ends, literalText: literals.text, literalEnds: literals.ends, codes: this.codes.slice(0, this.codeCount), numbers: this.numbers.slice(0, this.numberCount) };
    this.codeCount = 0;
    this.numberCount = 0;
    this.rows = 0;
    return batch;
  }

  /**
   * The code of a value of the column at `column` (an index of LINE_ITEM_COLUMNS), added to the
   * dictionary if new; or LITERAL_CODE for a value that is to travel as a literal (addCoded adds it).
   */
  codeOrLiteral(value: string, column: number): number {
    const known = this.dictionary.get(value);
    if (known !== undefined) return known;
    return this.newCode(value, FORCE[column]!);
  }

  private code(value: string, force: boolean): number {
    const known = this.dictionary.get(value);
    if (known !== undefined) return known;
    const code = this.newCode(value, force);
    if (code === LITERAL_CODE) this.literals.add(value);
    return code;
  }

  private newCode(value: string, force: boolean): number {
    if (!force && (this.dictionary.size >= MAX_DICTIONARY || this.dictionaryChars >= MAX_DICTIONARY_CHARS || value.length > MAX_CODED_LENGTH)) return LITERAL_CODE;
    const code = this.dictionary.size;
    // A copy: the value may be a slice of a whole chunk of the file, which the dictionary would keep alive.
    const copy = flatCopy(value);
    this.dictionary.set(copy, code);
    this.values.push(copy);
    this.dictionaryChars += value.length;
    this.fresh.add(value);
    return code;
  }
}

/** A string with its own characters (not a slice of a larger one, which it would keep in memory). */
export function flatCopy(value: string): string {
  return value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as string);
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** The batches' buffers, to transfer rather than copy them. */
export function batchTransferList(batch: LineItemBatch): ArrayBuffer[] {
  return [batch.newEnds.buffer, batch.literalEnds.buffer, batch.codes.buffer, batch.numbers.buffer] as ArrayBuffer[];
}

/** The stored column of each of LINE_ITEM_COLUMNS: text goes to spend_text, the row holds its id in `<column>_code`. */
const STORED_COLUMNS = LINE_ITEM_COLUMNS.map((c, i) => (KINDS[i] === 2 ? `${c}_code` : c));
/** Literal values (those the parser kept out of its dictionary) whose text id is remembered, at most. */
const MAX_LITERAL_IDS = 1 << 16;

/**
 * Inserts batches into spend_line_items_coded with a one-row statement (measured against multi-row
 * INSERTs of 32 and 64 rows: no faster, the cost being per value bound, not per call). Each text value
 * is stored once in spend_text; a row binds integers only, which is both what makes the import fast
 * (binding a string copies and re-encodes it) and what keeps the store small. Keeps the mapping from
 * the batches' dictionary codes to spend_text ids, so it must see every batch of a file, in order.
 * (The daily rollup and the totals of these rows are summed as the batches are built, by
 * LineItemBatchBuilder, in the parse worker.)
 */
export class LineItemInserter {
  private readonly insert: Statement;
  private readonly addText: Statement;
  private readonly findText: Statement;
  private readonly args: Bindable[];
  /** spend_text id of each dictionary code of this file's batches. */
  private readonly textIds: number[] = [];
  private literalIds = new Map<string, number>();

  constructor(db: Database, fileId: number) {
    this.insert = db.prepare(`INSERT INTO spend_line_items_coded (${STORED_COLUMNS.join(', ')}) VALUES (${STORED_COLUMNS.map(() => '?').join(', ')})`);
    this.addText = db.prepare('INSERT OR IGNORE INTO spend_text (value) VALUES (?)');
    this.findText = db.prepare('SELECT id FROM spend_text WHERE value = ?').pluck();
    this.args = LINE_ITEM_COLUMNS.map(() => null);
    this.args[0] = fileId;
  }

  write(batch: LineItemBatch): void {
    const textIds = this.textIds;
    let from = 0;
    for (const end of batch.newEnds) {
      textIds.push(this.textId(batch.newText.slice(from, end)));
      from = end;
    }
    const { codes, numbers, literalText, literalEnds } = batch;
    // Checked before the loop: code after it had no type feedback when the loop was optimized, and
    // its first use made V8 drop out of the optimized code on every batch.
    if (codes.length !== batch.rows * TEXTS_PER_ROW || numbers.length !== batch.rows * NUMBERS_PER_ROW) throw new Error('line-item batch is malformed');
    const args = this.args;
    let c = 0;
    let n = 0;
    let literal = 0;
    let literalFrom = 0;
    for (let row = 0; row < batch.rows; row++) {
      for (let i = 1; i < KINDS.length; i++) {
        if (KINDS[i] === 1) {
          const v = numbers[n++]!;
          args[i] = Number.isNaN(v) ? null : v;
          continue;
        }
        const code = codes[c++]!;
        if (code >= 0) {
          args[i] = textIds[code]!;
        } else if (code === NULL_CODE) {
          args[i] = null;
        } else {
          const end = literalEnds[literal++]!;
          args[i] = this.literalId(literalText.slice(literalFrom, end));
          literalFrom = end;
        }
      }
      // Spread, not the array: better-sqlite3 reads an array's elements through V8's generic property
      // lookup, a tenth of the cost of the whole INSERT; arguments it reads directly.
      this.insert.run(...args);
    }
  }

  /** The spend_text id of a value, adding it if it is new to the store. */
  private textId(value: string): number {
    this.addText.run(value);
    return this.findText.get(value) as number;
  }

  /** As textId, remembering recent literals: a value too long for the parser's dictionary may still repeat. */
  private literalId(value: string): number {
    const known = this.literalIds.get(value);
    if (known !== undefined) return known;
    if (this.literalIds.size >= MAX_LITERAL_IDS) this.literalIds = new Map();
    const id = this.textId(value);
    this.literalIds.set(value, id);
    return id;
  }
}

/**
 * The daily rollup and per-currency totals of the rows added to a file's batches, summed as they are
 * added (SQL did that over the stored rows afterwards, with a GROUP BY that sorted every row).
 */
export class LineItemSummary {
  private readonly daily: DailyRollup;
  /** Per currency code. */
  private readonly totals = new Map<number, { billed: NeumaierSum; effective: NeumaierSum }>();

  constructor(private readonly text: (code: number) => string) {
    this.daily = new DailyRollup(text);
  }

  /** One row: its codes in text-column order, its numbers in numeric-column order, its start timestamp. */
  add(codes: Int32Array, c: number, numbers: Float64Array, n: number, start: string): void {
    const currency = codes[c + T_CURRENCY]!;
    const billed = numbers[n + N_BILLED]!;
    const effective = numbers[n + N_EFFECTIVE]!;
    const list = numbers[n + N_LIST]!;
    const startCode = codes[c + T_START]!;
    this.daily.add(start, startCode >= 0 ? startCode : -1, codes[c + T_PROVIDER]!, codes[c + T_SERVICE]!, codes[c + T_SUB_ACCOUNT]!, codes[c + T_TEAM]!, codes[c + T_MODEL]!, currency, billed, effective, Number.isNaN(list) ? null : list);
    const total = this.totals.get(currency) ?? this.newTotal(currency);
    total.billed.add(billed);
    total.effective.add(effective);
  }

  /** The daily rollup and the totals of every row added. */
  result(): { daily: DailyGroup[]; totals: CurrencyTotal[] } {
    const totals = [...this.totals.entries()]
      .map(([code, t]) => ({ currency: this.text(code), billedCost: t.billed.value, effectiveCost: t.effective.value }))
      .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
    return { daily: this.daily.result(), totals };
  }

  private newTotal(currency: number): { billed: NeumaierSum; effective: NeumaierSum } {
    const total = { billed: new NeumaierSum(), effective: new NeumaierSum() };
    this.totals.set(currency, total);
    return total;
  }
}

// Positions among a row's text codes and numbers of what the rollup and the totals read (the
// grouping columns and the currency are always dictionary-coded, never literals).
function textSlot(column: (typeof LINE_ITEM_COLUMNS)[number]): number {
  return LINE_ITEM_COLUMNS.slice(0, LINE_ITEM_COLUMNS.indexOf(column)).filter((c, i) => KINDS[i] === 2).length;
}
function numberSlot(column: (typeof LINE_ITEM_COLUMNS)[number]): number {
  return LINE_ITEM_COLUMNS.slice(0, LINE_ITEM_COLUMNS.indexOf(column)).filter((c, i) => KINDS[i] === 1).length;
}
const T_PROVIDER = textSlot('provider');
const T_SUB_ACCOUNT = textSlot('sub_account_id');
const T_SERVICE = textSlot('service_name');
const T_START = textSlot('charge_period_start');
const T_CURRENCY = textSlot('billing_currency');
const T_TEAM = textSlot('tag_team');
const T_MODEL = textSlot('tag_model');
const N_BILLED = numberSlot('billed_cost');
const N_EFFECTIVE = numberSlot('effective_cost');
const N_LIST = numberSlot('list_cost');
