// The host core: one wasm instance, views on its memory that keep
// themselves valid, strings and bytes in and out through the scratch block,
// the public queries (one implementation each, read in place), and wasm
// status turned into errors. The CpuMap class and the libperf functions are
// thin layers over this; the wasm boundary is this file (and WasmExports).

import {
  CpuMapError, type CpuMapErrorCode, parseError, payloadError, outOfMemory, internalError,
} from './errors.js';
import type { WasmInstance, WasmMemory } from './wasm-api.js';

/** The functions of the wasm ABI (assembly/index.ts). Maps are pointers, 0 is NULL. */
export interface WasmFunctions {
  statusCode(): number;
  statusOffset(): number;
  statusValue(): number;
  scratch(size: number): number;
  scratchAddress(): number;
  shrinkScratch(): void;
  setLimitPages(pages: number): void;
  liveBlockCount(): number;
  liveByteCount(): number;
  get(map: number): number;
  put(map: number): number;
  refcnt(map: number): number;
  parse(ptr: number, len: number, flags: number): number;
  fromCpus(ptr: number, n: number): number;
  newInt(cpu: number): number;
  newEmpty(): number;
  decode(ptr: number, len: number, flags: number): number;
  equalCpus(a: number, b: number): number;
  isSubset(a: number, b: number): number;
  merge(orig: number, other: number): number;
  intersect(orig: number, other: number): number;
  formatList(map: number): number;
  formatMask(map: number): number;
  encode(map: number): number;
}
export interface WasmExports extends WasmFunctions {
  readonly memory: WasmMemory;
}

/** What a wasm status code means to the host: a CpuMapError code, or one of two non-errors. */
type Status = CpuMapErrorCode | 'OK' | 'EMPTY_PAYLOAD';
/** The wasm globals STATUS_<name> whose names the host knows; every other code is an internal error. */
const STATUS_NAMES: readonly Status[] = [
  'OK', 'EMPTY_PAYLOAD', 'ENOMEM', 'ESYNTAX', 'ERANGE', 'EREVERSED', 'EDUPLICATE', 'EEMPTY', 'ETRAILING',
  'ENEGATIVE', 'ETRUNCATED', 'EBADTYPE', 'EBADLONGSIZE', 'EBADCPU', 'EBADANYCPU', 'EREFCOUNT', 'ETOOLARGE',
];

