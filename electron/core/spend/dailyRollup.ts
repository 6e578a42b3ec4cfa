import type { Database } from 'better-sqlite3';

/**
 * Sums the way SQLite's sum() does (Kahan-Babuska-Neumaier), so a rollup or total computed while a
 * file is parsed matches what SQLite would compute over the stored line items, to the cent and
 * almost always to the last bit (only the order of addition can differ).
 */
export class NeumaierSum {
  // Start as doubles (-0 is not a small integer): fields that begin as small integers and then take
  // fractions make V8 rewrite the objects' layout and the code using them.
  private sum = -0;
  private err = -0;
  add(value: number): void {
    const t = this.sum + value;
    if (Math.abs(this.sum) > Math.abs(value)) this.err += this.sum - t + value;
    else this.err += value - t + this.sum;
    this.sum = t;
  }
  get value(): number {
    return this.sum + this.err + 0; // + 0 turns an empty sum's -0 into 0
  }
}

/** One spend_daily row's worth of a file: the grouping key and its sums. */
export interface DailyGroup {
  day: string;
  provider: string;
  serviceName: string;
  subAccountId: string;
  tagTeam: string;
  tagModel: string;
  currency: string;
  billedCost: number;
  effectiveCost: number;
  listCost: number;
  lineItems: number;
}

/** Per group in DailyRollup.sums: three Neumaier sums (value, error) and the row count. */
const SLOTS = 7;
/** Per group in DailyRollup.keyCodes: the day, then the codes of provider, service, sub-account, team, model, currency. */
const KEY = 7;

/**
 * The daily rollup of one file, built row by row as it is parsed instead of by a GROUP BY over the
 * stored rows afterwards, which sorted every row of the file (seconds at a million rows). Groups are
 * found by the dictionary codes of their key values (see LineItemBatchBuilder), in a hash table of
 * integers (a Map keyed by strings made of the codes cost a microsecond a row, mostly in cache
 * misses); their sums sit side by side in one Float64Array. Attribution here is the ml:model tag
 * only: with attribution rules defined, the importer uses the SQL rollup instead (rules are GLOBs
 * over stored columns).
 */
export class DailyRollup {
  /** Open addressing: group + 1 per slot, 0 for an empty slot. */
  private table = new Int32Array(1 << 12);
  private keyCodes = new Int32Array(KEY * 1024);
  private groups = 0;
  private sums = new Float64Array(SLOTS * 1024);
  private readonly dayCodes = new Map<string, number>();
  private readonly days: string[] = [];
  /** Per dictionary code of a start timestamp: its day + 1 (0: not seen yet). */
  private dayByStart = new Int32Array(1024);

  /** `text` turns a code back into its value (NULL_CODE, -1, into ''). */
  constructor(private readonly text: (code: number) => string) {}

