// The CpuMap class: the idiomatic TypeScript API over the wasm core.
//
// A CpuMap object is a handle to one map block in linear memory. Each
// reference (the constructor's, every get(), every merge/intersect result) is
// owed one put(); the last put frees the block. With the reference checker
// off, get() returns the same object and a map has a single handle object, so
// using it after its last put is caught cheaply (EPUT). With the checker on
// (src/refcheck/), every reference is a handle of its own, a checked cell.

import type { Core } from './core.js';
import { defaultCore } from './instance.js';
import {
  CpuMapError, usedAfterPut, otherInstance, notAMap, describeValue,
} from './errors.js';
import { readOnlineList, fallbackOnlineCount } from './online.js';
import { parseKernelCpus, kernelSyntaxHint } from './kernel-list.js';

export interface ParseOptions {
  /**
   * Also reject what libperf silently accepts or drops: text after a
   * separator that does not start a number ("0, 1", "1,,2", "0,"), a range
   * end with white space, a sign or no digits ("1- 3", "0-"), NUL bytes and
   * the empty string (libperf's any-cpu map). A final newline stays allowed.
   */
  strict?: boolean;
  /**
   * 'libperf' (default), or 'kernel': the kernel's bitmap_parselist grammar
   * (strides "0-31:2/4", N, "all", the empty list; src/kernel-list.ts).
   */
  dialect?: 'libperf' | 'kernel';
  /** Kernel dialect only: the bitmap width ('N' is nbits - 1); default 32767. */
  nbits?: number;
}

export interface DecodeOptions {
  /**
   * Read like older perf does (default false): accept a RANGE any_cpu above
   * 1, used as a count of -1 entries. A MASK long_size other than 4 or 8 is
   * refused (EBADLONGSIZE) either way (docs/contract.md §7.4).
   */
  lenient?: boolean;
}


/** Creates the handle object for a new map block. */
export type HandleFactory = (core: Core, ptr: number) => CpuMap;
const fastHandle: HandleFactory = (core, ptr) => new CpuMap(core, ptr);
let chooseFactory: () => HandleFactory = () => fastHandle;

// The first map made decides, once, whether handles are plain or checked
// (src/config.ts); after that no call tests a flag.
let makeHandle: HandleFactory = (core, ptr) => {
  makeHandle = chooseFactory();
  return makeHandle(core, ptr);
};

/** @internal src/config.ts installs the choice between plain and checked handles. */
export function installFactoryChooser(choose: () => HandleFactory): void {
  chooseFactory = choose;
}

/** @internal A handle for a block that is a new map (refcount 1 held by the caller). */
export function wrapNew(core: Core, ptr: number): CpuMap {
  return makeHandle(core, ptr);
}

