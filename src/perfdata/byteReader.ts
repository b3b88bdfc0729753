import { PerfDataError } from './error.js';
import { decodeCString } from './text.js';

/**
 * Bounds-checked, byte-order-aware reads from the whole input. Every read
 * names what it is reading and the limit it must stay within, so a failure
 * becomes a PerfDataError that says what was expected where.
 */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly littleEndian: boolean;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, littleEndian: boolean) {
    this.bytes = bytes;
    this.littleEndian = littleEndian;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /**
   * Throws unless `length` bytes starting at `offset` lie before `limit`
   * (default: the end of the input, which is never exceeded either).
   */
  need(offset: number, length: number, what: string, limit = this.bytes.length, limitName = 'end of file'): void {
    const end = Math.min(limit, this.bytes.length);
    const endName = end < limit ? 'end of file' : limitName;
    if (offset < 0 || length < 0 || offset + length > end) {
      const have = Math.max(0, end - offset);
      throw new PerfDataError(
        `${what}: expected ${length} byte${length === 1 ? '' : 's'} at offset ${offset}, ` +
          `but only ${have} remain before the ${endName} at ${end}`,
        offset,
      );
    }
  }

  u8(offset: number, what: string, limit?: number, limitName?: string): number {
    this.need(offset, 1, what, limit, limitName);
    return this.bytes[offset]!;
  }

  u16(offset: number, what: string, limit?: number, limitName?: string): number {
    this.need(offset, 2, what, limit, limitName);
    return this.view.getUint16(offset, this.littleEndian);
  }

  u32(offset: number, what: string, limit?: number, limitName?: string): number {
    this.need(offset, 4, what, limit, limitName);
    return this.view.getUint32(offset, this.littleEndian);
  }

  u64n(offset: number, what: string, limit?: number, limitName?: string): bigint {
    this.need(offset, 8, what, limit, limitName);
    return this.view.getBigUint64(offset, this.littleEndian);
  }

  /** A u64 that must fit a JavaScript number exactly (sizes, offsets, counts). */
  u64(offset: number, what: string, limit?: number, limitName?: string): number {
    const v = this.u64n(offset, what, limit, limitName);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new PerfDataError(`${what}: value ${v} at offset ${offset} is too large to be a size or offset`, offset);
    }
    return Number(v);
  }

  /** A view (not a copy) of `length` bytes at `offset`. */
  slice(offset: number, length: number, what: string, limit?: number, limitName?: string): Uint8Array {
    this.need(offset, length, what, limit, limitName);
    return this.bytes.subarray(offset, offset + length);
  }
}

/**
 * Sequential reads inside one bounded region (a feature section, an event
 * payload). Nothing is read past `end`.
 */
export class Cursor {
  pos: number;
  readonly end: number;
  private readonly r: ByteReader;
  private readonly context: string;

  constructor(r: ByteReader, start: number, end: number, context: string) {
    this.r = r;
    this.pos = start;
    this.end = end;
    this.context = context;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private label(what: string): string {
    return `${this.context}: ${what}`;
  }

  u32(what: string): number {
    const v = this.r.u32(this.pos, this.label(what), this.end, `end of ${this.context}`);
    this.pos += 4;
    return v;
  }

  u64(what: string): number {
    const v = this.r.u64(this.pos, this.label(what), this.end, `end of ${this.context}`);
    this.pos += 8;
    return v;
  }

  /**
   * A u64 quantity (not a size or offset, e.g. kB of memory): never an error
   * for being large. Exact up to 2^53; above, the nearest double.
   */
  quantity(what: string): number {
    const v = this.r.u64n(this.pos, this.label(what), this.end, `end of ${this.context}`);
    this.pos += 8;
    return Number(v);
  }

  bytes(length: number, what: string): Uint8Array {
    const b = this.r.slice(this.pos, length, this.label(what), this.end, `end of ${this.context}`);
    this.pos += length;
    return b;
  }

  /** struct perf_header_string: u32 len, then len bytes, NUL-terminated and padded. */
  string(what: string): string {
    const at = this.pos;
    const len = this.u32(`${what} length`);
    if (len > this.remaining) {
      throw new PerfDataError(
        `${this.label(what)}: string length ${len} at offset ${at} runs past the end of ${this.context} at ${this.end}`,
        at,
      );
    }
    return decodeCString(this.bytes(len, what));
  }

  /** A u32 count that must allow `count * minItemSize` more bytes (guards huge loops). */
  count(what: string, minItemSize: number): number {
    const at = this.pos;
    const nr = this.u32(what);
    if (nr * minItemSize > this.remaining) {
      throw new PerfDataError(
        `${this.label(what)}: ${nr} entries of at least ${minItemSize} bytes each do not fit in the ` +
          `${this.remaining} bytes left before the end of ${this.context} at ${this.end}`,
        at,
      );
    }
    return nr;
  }

  /** struct perf_header_string_list: u32 nr, then nr strings. */
  stringList(what: string): string[] {
    const nr = this.count(`${what} count`, 4);
    const out: string[] = [];
    for (let i = 0; i < nr; i++) out.push(this.string(`${what}[${i}]`));
    return out;
  }
}