  /** Codes are of provider, service name, sub-account, team tag, model tag, currency; startCode may be -1. */
  add(start: string, startCode: number, provider: number, service: number, subAccount: number, team: number, model: number, currency: number, billedCost: number, effectiveCost: number, listCost: number | null): void {
    let day = startCode >= 0 && startCode < this.dayByStart.length ? this.dayByStart[startCode]! - 1 : -1;
    if (day < 0) day = this.dayOf(start, startCode);
    let h = Math.imul(day ^ 0x2545f491, 0x9e3779b1);
    h = Math.imul(h ^ provider, 0x01000193);
    h = Math.imul(h ^ service, 0x01000193);
    h = Math.imul(h ^ subAccount, 0x01000193);
    h = Math.imul(h ^ team, 0x01000193);
    h = Math.imul(h ^ model, 0x01000193);
    h = Math.imul(h ^ currency, 0x01000193);
    h ^= h >>> 16;
    const table = this.table;
    const mask = table.length - 1;
    const keys = this.keyCodes;
    let group = -1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const g = table[slot]! - 1;
      if (g < 0) {
        group = this.newGroup(slot, day, provider, service, subAccount, team, model, currency);
        break;
      }
      const k = g * KEY;
      if (keys[k] === day && keys[k + 1] === provider && keys[k + 2] === service && keys[k + 3] === subAccount && keys[k + 4] === team && keys[k + 5] === model && keys[k + 6] === currency) {
        group = g;
        break;
      }
    }
    const sums = this.sums;
    const at = group * SLOTS;
    addNeumaier(sums, at, billedCost);
    addNeumaier(sums, at + 2, effectiveCost);
    // TOTAL(list_cost) in the SQL rollup: NULL counts as nothing.
    if (listCost !== null) addNeumaier(sums, at + 4, listCost);
    sums[at + 6]!++;
  }

  // The rare paths below are methods of their own: inside add() they were code the optimizer had
  // never seen run, and each first use threw the whole batch loop back to the interpreter.
  private dayOf(start: string, startCode: number): number {
    const name = start.slice(0, 10);
    let day = this.dayCodes.get(name);
    if (day === undefined) {
      day = this.days.length;
      this.days.push(name);
      this.dayCodes.set(name, day);
    }
    if (startCode >= 0) {
      if (startCode >= this.dayByStart.length) {
        const larger = new Int32Array(Math.max(this.dayByStart.length * 2, startCode + 1));
        larger.set(this.dayByStart);
        this.dayByStart = larger;
      }
      this.dayByStart[startCode] = day + 1;
    }
    return day;
  }

  private newGroup(slot: number, day: number, provider: number, service: number, subAccount: number, team: number, model: number, currency: number): number {
    const group = this.groups++;
    if ((group + 1) * KEY > this.keyCodes.length) {
      const larger = new Int32Array(this.keyCodes.length * 2);
      larger.set(this.keyCodes);
      this.keyCodes = larger;
    }
    if ((group + 1) * SLOTS > this.sums.length) {
      const larger = new Float64Array(this.sums.length * 2);
      larger.set(this.sums);
      this.sums = larger;
    }
    this.keyCodes.set([day, provider, service, subAccount, team, model, currency], group * KEY);
    this.table[slot] = group + 1;
    // At most half full: rehash into a table twice the size.
    if (this.groups * 2 > this.table.length) this.rehash();
    return group;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    const k = this.keyCodes;
    for (let g = 0; g < this.groups; g++) {
      const at = g * KEY;
      let h = Math.imul(k[at]! ^ 0x2545f491, 0x9e3779b1);
      for (let i = 1; i < KEY; i++) h = Math.imul(h ^ k[at + i]!, 0x01000193);
      h ^= h >>> 16;
      let slot = h & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = g + 1;
    }
    this.table = table;
  }

  /** The groups in key order (upserts in index order are a third cheaper). */
  result(): DailyGroup[] {
    const t = (code: number) => (code < 0 ? '' : this.text(code));
    const s = this.sums;
    const k = this.keyCodes;
    const rows: DailyGroup[] = [];
    for (let group = 0; group < this.groups; group++) {
      const at = group * SLOTS;
      const key = group * KEY;
      rows.push({
        day: this.days[k[key]!]!,
        provider: t(k[key + 1]!),
        serviceName: t(k[key + 2]!),
        subAccountId: t(k[key + 3]!),
        tagTeam: t(k[key + 4]!),
        tagModel: t(k[key + 5]!),
        currency: t(k[key + 6]!),
        billedCost: s[at]! + s[at + 1]!,
        effectiveCost: s[at + 2]! + s[at + 3]!,
        listCost: s[at + 4]! + s[at + 5]!,
        lineItems: s[at + 6]!,
      });
    }
    const key = (g: DailyGroup) => [g.day, g.provider, g.serviceName, g.subAccountId, g.tagTeam, g.tagModel, g.currency];
    return rows.sort((a, b) => compareKeys(key(a), key(b)));
  }
}

/** NeumaierSum.add on a (value, error) pair stored at sums[at], sums[at + 1]. */
function addNeumaier(sums: Float64Array, at: number, value: number): void {
  const sum = sums[at]!;
  const t = sum + value;
  if (Math.abs(sum) > Math.abs(value)) sums[at + 1]! += sum - t + value;
  else sums[at + 1]! += value - t + sum;
  sums[at] = t;
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** Adds a file's groups to spend_daily, merging with the days other files already hold. */
export function writeDailyGroups(db: Database, groups: readonly DailyGroup[]): void {
  const upsert = db.prepare(
    `INSERT INTO spend_daily (day, provider, service_name, sub_account_id, tag_team, tag_model, currency, billed_cost, effective_cost, list_cost, line_items)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (day, provider, service_name, sub_account_id, tag_team, tag_model, currency) DO UPDATE SET
       billed_cost = billed_cost + excluded.billed_cost,
       effective_cost = effective_cost + excluded.effective_cost,
       list_cost = list_cost + excluded.list_cost,
       line_items = line_items + excluded.line_items`,
  );
  for (const g of groups) upsert.run(g.day, g.provider, g.serviceName, g.subAccountId, g.tagTeam, g.tagModel, g.currency, g.billedCost, g.effectiveCost, g.listCost, g.lineItems);
  // As rollUpLineItems does: fresh statistics keep the spend views on their covering indexes.
  db.exec('ANALYZE spend_daily');
}