/** The value of an exported wasm global (a WebAssembly.Global: an object with `value`). */
function globalValue(exports: object, name: string): number {
  const g = (exports as Record<string, { value?: unknown } | undefined>)[name];
  if (typeof g !== 'object' || g === null || typeof g.value !== 'number') {
    throw internalError(`the wasm module exports no ${name}`);
  }
  return g.value;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Inputs above this many bytes get exact-size scratch, released after use. */
const LARGE = 1 << 16;

export class Core {
  readonly ex: WasmExports;
  /** Flag of parse and decode: reject what libperf silently accepts. */
  readonly STRICT: number;
  /** The first cpu number the parser rejects. */
  readonly CPU_LIMIT: number;
  /** The any-cpu value. */
  readonly ANY_CPU: number;
  /** perf_event_header.type of a cpu map event, and the header's size in bytes. */
  readonly PERF_RECORD_CPU_MAP: number;
  readonly EVENT_HEADER_BYTES: number;
  /** Where a map's fields are, in units of the views: i32 index of nr and shape, i16 index of the first cpu. */
  private readonly nrSlot: number;
  private readonly shapeSlot: number;
  private readonly cpusSlot: number;
  /** Shape bits: entries strictly ascending; entries one range (entry i is entry 0 + i). */
  readonly SORTED: number;
  readonly RANGE: number;
  private readonly statusOf = new Map<number, Status>();

  constructor(instance: WasmInstance) {
    const exports = instance.exports;
    this.ex = exports as unknown as WasmExports;
    this.STRICT = globalValue(exports, 'STRICT');
    this.CPU_LIMIT = globalValue(exports, 'CPU_LIMIT');
    this.ANY_CPU = globalValue(exports, 'ANY_CPU');
    this.PERF_RECORD_CPU_MAP = globalValue(exports, 'PERF_RECORD_CPU_MAP');
    this.EVENT_HEADER_BYTES = globalValue(exports, 'EVENT_HEADER_BYTES');
    this.nrSlot = globalValue(exports, 'MAP_NR_OFFSET') >> 2;
    this.shapeSlot = globalValue(exports, 'MAP_SHAPE_OFFSET') >> 2;
    this.SORTED = globalValue(exports, 'SHAPE_SORTED');
    this.RANGE = globalValue(exports, 'SHAPE_RANGE');
    this.cpusSlot = globalValue(exports, 'MAP_CPUS_OFFSET') >> 1;
    for (const name of STATUS_NAMES) this.statusOf.set(globalValue(exports, `STATUS_${name}`), name);
    this.remap();
  }

  // ---- views on linear memory ----
  //
  // A grow detaches every view on the old buffer (its length drops to 0), and
  // any call that allocates may grow memory, on success or on failure. So the
  // views are never used without the check in these getters: a detached view
  // is rebuilt on first use, wherever the call that grew memory was made.

  private _u8!: Uint8Array;
  private _i16!: Int16Array;
  private _i32!: Int32Array;

  private remap(): void {
    const buffer = this.ex.memory.buffer;
    this._u8 = new Uint8Array(buffer);
    this._i16 = new Int16Array(buffer);
    this._i32 = new Int32Array(buffer);
  }

  get u8(): Uint8Array {
    if (this._u8.length === 0) this.remap();
    return this._u8;
  }
  get i16(): Int16Array {
    if (this._i16.length === 0) this.remap();
    return this._i16;
  }
  get i32(): Int32Array {
    if (this._i32.length === 0) this.remap();
    return this._i32;
  }

  // ---- map blocks, read in place ----

  /** i16 index of a map's first cpu: fixed for the map's life, valid across grows. */
  cpusBase(ptr: number): number { return (ptr >> 1) + this.cpusSlot; }
  /** Entry count of a (non-NULL) map block. */
  nrOf(ptr: number): number { return this.i32[(ptr >> 2) + this.nrSlot]!; }
  /** What is known of a (non-NULL) map's order: SORTED and RANGE bits, fixed for its life. */
  shapeOf(ptr: number): number { return this.i32[(ptr >> 2) + this.shapeSlot]!; }
  /** Entry `idx` of a (non-NULL) map block, 0 <= idx < nr. */
  cpuAt(ptr: number, idx: number): number { return this.i16[this.cpusBase(ptr) + idx]!; }
  cpusOf(ptr: number): Int16Array {
    const start = this.cpusBase(ptr);
    return this.i16.subarray(start, start + this.nrOf(ptr));
  }

  // ---- the queries of docs/contract.md §4, one implementation each ----
  // `ptr` 0 is libperf's NULL and gets NULL's answers; the CpuMap class never
  // passes 0 (its empty map is a block with nr 0).

  nr(ptr: number): number { return ptr === 0 ? 1 : this.nrOf(ptr); }

  cpu(ptr: number, idx: number): number {
    if (ptr === 0 || (idx >>> 0) !== idx || idx >= this.nrOf(ptr)) return this.ANY_CPU;
    return this.cpuAt(ptr, idx);
  }

  /**
   * libperf's binary search on the block in place. Its answer on a strictly
   * ascending map is the index of `cpu` whichever way it is found, so those
   * take quicker ways; an unsorted (decoded) map gets libperf's exact steps.
   */
  idx(ptr: number, cpu: number): number {
    if (ptr === 0) return -1;
    const shape = this.shapeOf(ptr);
    const base = this.cpusBase(ptr);
    const nr = this.nrOf(ptr);
    if (shape & this.RANGE) return this.offsetInRange(base, nr, cpu);
    if (shape & this.SORTED) return this.searchSorted(base, nr, cpu);
    return this.search(base, nr, cpu);
  }

  /** idx() in a map of one range: no search. */
  offsetInRange(base: number, nr: number, cpu: number): number {
    const d = cpu - this.i16[base]!;
    return (d >>> 0) < nr ? d : -1;
  }

  /** idx() in a strictly ascending map: halving without a branch on the data (random probes mispredict). */
  searchSorted(base: number, nr: number, cpu: number): number {
    if (cpu !== (cpu << 16) >> 16) return -1; // no int16 entry equals it (and the difference below must fit)
    const cpus = this.i16;
    let at = base;
    let n = nr;
    while (n > 1) {
      const half = n >>> 1;
      // all ones when cpus[at + half] <= cpu (int16 entries: the difference fits)
      at += half & ((cpus[at + half]! - cpu - 1) >> 31);
      n -= half;
    }
    return n === 1 && cpus[at] === cpu ? at - base : -1;
  }

  /** libperf's binary search over the `nr` cpus from i16 index `base`, step by step. */
  search(base: number, nr: number, cpu: number): number {
    const cpus = this.i16;
    let low = 0;
    let high = nr;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const v = cpus[base + mid]!;
      if (v === cpu) return mid;
      if (v > cpu) high = mid;
      else low = mid + 1;
    }
    return -1;
  }

  /** The first entry that is not the any-cpu value, in index order. */
  min(ptr: number): number {
    const any = this.ANY_CPU;
    if (ptr === 0) return any;
    const cpus = this.i16;
    const base = this.cpusBase(ptr);
    const end = base + this.nrOf(ptr);
    for (let i = base; i < end; i++) {
      const v = cpus[i]!;
      if (v !== any) return v;
    }
    return any;
  }

  /** The last entry. */
  max(ptr: number): number {
    const n = ptr === 0 ? 0 : this.nrOf(ptr);
    return n === 0 ? this.ANY_CPU : this.cpuAt(ptr, n - 1);
  }

  /** First entry is the any-cpu value (false for NULL and for no entry). */
  hasAnyCpu(ptr: number): boolean {
    return ptr !== 0 && this.nrOf(ptr) > 0 && this.cpuAt(ptr, 0) === this.ANY_CPU;
  }

  /** NULL, no entry, or a first entry that is the any-cpu value. */
  hasAnyCpuOrIsEmpty(ptr: number): boolean {
    return ptr === 0 || this.nrOf(ptr) === 0 || this.cpuAt(ptr, 0) === this.ANY_CPU;
  }

  /** NULL, no entry, or exactly [-1]. */
  isAnyCpuOrIsEmpty(ptr: number): boolean {
    if (ptr === 0) return true;
    const n = this.nrOf(ptr);
    return n === 0 || (n === 1 && this.cpuAt(ptr, 0) === this.ANY_CPU);
  }

  /** Same map (NULL equals NULL), or same entries in the same order; one NULL: false. */
  equal(a: number, b: number): boolean {
    if (a === b) return true;
    if (a === 0 || b === 0) return false;
    const n = this.nrOf(a);
    if (n !== this.nrOf(b)) return false;
    // two single ranges of one length are equal when they start together
    if (this.shapeOf(a) & this.shapeOf(b) & this.RANGE) return n === 0 || this.cpuAt(a, 0) === this.cpuAt(b, 0);
    return this.ex.equalCpus(a, b) !== 0;
  }
  /** Is `b` contained in `a` (libperf's argument order). */
  isSubset(a: number, b: number): boolean { return this.ex.isSubset(a, b) !== 0; }

  /** The wasm count of a live map; 0 for NULL. */
  refcnt(ptr: number, what: string): number {
    const n = this.ex.refcnt(ptr) >>> 0;
    if (n === 0 && ptr !== 0) throw this.statusError(what);
    return n;
  }

  /** Blocks held by maps (scratch and temp buffers excluded): a leak check for tests. */
  liveMaps(): number { return this.ex.liveBlockCount(); }

  // ---- data in ----

  /**
   * The scratch block, as last seen: wasm moves it only inside scratch(),
   * shrinkScratch() and the calls that write output there, so a parse of a
   * short list needs no call just to find where to write.
   */
  scratchPtr = 0;
  private scratchCap = 0;

  /** At least `size` bytes of scratch; its pointer. */
  scratch(size: number, what: string): number {
    if (size <= this.scratchCap) return this.scratchPtr;
    const ptr = this.ex.scratch(size);
    if (ptr === 0) {
      this.scratchCap = 0;
      throw outOfMemory(what);
    }
    this.scratchPtr = ptr;
    this.scratchCap = size;
    return ptr;
  }

  /** UTF-8 of `s` in scratch (at this.scratchPtr); returns its byte length. */
  writeString(s: string, what: string): number {
    if (s.length > LARGE) {
      // exact size for long text: s.length * 3 bytes of scratch would be wasted
      const bytes = encoder.encode(s);
      this.writeBytes(bytes, what);
      return bytes.length;
    }
    const max = s.length * 3;
    const ptr = this.scratch(max, what);
    const u8 = this.u8;
    // short ASCII lists are the common case: skip TextEncoder's call overhead
    if (s.length <= 64) {
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        u8[ptr + i] = c;
      }
      if (i === s.length) return i;
    }
    return encoder.encodeInto(s, u8.subarray(ptr, ptr + max)).written;
  }

  writeBytes(bytes: Uint8Array, what: string): number {
    const ptr = this.scratch(bytes.length, what);
    this.u8.set(bytes, ptr);
    return ptr;
  }

  writeI16(values: ArrayLike<number>, what: string): number {
    const ptr = this.scratch(values.length * 2, what);
    this.i16.set(values, ptr >> 1);
    return ptr;
  }

  /** After a large input: give a large scratch block back to the allocator for maps. */
  private releaseLargeScratch(): void {
    if (this.scratchCap > LARGE) {
      this.ex.shrinkScratch();
      this.scratchCap = 0;
    }
  }

  // ---- text and events out (wasm sizes and writes them at the scratch block) ----

  /** The scratch block moved if the output needed more room: learn where it is now. */
  private output(len: number, what: string): number {
    if (len < 0) throw this.statusError(what);
    const at = this.ex.scratchAddress();
    if (at !== this.scratchPtr) {
      // it moved to a block of at least `len` bytes
      this.scratchPtr = at;
      this.scratchCap = len;
    }
    return at;
  }

  /** perf's cpu list of a map (0: NULL, printed "-1"). */
  formatList(ptr: number, what: string): string {
    const len = this.ex.formatList(ptr);
    return this.text(this.output(len, what), len);
  }

  /** perf's hex mask of a map; ENEGATIVE for NULL and negative cpus. */
  formatMask(ptr: number, what: string): string {
    const len = this.ex.formatMask(ptr);
    return this.text(this.output(len, what), len);
  }

  /** The PERF_RECORD_CPU_MAP event of a map (NULL is written like [-1]). */
  encode(ptr: number, what: string): Uint8Array {
    const len = this.ex.encode(ptr);
    const at = this.output(len, what);
    return this.u8.slice(at, at + len);
  }

  private text(at: number, len: number): string {
    const u8 = this.u8;
    // a character loop for short text; TextDecoder's fixed cost pays off past a few dozen
    if (len <= 32) {
      let s = '';
      for (let i = 0; i < len; i++) s += String.fromCharCode(u8[at + i]!);
      return s;
    }
    return decoder.decode(u8.subarray(at, at + len));
  }

  // ---- constructors: a block pointer, or 0 with the status set ----

  /** perf_cpu_map__new's grammar; 0 (libperf's NULL) on failure, see parseError(). */
  parse(list: string, flags: number): number {
    const len = this.writeString(list, 'parse');
    const map = this.ex.parse(this.scratchPtr, len, flags);
    if (len > LARGE) this.releaseLargeScratch();
    return map;
  }

  /**
   * Decode the payload at bytes[start..end); 0 on failure or, with
   * isEmptyPayload(), for a valid payload without cpus.
   */
  decode(bytes: Uint8Array, start: number, end: number, flags: number): number {
    const len = end - start;
    const ptr = this.scratch(len, 'decode');
    const u8 = this.u8;
    // a short payload byte by byte: no subarray object for it
    if (len <= 64) for (let i = 0; i < len; i++) u8[ptr + i] = bytes[start + i]!;
    else u8.set(bytes.subarray(start, end), ptr);
    const map = this.ex.decode(ptr, len, flags);
    if (len > LARGE) this.releaseLargeScratch();
    return map;
  }

  /** Where the payload of `bytes` starts: after the header of a whole PERF_RECORD_CPU_MAP event, else 0. */
  payloadStart(bytes: Uint8Array): number {
    const h = this.EVENT_HEADER_BYTES;
    // a payload's first u16 is its type (0..2), so it never reads as the event type
    if (bytes.length < h || (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) !== this.PERF_RECORD_CPU_MAP) return 0;
    return h;
  }

  /** Where the payload that starts at `start` ends: the event's header.size, checked, or the end of `bytes`. */
  payloadEnd(bytes: Uint8Array, start: number): number {
    if (start === 0) return bytes.length;
    const size = bytes[6]! | (bytes[7]! << 8);
    if (size < start || size > bytes.length) {
      throw new CpuMapError('ETRUNCATED',
        `invalid CPU_MAP event: header.size ${size} ${size < start ? 'is smaller than the header' : `but only ${bytes.length} bytes are present`} (field header.size, offset 6)`,
        { field: 'header.size', offset: 6, value: size });
    }
    return size;
  }

  // ---- status ----

  /** The last call's status, by name. */
  status(): Status {
    const code = this.ex.statusCode();
    const name = this.statusOf.get(code);
    if (name === undefined) throw internalError(`unknown wasm status code ${code}`);
    return name;
  }

  isEmptyPayload(): boolean { return this.status() === 'EMPTY_PAYLOAD'; }

  /** A map pointer from an allocating call: itself, or a throw when it is 0 because the call failed. */
  checkAlloc(ptr: number, what: string): number {
    if (ptr === 0 && this.status() !== 'OK') throw this.statusError(what);
    return ptr;
  }

  parseError(list: string): CpuMapError {
    const code = this.failure();
    if (code === 'ENOMEM') return outOfMemory('parse');
    return parseError(code, list, this.ex.statusOffset(), this.ex.statusValue());
  }

  decodeError(bytes: Uint8Array, start: number, end: number): CpuMapError {
    const code = this.failure();
    if (code === 'ENOMEM') return outOfMemory('decode');
    const type = end - start >= 2 ? bytes[start]! | (bytes[start + 1]! << 8) : -1;
    return payloadError(code, type, this.ex.statusOffset(), this.ex.statusValue());
  }

  /** The error of the last call, which failed. */
  statusError(what: string): CpuMapError {
    const code = this.failure();
    const value = this.ex.statusValue();
    if (code === 'ENOMEM') return outOfMemory(what);
    if (code === 'ENEGATIVE') {
      return new CpuMapError('ENEGATIVE',
        `${what}: a map holding cpu ${value} has no hex mask (only cpus 0 and up have bits)`, { value });
    }
    if (code === 'ETOOLARGE') {
      return new CpuMapError('ETOOLARGE', `${what}: ${value} cpus do not fit one CPU_MAP event (its size is a u16)`, { value });
    }
    if (code === 'EREFCOUNT') {
      return new CpuMapError('EREFCOUNT', `${what}: the wasm refcount refused it: this block is no longer a live map`);
    }
    return new CpuMapError(code, `${what} failed (${code})`);
  }

  /** The status of a call that failed: an error code (a call that did not fail is an internal error). */
  private failure(): CpuMapErrorCode {
    const status = this.status();
    if (status === 'OK' || status === 'EMPTY_PAYLOAD') throw internalError(`a call failed with status ${status}`);
    return status;
  }
}
