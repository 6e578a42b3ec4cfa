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

/**
 * The daily rollup of one file, built row by row as it is parsed instead of by a GROUP BY over the
 * stored rows afterwards, which sorted every row of the file (seconds at a million rows). Groups are
 * found by the dictionary codes of their key values (see LineItemBatchBuilder): a short key made of
 * the codes, one Map lookup a row; their sums sit side by side in one Float64Array. Attribution here
 * is the ml:model tag only: with attribution rules defined, the importer uses the SQL rollup instead
 * (rules are GLOBs over stored columns).
 */
export class DailyRollup {
  private readonly groupByKey = new Map<string, number>();
  /** Per group: day, then codes of provider, service, sub-account, team, model, currency. */
  private readonly keys: number[][] = [];
  private sums = new Float64Array(SLOTS * 1024);
  private readonly dayCodes = new Map<string, number>();
  private readonly days: string[] = [];
  private readonly dayByStart = new Map<number, number>();

  /** `text` turns a code back into its value (NULL_CODE, -1, into ''). */
  constructor(private readonly text: (code: number) => string) {}

  /** Codes are of provider, service name, sub-account, team tag, model tag, currency; startCode may be -1. */
  add(start: string, startCode: number, provider: number, service: number, subAccount: number, team: number, model: number, currency: number, billedCost: number, effectiveCost: number, listCost: number | null): void {
    let day = startCode >= 0 ? this.dayByStart.get(startCode) : undefined;
    if (day === undefined) day = this.dayOf(start, startCode);
    // Codes shifted by one (NULL is -1) fit a UTF-16 unit each in any real bill; a longer key otherwise.
    const key =
      day < 0xffff && provider < 0xfffe && service < 0xfffe && subAccount < 0xfffe && team < 0xfffe && model < 0xfffe && currency < 0xfffe
        ? String.fromCharCode(day, provider + 1, service + 1, subAccount + 1, team + 1, model + 1, currency + 1)
        : `${day},${provider},${service},${subAccount},${team},${model},${currency}`;
    let group = this.groupByKey.get(key);
    if (group === undefined) group = this.newGroup(key, [day, provider, service, subAccount, team, model, currency]);
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
    if (startCode >= 0) this.dayByStart.set(startCode, day);
    return day;
  }

  private newGroup(key: string, codes: number[]): number {
    const group = this.keys.length;
    this.keys.push(codes);
    this.groupByKey.set(key, group);
    if ((group + 1) * SLOTS > this.sums.length) {
      const larger = new Float64Array(this.sums.length * 2);
      larger.set(this.sums);
      this.sums = larger;
    }
    return group;
  }

  /** The groups in key order (upserts in index order are a third cheaper). */
  result(): DailyGroup[] {
    const t = (code: number) => (code < 0 ? '' : this.text(code));
    const s = this.sums;
    const rows = this.keys.map((k, group) => {
      const at = group * SLOTS;
      return {
        day: this.days[k[0]!]!,
        provider: t(k[1]!),
        serviceName: t(k[2]!),
        subAccountId: t(k[3]!),
        tagTeam: t(k[4]!),
        tagModel: t(k[5]!),
        currency: t(k[6]!),
        billedCost: s[at]! + s[at + 1]!,
        effectiveCost: s[at + 2]! + s[at + 3]!,
        listCost: s[at + 4]! + s[at + 5]!,
        lineItems: s[at + 6]!,
      };
    });
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
