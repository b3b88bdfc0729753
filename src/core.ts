// The host core: one wasm instance, views on its memory, strings and bytes in
// and out through the scratch block, and wasm status turned into errors.
// The CpuMap class and the libperf functions are thin layers over this.

import {
  CpuMapError, codeOfStatus, parseError, payloadError, outOfMemory, WASM_EMPTY_PAYLOAD,
} from './errors.js';

/** The wasm exports (assembly/index.ts). Maps are pointers, 0 is NULL. */
export interface WasmExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  scratch(size: number): number;
  shrinkScratch(): void;
  statusCode(): number;
  statusOffset(): number;
  statusValue(): number;
  setLimitPages(pages: number): void;
  getLimitPages(): number;
  liveBlockCount(): number;
  liveByteCount(): number;
  isLive(ptr: number): number;
  parse(ptr: number, len: number, flags: number): number;
  fromCpus(ptr: number, n: number): number;
  newInt(cpu: number): number;
  newEmpty(): number;
  get(map: number): number;
  put(map: number): number;
  refcnt(map: number): number;
  nr(map: number): number;
  cpu(map: number, idx: number): number;
  idx(map: number, cpu: number): number;
  has(map: number, cpu: number): number;
  min(map: number): number;
  max(map: number): number;
  hasAnyCpu(map: number): number;
  hasAnyCpuOrIsEmpty(map: number): number;
  isAnyCpuOrIsEmpty(map: number): number;
  equal(a: number, b: number): number;
  isSubset(a: number, b: number): number;
  merge(orig: number, other: number): number;
  intersect(orig: number, other: number): number;
  formatListTo(map: number, out: number, cap: number): number;
  formatMaskTo(map: number, out: number, cap: number): number;
  encodeTo(map: number, out: number, cap: number): number;
  decode(ptr: number, len: number, flags: number): number;
}

export const STRICT = 1;
/** Map block layout (assembly/map.ts): [u32 refcnt][i32 nr][i16 cpus...]. */
const NR_I32 = 1;
const CPUS_I16 = 4;

const encoder = new TextEncoder();
/** Inputs above this many bytes get exact-size scratch, released after use. */
const LARGE = 1 << 16;
const decoder = new TextDecoder();

export class Core {
  readonly ex: WasmExports;
  /** Views on linear memory; rebuilt by sync() whenever memory grew. */
  u8!: Uint8Array;
  i16!: Int16Array;
  i32!: Int32Array;

  constructor(instance: { readonly exports: object }) {
    this.ex = instance.exports as unknown as WasmExports;
    this.sync();
  }

  /**
   * A grow detaches every view on the old buffer (its length drops to 0).
   * Only wasm calls that allocate can grow memory, and each of them is
   * followed by sync(); a view's length (not byteLength: 6x slower in V8) is cheaper than reading
   * memory.buffer after every call.
   */
  sync(): void {
    if (this.u8 === undefined || this.u8.length === 0) {
      const buffer = this.ex.memory.buffer;
      this.u8 = new Uint8Array(buffer);
      this.i16 = new Int16Array(buffer);
      this.i32 = new Int32Array(buffer);
    }
  }

  // ---- direct reads of a map block (the hot queries never cross into wasm) ----

  nrOf(ptr: number): number { return this.i32[(ptr >> 2) + NR_I32]!; }
  cpuAt(ptr: number, idx: number): number { return this.i16[(ptr >> 1) + CPUS_I16 + idx]!; }
  /** libperf's binary search (assembly/map.ts mapIdx), on the block in place. */
  idxOf(ptr: number, cpu: number): number {
    return this.search((ptr >> 1) + CPUS_I16, this.nrOf(ptr), cpu);
  }
  /** The same search over the `nr` cpus starting at i16 index `base`. */
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
  cpusOf(ptr: number): Int16Array {
    const start = (ptr >> 1) + CPUS_I16;
    return this.i16.subarray(start, start + this.nrOf(ptr));
  }

  // ---- data in and out ----

  /**
   * The scratch block, as last seen: wasm moves it only inside scratch()
   * (and shrinkScratch), so a parse of a short list needs no call just to
   * find where to write.
   */
  scratchPtr = 0;
  private scratchCap = 0;

  /** At least `size` bytes of scratch; its pointer. */
  scratch(size: number, what: string): number {
    if (size <= this.scratchCap) return this.scratchPtr;
    const ptr = this.ex.scratch(size);
    this.sync();
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
    this.scratchPtr = ptr;
    return ptr;
  }

  /** After a large input: give a large scratch block back to the allocator for maps. */
  releaseLargeScratch(): void {
    if (this.scratchCap > LARGE) {
      this.ex.shrinkScratch();
      this.scratchCap = 0;
    }
  }

