import { detectFocusVersion, FocusValueError, missingMandatoryColumns, type FocusVersion } from './focusSchema';
import { indexColumns, readLineItem, type FocusColumnIndex, type TagKeys } from './focusRow';
import { LineItemBatchBuilder, type LineItemBatch } from './lineItemBatch';

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

  /** The good rows collected since the last call (none once the file is known to be bad). */
  takeBatch(): LineItemBatch | null {
    return this.batch.rows === 0 ? null : this.batch.take();
  }

  /** The input is complete: the file's summary, or FileRejected. */
  finish(): FocusRecordsSummary {
    if (this.columns === null) throw new FileRejected([{ line: 1, column: null, reason: 'the file is empty: a FOCUS file starts with a header line' }]);
    if (this.problems.length > 0) throw new FileRejected(this.problems);
    if (this.rows === 0 && this.skipped.length === 0) throw new FileRejected([{ line: 2, column: null, reason: 'the file has a header but no rows' }]);
    return { focusVersion: this.focusVersion, rows: this.rows, skipped: this.skipped };
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
  }
}
