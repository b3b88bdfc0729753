// The kernel's cpu list dialect: what bitmap_parselist() (lib/bitmap-str.c)
// accepts and what %*pbl prints in sysfs, cgroup and boot-parameter files.
//
// Grammar, as the kernel reads it (byte by byte, stopping at NUL or '\n'):
//   list    := { sep } [ region { sep { sep } region } ] { sep }
//   sep     := ',' | white space (isspace: \t \n \v \f \r, space, 0xa0)
//   region  := ( "all" | num [ '-' num ] ) [ ':' num '/' num ]   ("all" in any case;
//              the stride part is only allowed after "all" or a range)
//   num     := decimal digits | 'N' (the last bit, nbits - 1)
// A region a-b:u/g sets, in each group of g bits from a, the first u bits,
// never past b. A '\n' ends the list where a region could end ("0\n5" is
// [0]), but is skipped as white space after a stride ("0-1:1/2\n5" is [0,5]).
// Errors are the kernel's: -EINVAL (bad syntax, start > end, a group of 0,
// a used part larger than its group), -EOVERFLOW (a number above 2^32-1),
// -ERANGE (a bit at or above nbits). They come back as CpuMapError with the
// position where the kernel stopped.

import { CpuMapError, pointAt, type CpuMapErrorCode } from './errors.js';

/** The default number of bits: every cpu a CpuMap can hold (0..32766). */
export const KERNEL_LIST_DEFAULT_NBITS = 32767;

export interface KernelListOptions {
  /**
   * The bitmap width the kernel parses against (its nr_cpu_ids for cpu
   * lists): 'N' means nbits - 1, "all" means 0..nbits-1, and a cpu at or
   * above it is -ERANGE. 0..32767; default 32767.
   */
  nbits?: number;
}

type KernelErrno = 'EINVAL' | 'EOVERFLOW' | 'ERANGE';

class KernelParseFailure {
  constructor(readonly errno: KernelErrno, readonly code: CpuMapErrorCode, readonly byte: number,
    readonly reason: string, readonly value?: number) {}
}

const NUL = 0;
const NEWLINE = 0x0a;

function isKernelSpace(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0;
}
function endsList(c: number): boolean {
  return c === NUL || c === NEWLINE;
}
function separates(c: number): boolean {
  return isKernelSpace(c) || c === 0x2c;
}
function endsRegion(c: number): boolean {
  return separates(c) || endsList(c);
}

