/**
 * What the reader could not read, and the policy for it: by default each
 * problem is collected and reading goes on with the next part of the file
 * that can be found without it; in strict mode the first problem is thrown.
 */
import { PerfDataError } from './error.js';

/** Kinds of problems, each saying what was lost. */
export type PerfDataProblemCode =
  /** The input ends inside a structure the file says is there (a section, an event, the feature table). */
  | 'truncated'
  /** Header data size 0 with events after it: `perf record` never finished (killed); events were read to the end of the file. */
  | 'unfinished-recording'
  /** The attrs section or one of its entries does not fit: attrs from it are missing. */
  | 'bad-attrs'
  /** The data section descriptor points outside the file: no events from it. */
  | 'bad-data-section'
  /** An event whose size or contents do not fit: the events after it are missing, or (contents only) just that event's data. */
  | 'bad-event'
  /** A header feature whose section or contents do not fit: that feature is missing from `features`. */
  | 'bad-feature';

export interface PerfDataProblem {
  code: PerfDataProblemCode;
  /** What was expected where, in words. */
  message: string;
  /** File offset (from the first byte of the input) of the structure that could not be read. */
  offset: number;
}

export interface ReadPerfDataOptions {
  /** Throw a PerfDataError at the first problem instead of collecting it (default false). */
  strict?: boolean;
}

export class Problems {
  readonly list: PerfDataProblem[] = [];
  constructor(private readonly strict: boolean) {}

  /** Records a problem (or throws it, in strict mode). */
  add(code: PerfDataProblemCode, message: string, offset: number): void {
    if (this.strict) throw new PerfDataError(message, offset, code);
    this.list.push({ code, message, offset });
  }

  /**
   * Runs one part of the reading; a PerfDataError it throws becomes a
   * problem of `code` (unless it already names one) and the part's result
   * is `undefined`. Other errors are bugs and propagate.
   */
  attempt<T>(code: PerfDataProblemCode, part: () => T): T | undefined {
    try {
      return part();
    } catch (e) {
      if (!(e instanceof PerfDataError)) throw e;
      this.add(e.code ?? code, e.detail, e.offset); // strict: throws it with its code
      return undefined;
    }
  }
}
