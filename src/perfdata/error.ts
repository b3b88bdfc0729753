/**
 * The one error type thrown by the perf.data reader.
 *
 * `offset` is the file offset (from the first byte of the input) of the
 * structure that could not be read: the start of a truncated event, the
 * header field holding an impossible section pointer, and so on. The message
 * says what was expected there.
 */
export class PerfDataError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} (file offset ${offset})`);
    this.name = 'PerfDataError';
    this.offset = offset;
  }
}