function describeByte(c: number): string {
  if (c === NUL) return 'end of the list';
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

interface Region { start: number; end: number; used: number; group: number; at: number }

/** Reads the kernel's bytes: the text as UTF-8, with a NUL after it. */
class ListReader {
  readonly bytes: Uint8Array;
  constructor(text: string) {
    const utf8 = new TextEncoder().encode(text);
    this.bytes = new Uint8Array(utf8.length + 1);
    this.bytes.set(utf8);
  }
  at(i: number): number {
    return this.bytes[i]!;
  }
}

/** A number at `i`: 'N' or decimal digits; returns [value, next index]. */
function readNumber(r: ListReader, i: number, lastBit: number, what: string): [number, number] {
  if (r.at(i) === 0x4e) return [lastBit, i + 1];
  let j = i;
  let n = 0n;
  let overflow = false;
  while (r.at(j) >= 0x30 && r.at(j) <= 0x39) {
    n = n * 10n + BigInt(r.at(j) - 0x30);
    if (n > 0xffffffffn) overflow = true;
    j++;
  }
  if (j === i) {
    throw new KernelParseFailure('EINVAL', 'ESYNTAX', i, `expected ${what} (digits or N), found ${describeByte(r.at(i))}`);
  }
  if (overflow) {
    throw new KernelParseFailure('EOVERFLOW', 'ERANGE', i, `${what} does not fit in 32 bits`);
  }
  return [Number(n), j];
}

function startsWithAll(r: ListReader, i: number): boolean {
  for (let k = 0; k < 3; k++) {
    if ((r.at(i + k) | 0x20) !== 'all'.charCodeAt(k)) return false;
  }
  return true;
}

/** One region at `i`; returns it and where to go on (-1: the list ended). */
function readRegion(r: ListReader, i: number, nbits: number): [Region, number] {
  const lastBit = (nbits - 1) >>> 0; // unsigned, as in C: 0 bits makes 'N' 4294967295
  const region: Region = { start: 0, end: 0, used: 0, group: 0, at: i };
  let p = i;
  let ranged: boolean;
  if (startsWithAll(r, p)) {
    region.start = 0;
    region.end = lastBit;
    p += 3;
    ranged = true;
  } else {
    [region.start, p] = readNumber(r, p, lastBit, 'a cpu number');
    if (endsRegion(r.at(p))) {
      ranged = false;
    } else {
      if (r.at(p) !== 0x2d) {
        throw new KernelParseFailure('EINVAL', 'ESYNTAX', p, `unexpected ${describeByte(r.at(p))} after a cpu number`);
      }
      [region.end, p] = readNumber(r, p + 1, lastBit, 'the end of a range');
      ranged = true;
    }
  }
  if (!ranged) region.end = region.start;
  if (!ranged || endsRegion(r.at(p))) {
    region.used = region.end + 1;
    region.group = region.end + 1;
    return [region, endsList(r.at(p)) ? -1 : p];
  }
  if (r.at(p) !== 0x3a) {
    throw new KernelParseFailure('EINVAL', 'ESYNTAX', p, `unexpected ${describeByte(r.at(p))} after a range`);
  }
  [region.used, p] = readNumber(r, p + 1, lastBit, 'the used part of a stride');
  if (r.at(p) !== 0x2f) {
    throw new KernelParseFailure('EINVAL', 'ESYNTAX', p, `expected '/' after the used part of a stride, found ${describeByte(r.at(p))}`);
  }
  [region.group, p] = readNumber(r, p + 1, lastBit, 'the group size of a stride');
  return [region, p];
}

function checkRegion(g: Region, nbits: number): void {
  if (g.start > g.end) {
    throw new KernelParseFailure('EINVAL', 'EREVERSED', g.at, `range ends at ${g.end}, below its start ${g.start}`, g.end);
  }
  if (g.group === 0) throw new KernelParseFailure('EINVAL', 'ESYNTAX', g.at, 'stride with a group size of 0');
  if (g.used > g.group) {
    throw new KernelParseFailure('EINVAL', 'ESYNTAX', g.at, `stride uses ${g.used} bits of groups of ${g.group}`);
  }
  if (g.end >= nbits) {
    throw new KernelParseFailure('ERANGE', 'ERANGE', g.at, `cpu ${g.end} is out of range (nbits is ${nbits}: cpus are 0 to ${nbits - 1})`, g.end);
  }
}

function checkNbits(nbits: unknown): number {
  if (typeof nbits !== 'number' || !Number.isInteger(nbits) || nbits < 0 || nbits > KERNEL_LIST_DEFAULT_NBITS) {
    throw new TypeError(`kernel cpu list: nbits must be an integer from 0 to ${KERNEL_LIST_DEFAULT_NBITS}, got ${String(nbits)}`);
  }
  return nbits;
}

/** UTF-16 index in `text` of its UTF-8 byte offset. */
function positionOfByte(text: string, byte: number): number {
  const enc = new TextEncoder();
  let b = 0;
  let i = 0;
  while (i < text.length && b < byte) {
    const cp = text.codePointAt(i)!;
    b += enc.encode(String.fromCodePoint(cp)).length;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/**
 * The cpus of a kernel cpu list, ascending, exactly as bitmap_parselist()
 * sets them. Throws CpuMapError (code, position, the kernel's errno in the
 * message) where the kernel returns an error.
 */
export function parseKernelCpus(text: string, options?: KernelListOptions): number[] {
  if (typeof text !== 'string') throw new TypeError(`kernel cpu list: expected a string, got ${typeof text}`);
  const nbits = checkNbits(options?.nbits ?? KERNEL_LIST_DEFAULT_NBITS);
  const r = new ListReader(text);
  const set: number[] = [];
  let sorted = true; // regions in ascending order need no sort
  try {
    let p = 0;
    for (;;) {
      while (separates(r.at(p))) p++;
      if (endsList(r.at(p))) break;
      const [g, next] = readRegion(r, p, nbits);
      checkRegion(g, nbits);
      if (set.length > 0 && g.start <= set[set.length - 1]!) sorted = false;
      for (let s = g.start; s <= g.end; s += g.group) {
        const stop = Math.min(g.end, s + g.used - 1);
        for (let c = s; c <= stop; c++) set.push(c);
      }
      if (next < 0) break;
      p = next;
    }
  } catch (e) {
    if (!(e instanceof KernelParseFailure)) throw e;
    const position = positionOfByte(text, e.byte);
    const details: { input: string; position: number; value?: number } = { input: text, position };
    if (e.value !== undefined) details.value = e.value;
    throw new CpuMapError(e.code,
      `invalid kernel cpu list at position ${position}: ${e.reason} (the kernel returns -${e.errno})\n${pointAt(text, position)}`,
      details);
  }
  if (sorted) return set;
  set.sort((a, b) => a - b);
  return set.filter((c, i) => i === 0 || c !== set[i - 1]); // bits are ORed: a cpu listed twice is one

}

/** Syntax only the kernel has: strides, N, "all", white space, or a list of separators only. */
const KERNEL_ONLY = /[:N]|all|^[\s,]*$|\d[ \t\v\f\r]|[ \t\v\f\r,]\s/i;

/**
 * For an error of the libperf parser: a hint when the text uses syntax
 * only the kernel accepts (strides, N, "all", the empty list, white space)
 * and is a valid kernel cpu list; else undefined.
 */
export function kernelSyntaxHint(text: string): string | undefined {
  if (!KERNEL_ONLY.test(text)) return undefined;
  try {
    parseKernelCpus(text);
  } catch {
    return undefined;
  }
  return "  (libperf's cpu list syntax does not accept this kernel cpu list: " +
    "use CpuMap.parse(text, { dialect: 'kernel' }), or cpumap parse --kernel)";
}