  writeI16(values: ArrayLike<number>, what: string): number {
    const ptr = this.scratch(values.length * 2, what);
    this.i16.set(values, ptr >> 1);
    return ptr;
  }

  // ---- text and events out (room sized as assembly/format.ts and payload.ts size it) ----

  /** perf's cpu list of a map (0: NULL, printed "-1"). */
  formatList(ptr: number, what: string): string {
    const cap = (ptr === 0 ? 1 : this.nrOf(ptr)) * 7 + 8;
    const out = this.scratch(cap, what);
    return this.text(out, this.ex.formatListTo(ptr, out, cap), what);
  }

  /** perf's hex mask of a map; ENEGATIVE for NULL and negative cpus. */
  formatMask(ptr: number, what: string): string {
    const n = ptr === 0 ? 0 : this.nrOf(ptr);
    const top = n === 0 ? 0 : Math.max(0, this.cpuAt(ptr, n - 1));
    const cap = (top >> 2) + (top >> 5) + 8;
    const out = this.scratch(cap, what);
    return this.text(out, this.ex.formatMaskTo(ptr, out, cap), what);
  }

  /** The PERF_RECORD_CPU_MAP event of a map (NULL is written like [-1]). */
  encode(ptr: number, what: string): Uint8Array {
    const n = ptr === 0 ? 1 : this.nrOf(ptr);
    const cap = 8 + ((Math.max(4 + 2 * n, 6 + 4 * 1024) + 7) & ~7);
    const out = this.scratch(cap, what);
    const len = this.ex.encodeTo(ptr, out, cap);
    if (len < 0) throw this.statusError(what);
    return this.u8.slice(out, out + len);
  }

  private text(at: number, len: number, what: string): string {
    if (len < 0) throw this.statusError(what);
    const u8 = this.u8;
    // a character loop for short text; TextDecoder's fixed cost pays off past a few dozen
    if (len <= 32) {
      let s = '';
      for (let i = 0; i < len; i++) s += String.fromCharCode(u8[at + i]!);
      return s;
    }
    return decoder.decode(u8.subarray(at, at + len));
  }

  // ---- constructors that return a raw pointer or throw ----

  /** perf_cpu_map__new's grammar. Returns 0 (libperf's NULL) on failure unless `throwOn`. */
  parse(list: string, flags: number): number {
    const len = this.writeString(list, 'parse');
    const map = this.ex.parse(this.scratchPtr, len, flags);
    this.sync();
    if (len > LARGE) this.releaseLargeScratch();
    return map;
  }

  parseError(list: string): CpuMapError {
    const code = codeOfStatus(this.ex.statusCode());
    if (code === 'ENOMEM') return outOfMemory('parse');
    return parseError(code, list, this.ex.statusOffset(), this.ex.statusValue());
  }

  /** Decode a payload; 0 with isEmptyPayload() true for a valid payload without cpus. */
  decode(payload: Uint8Array, flags: number): number {
    const ptr = this.writeBytes(payload, 'decode');
    const map = this.ex.decode(ptr, payload.length, flags);
    this.sync();
    if (payload.length > LARGE) this.releaseLargeScratch();
    return map;
  }

  isEmptyPayload(): boolean { return this.ex.statusCode() === WASM_EMPTY_PAYLOAD; }

  decodeError(payload: Uint8Array): CpuMapError {
    const status = this.ex.statusCode();
    const code = codeOfStatus(status);
    if (code === 'ENOMEM') return outOfMemory('decode');
    const type = payload.length >= 2 ? payload[0]! | (payload[1]! << 8) : -1;
    return payloadError(code, type, this.ex.statusOffset(), this.ex.statusValue());
  }

  /** Throw ENOMEM if the last allocating call returned 0 for lack of memory. */
  checkAlloc(ptr: number, what: string): number {
    this.sync();
    if (ptr === 0 && this.ex.statusCode() !== 0) throw this.statusError(what);
    return ptr;
  }

  statusError(what: string): CpuMapError {
    const code = codeOfStatus(this.ex.statusCode());
    if (code === 'ENOMEM') return outOfMemory(what);
    if (code === 'ENEGATIVE') {
      return new CpuMapError('ENEGATIVE',
        `${what}: a map holding cpu ${this.ex.statusValue()} has no hex mask (only cpus 0 and up have bits)`,
        { value: this.ex.statusValue() });
    }
    if (code === 'ETOOLARGE') {
      return new CpuMapError('ETOOLARGE',
        `${what}: ${this.ex.statusValue()} cpus do not fit one CPU_MAP event (its size is a u16)`);
    }
    return new CpuMapError(code, `${what} failed (${code})`);
  }
}