function checkInt(access: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${access}: ${name} must be an integer, got ${describeValue(v)}`);
  }
  return v;
}

export class CpuMap implements Iterable<number> {
  /** @internal */ readonly _core: Core;
  /** @internal The block; 0 once the last reference was put. */ _ptr: number;
  /**
   * @internal A map never changes once made, so the hot queries keep its
   * entry count and where its cpus start (an index into core.i16, which
   * stays valid when memory grows). 0 also when this reference may no
   * longer be used: every query then takes its checked slow path.
   */
  _nr: number;
  /** @internal */ readonly _base: number;
  /** @internal The map's shape bits (Core.SORTED, Core.RANGE): how idx() may search. */
  readonly _shape: number;

  /** @internal Use the static constructors. */
  constructor(core: Core, ptr: number) {
    this._core = core;
    this._ptr = ptr;
    this._nr = core.nrOf(ptr);
    this._base = core.cpusBase(ptr);
    this._shape = core.shapeOf(ptr);
  }

  // ---- constructors ----

  /**
   * A map from a cpu list in libperf's syntax ("0-3,8", "0x10", "1\n").
   * Throws CpuMapError (code, position, a caret under the fault) where
   * libperf returns NULL. The empty string is libperf's any-cpu map [-1]
   * (an error with { strict: true }).
   */
  static parse(list: string, options?: ParseOptions): CpuMap {
    if (typeof list !== 'string') throw new TypeError(`CpuMap.parse: list must be a string, got ${describeValue(list)}`);
    if (options?.dialect === 'kernel') return CpuMap.fromCpus(parseKernelCpus(list, options));
    if (options?.dialect !== undefined && options.dialect !== 'libperf') {
      throw new TypeError(`CpuMap.parse: dialect must be 'libperf' or 'kernel', got ${describeValue(options.dialect)}`);
    }
    const core = defaultCore;
    const ptr = core.parse(list, options?.strict ? core.STRICT : 0);
    if (ptr === 0) {
      const error = core.parseError(list);
      const hint = kernelSyntaxHint(list);
      if (hint !== undefined && error.code !== 'ENOMEM') error.message = error.message.replace('\n', `\n${hint}\n`);
      throw error;
    }
    return makeHandle(core, ptr);
  }

  /** A map of the given cpus (0..32766, or -1 for "any cpu"), sorted and de-duplicated. */
  static fromCpus(cpus: Iterable<number>): CpuMap {
    if (cpus == null || typeof (cpus as Iterable<number>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`CpuMap.fromCpus: expected an iterable of cpu numbers, got ${describeValue(cpus)}`);
    }
    const core = defaultCore;
    const values: number[] = [];
    for (const c of cpus) {
      checkInt('CpuMap.fromCpus', `cpu at index ${values.length}`, c);
      if (c < core.ANY_CPU || c >= core.CPU_LIMIT) {
        throw new CpuMapError('ERANGE', `CpuMap.fromCpus: cpu ${c} at index ${values.length} is outside ${core.ANY_CPU}..${core.CPU_LIMIT - 1}`,
          { value: c, position: values.length });
      }
      values.push(c);
    }
    const ptr = core.writeI16(values, 'CpuMap.fromCpus');
    return makeHandle(core, core.checkAlloc(core.ex.fromCpus(ptr, values.length), 'CpuMap.fromCpus'));
  }

  /**
   * The online cpus. Node: the sysfs online list, else 0..availableParallelism-1;
   * browsers: 0..navigator.hardwareConcurrency-1.
   */
  static online(): CpuMap {
    const core = defaultCore;
    const text = readOnlineList();
    if (text !== undefined) {
      const ptr = core.parse(text, 0);
      if (ptr !== 0) return makeHandle(core, ptr);
      core.checkAlloc(ptr, 'CpuMap.online');
    }
    const n = fallbackOnlineCount();
    return CpuMap.fromCpus(Array.from({ length: n }, (_, i) => i));
  }

  /** The any-cpu map [-1]: an event bound to a task, not to cpus. */
  static anyCpu(): CpuMap {
    const core = defaultCore;
    return makeHandle(core, core.checkAlloc(core.ex.newInt(core.ANY_CPU), 'CpuMap.anyCpu'));
  }

  /** A map with no cpus (nr 0). libperf has no such object: its empty map is NULL. */
  static empty(): CpuMap {
    const core = defaultCore;
    return makeHandle(core, core.checkAlloc(core.ex.newEmpty(), 'CpuMap.empty'));
  }

  /**
   * A map from a PERF_RECORD_CPU_MAP event (header included) or its payload
   * alone. Decoded maps keep the stored order, unsorted and duplicates
   * included, as perf does. A payload without cpus gives the empty map.
   */
  static decode(bytes: Uint8Array, options?: DecodeOptions): CpuMap {
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError(`CpuMap.decode: expected a Uint8Array, got ${describeValue(bytes)}`);
    }
    const core = defaultCore;
    const start = core.payloadStart(bytes);
    const end = core.payloadEnd(bytes, start);
    const ptr = core.decode(bytes, start, end, options?.lenient ? 0 : core.STRICT);
    if (ptr !== 0) return makeHandle(core, ptr);
    if (core.isEmptyPayload()) return CpuMap.empty();
    throw core.decodeError(bytes, start, end);
  }

  // ---- references ----

  /** @internal The block, or a throw if this reference may not be used. */
  _p(access: string): number {
    const p = this._ptr;
    if (p === 0) throw usedAfterPut(access);
    return p;
  }

  /** @internal The block of another map of the same instance. */
  _other(other: CpuMap, access: string): number {
    if (!(other instanceof CpuMap)) throw notAMap(access, other);
    if (other._core !== this._core) throw otherInstance(access);
    return other._p(access);
  }

  /**
   * @internal A handle for a new reference to `ptr`, which may be this map's
   * or `other`'s block: the checker gives every reference its own cell.
   */
  _newRef(ptr: number, other?: CpuMap | null): CpuMap {
    if (ptr === this._ptr) return this;
    if (other != null && ptr === other._ptr) return other;
    return makeHandle(this._core, ptr);
  }

  /** A new reference to this map; put() it when done. */
  get(): CpuMap {
    const core = this._core;
    if (core.ex.get(this._p('get')) === 0) throw core.statusError('CpuMap.get');
    return this._newRef(this._ptr);
  }

  /** Drop this reference; the last put frees the map. */
  put(): void {
    const left = this._core.ex.put(this._p('put'));
    if (left < 0) throw this._core.statusError('CpuMap.put');
    if (left === 0) {
      this._ptr = 0;
      this._nr = 0;
    }
  }

  /** The count of references to this map (libperf's refcnt). */
  get refcount(): number {
    return this._core.refcnt(this._p('refcount'), 'CpuMap.refcount');
  }

  // ---- queries ----

  // The hot queries read linear memory in place. Their fast path needs only
  // _nr and _base; anything unusual (an empty or released map, a bad
  // argument) goes to a slow path that checks everything and says what is wrong.

  /** Number of entries (0 for the empty map). */
  get nr(): number {
    const n = this._nr;
    return n !== 0 ? n : this._core.nrOf(this._p('nr'));
  }

  /** Entry `idx`, 0 <= idx < nr. */
  cpu(idx: number): number {
    if ((idx >>> 0) !== idx || idx >= this._nr) return this._cpuSlow(idx);
    return this._core.i16[this._base + idx]!;
  }

  /** @internal */
  _cpuSlow(idx: unknown): number {
    const p = this._p('cpu');
    checkInt('CpuMap.cpu', 'idx', idx);
    const n = this._core.nrOf(p);
    if ((idx as number) >= 0 && (idx as number) < n) return this._core.cpuAt(p, idx as number);
    throw new CpuMapError('EINDEX', `CpuMap.cpu: index ${idx} is outside 0..${n - 1}`, { value: idx as number });
  }

  /** Index of `cpu`, or -1 (libperf's binary search: on unsorted decoded maps it can miss). */
  idx(cpu: number): number {
    if ((cpu | 0) !== cpu || this._nr === 0) return this._idxSlow(cpu, 'idx');
    const core = this._core;
    const shape = this._shape;
    if (shape & core.RANGE) return core.offsetInRange(this._base, this._nr, cpu);
    if (shape & core.SORTED) return core.searchSorted(this._base, this._nr, cpu);
    return core.search(this._base, this._nr, cpu);
  }

  /** @internal */
  _idxSlow(cpu: unknown, access: string): number {
    const p = this._p(access);
    checkInt(`CpuMap.${access}`, 'cpu', cpu);
    return this._core.idx(p, cpu as number);
  }

  /** Whether `cpu` is in the map (libperf's binary search). */
  has(cpu: number): boolean {
    if ((cpu | 0) !== cpu || this._nr === 0) return this._idxSlow(cpu, 'has') !== -1;
    return this.idx(cpu) !== -1;
  }

  /** The first entry that is not -1, in index order; -1 if none. */
  min(): number {
    return this._core.min(this._p('min'));
  }

  /** The last entry (the largest in a sorted map); -1 for the empty map. */
  max(): number {
    return this._core.max(this._p('max'));
  }

  /** True for the map with no cpus. */
  isEmpty(): boolean {
    return this._core.nrOf(this._p('isEmpty')) === 0;
  }

  /** True when the first entry is -1 (the any-cpu value). */
  hasAnyCpu(): boolean {
    return this._core.hasAnyCpu(this._p('hasAnyCpu'));
  }

  /** Same entries in the same order. */
  equals(other: CpuMap): boolean {
    const a = this._p('equals');
    return this._core.equal(a, this._other(other, 'equals'));
  }

  /** Whether every cpu of this map is in `other` (libperf's walk over sorted maps). */
  isSubsetOf(other: CpuMap): boolean {
    const a = this._p('isSubsetOf');
    return this._core.isSubset(this._other(other, 'isSubsetOf'), a);
  }

  /** The union, as a new reference (to this map or `other` when one holds the other). */
  merge(other: CpuMap): CpuMap {
    const a = this._p('merge');
    const b = this._other(other, 'merge');
    const ex = this._core.ex;
    const r = ex.merge(a, b);
    if (r === 0) throw this._core.statusError('CpuMap.merge');
    if (r === a) ex.get(a); // merge hands back `a` itself without a new reference
    return this._newRef(r, other);
  }

  /** The common cpus, as a new reference (to an input that the other contains, else a new map). */
  intersect(other: CpuMap): CpuMap {
    const a = this._p('intersect');
    const b = this._other(other, 'intersect');
    const core = this._core;
    const r = core.ex.intersect(a, b);
    if (r === 0) {
      core.checkAlloc(r, 'CpuMap.intersect'); // 0 and status OK: nothing in common
      return makeHandle(core, core.checkAlloc(core.ex.newEmpty(), 'CpuMap.intersect'));
    }
    return this._newRef(r, other);
  }

  /** The entries as a new array. */
  toArray(): number[] {
    return Array.from(this._core.cpusOf(this._p('toArray')));
  }

  *[Symbol.iterator](): IterableIterator<number> {
    const core = this._core;
    const n = core.nrOf(this._p('iterate'));
    // re-read the view each step: code in the loop may grow memory
    for (let i = 0; i < n; i++) yield core.cpuAt(this._p('iterate'), i);
  }

  /** perf's cpu list: runs as "a-b", joined by commas ("" for the empty map). */
  toString(): string {
    return this._core.formatList(this._p('toString'), 'CpuMap.toString');
  }

  /** perf's hex mask ("1,00000003"); "0" for the empty map; ENEGATIVE if -1 is in the map. */
  toMask(): string {
    return this._core.formatMask(this._p('toMask'), 'CpuMap.toMask');
  }

  /** The PERF_RECORD_CPU_MAP event (8-byte header included) that perf would write. */
  encode(): Uint8Array {
    return this._core.encode(this._p('encode'), 'CpuMap.encode');
  }

  /** JSON: the list of cpus. */
  toJSON(): number[] {
    return this.toArray();
  }
}

// `using m = CpuMap.parse(...)` puts the map at the end of the block
const dispose = (Symbol as { dispose?: symbol }).dispose;
if (dispose !== undefined) {
  Object.defineProperty(CpuMap.prototype, dispose, {
    value: function (this: CpuMap) { this.put(); },
    writable: true,
    configurable: true,
  });
}
export interface CpuMap extends Disposable {}

/** The payload of a whole PERF_RECORD_CPU_MAP event, or the bytes themselves (ETRUNCATED for a bad header.size). */
export function eventPayload(bytes: Uint8Array): Uint8Array {
  const start = defaultCore.payloadStart(bytes);
  return start === 0 ? bytes : bytes.subarray(start, defaultCore.payloadEnd(bytes, start));
}

