import type { PerfDataProblemCode } from './problems.js';

/**
 * The one error type thrown by the perf.data reader: always when the input
 * is not a perf.data file or its header cannot be read, and in strict mode
 * at the first problem.
 *
 * `offset` is the file offset (from the first byte of the input) of the
 * structure that could not be read: the start of a truncated event, the
 * header field holding an impossible section pointer, and so on. The message
 * says what was expected there.
 */
export class PerfDataError extends Error {
  readonly offset: number;
  /** The problem's kind, when the error stands for one (see PerfDataProblem); undefined for a file that cannot be read at all. */
  readonly code: PerfDataProblemCode | undefined;
  /** The message without the trailing "(file offset N)". */
  readonly detail: string;

  constructor(message: string, offset: number, code?: PerfDataProblemCode) {
    super(`${message} (file offset ${offset})`);
    this.name = 'PerfDataError';
    this.offset = offset;
    this.code = code;
    this.detail = message;
  }
}
