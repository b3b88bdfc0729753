// @ts-check
/**
 * emcc-peer.mjs - loads bench/build/cpumap-emcc.wasm (bench/c/cpumap.c built
 * by emcc -sSTANDALONE_WASM, see bench/c/build.sh) and drives it from JS.
 *
 * Maps are plain pointers into the module's linear memory (0 is NULL, the
 * empty map); the caller owns references exactly as in C (put what parse,
 * get, intersect and decode return; merge consumes and replaces orig).
 * Strings and payloads travel through one scratch block allocated with
 * cm_alloc and grown on demand.
 */
import { readFile } from 'node:fs/promises';

const ENOMEM = -12;

/**
 * @typedef {object} CmExports
 * @property {WebAssembly.Memory} memory
 * @property {() => void} _initialize
 * @property {(n: number) => number} cm_alloc
 * @property {(p: number) => void} cm_free
 * @property {(s: number, len: number) => number} cm_parse
 * @property {(m: number) => number} cm_get
 * @property {(m: number) => void} cm_put
 * @property {(m: number) => number} cm_refcnt
 * @property {(m: number) => number} cm_nr
 * @property {(m: number, idx: number) => number} cm_cpu
 * @property {(m: number, cpu: number) => number} cm_idx
 * @property {(m: number, cpu: number) => number} cm_has
 * @property {(m: number) => number} cm_min
 * @property {(m: number) => number} cm_max
 * @property {(a: number, b: number) => number} cm_equal
 * @property {(a: number, b: number) => number} cm_is_subset
 * @property {(origSlot: number, other: number) => number} cm_merge
 * @property {(a: number, b: number) => number} cm_intersect
 * @property {(m: number, buf: number, size: number) => number} cm_snprint
 * @property {(m: number, buf: number, size: number) => number} cm_snprint_mask
 * @property {(m: number, buf: number, size: number) => number} cm_encode
 * @property {(payload: number, len: number) => number} cm_decode
 */

export class EmccCpumap {
  /**
   * @param {URL | string} [wasm] path or file: URL of cpumap-emcc.wasm
   * @returns {Promise<EmccCpumap>}
   */
  static async load(wasm = new URL('../build/cpumap-emcc.wasm', import.meta.url)) {
    const bytes = await readFile(wasm);
    const { instance } = await WebAssembly.instantiate(bytes, {
      // Imported only because of ALLOW_MEMORY_GROWTH; views are refreshed lazily.
      env: { emscripten_notify_memory_growth() {} },
    });
    return new EmccCpumap(instance);
  }

  /** @param {WebAssembly.Instance} instance */
  constructor(instance) {
    /** The raw exports, for callers that want to time bare calls. */
    this.x = /** @type {CmExports} */ (/** @type {unknown} */ (instance.exports));
    this.x._initialize(); // standalone reactor: runs the C constructors
    this.u8 = new Uint8Array(this.x.memory.buffer);
    this.u32 = new Uint32Array(this.x.memory.buffer);
    this.encoder = new TextEncoder();
    this.decoder = new TextDecoder();
    /** Holds *orig for cm_merge (a map ** in C). */
    this.slot = this.x.cm_alloc(4);
    this.scratch = 0;
    this.scratchSize = 0;
    this.ensureScratch(4096);
  }

  /**
   * Current byte view of linear memory.  Any call that allocates may grow
   * the memory, which detaches the old ArrayBuffer (views read as length
   * 0), so compare buffers and rebuild before every access.
   */
  bytes() {
    if (this.u8.buffer !== this.x.memory.buffer) {
      this.u8 = new Uint8Array(this.x.memory.buffer);
      this.u32 = new Uint32Array(this.x.memory.buffer);
    }
    return this.u8;
  }

  /** Makes the scratch block at least n bytes. @param {number} n */
  ensureScratch(n) {
    if (n <= this.scratchSize) return;
    const size = Math.max(n, this.scratchSize * 2);
    if (this.scratch) this.x.cm_free(this.scratch);
    this.scratch = this.x.cm_alloc(size);
    if (!this.scratch) throw new Error(`cm_alloc(${size}) failed`);
    this.scratchSize = size;
  }

  /**
   * Parse a CPU list (docs/contract.md §3.1); 0 for failure.
   * @param {string} text
   * @returns {number} map pointer
   */
  parse(text) {
    this.ensureScratch(text.length * 3); // worst case UTF-8
    const { written } = this.encoder.encodeInto(
      text,
      this.bytes().subarray(this.scratch, this.scratch + this.scratchSize),
    );
    return this.x.cm_parse(this.scratch, written);
  }

  /** @param {number} m */
  get(m) {
    return this.x.cm_get(m);
  }

  /** @param {number} m */
  put(m) {
    this.x.cm_put(m);
  }

  /** @param {number} m @returns {number} reference count; 0 for NULL */
  refcnt(m) {
    return this.x.cm_refcnt(m);
  }

  /** @param {number} m @returns {number} 1 for NULL */
  nr(m) {
    return this.x.cm_nr(m);
  }

  /** @param {number} m @param {number} idx @returns {number} -1 out of range */
  cpu(m, idx) {
    return this.x.cm_cpu(m, idx);
  }

  /** @param {number} m @param {number} cpu */
  idx(m, cpu) {
    return this.x.cm_idx(m, cpu);
  }

  /** @param {number} m @param {number} cpu */
  has(m, cpu) {
    return this.x.cm_has(m, cpu) !== 0;
  }

  /** @param {number} m */
  min(m) {
    return this.x.cm_min(m);
  }

  /** @param {number} m */
  max(m) {
    return this.x.cm_max(m);
  }

  /** @param {number} a @param {number} b */
  equal(a, b) {
    return this.x.cm_equal(a, b) !== 0;
  }

  /** Is b contained in a? @param {number} a @param {number} b */
  isSubset(a, b) {
    return this.x.cm_is_subset(a, b) !== 0;
  }

  /**
   * Union (docs/contract.md §5.1): consumes the reference `orig` and returns the new one
   * (orig itself, another reference to other, or a new map).
   * @param {number} orig
   * @param {number} other
   * @returns {number}
   */
  merge(orig, other) {
    this.bytes();
    this.u32[this.slot >>> 2] = orig; // slot is malloc'd, so 4-aligned
    const rc = this.x.cm_merge(this.slot, other);
    if (rc === ENOMEM) throw new Error('cm_merge: out of memory');
    this.bytes(); // merge may have grown memory
    return this.u32[this.slot >>> 2];
  }

  /** @param {number} a @param {number} b @returns {number} new reference or 0 */
  intersect(a, b) {
    return this.x.cm_intersect(a, b);
  }

  /**
   * Runs an snprintf-like export into scratch, growing it once if needed.
   * @param {(m: number, buf: number, size: number) => number} fn
   * @param {number} m
   * @returns {string | null} null when fn returns -1
   */
  format(fn, m) {
    let n = fn(m, this.scratch, this.scratchSize);
    if (n < 0) return null;
    if (n >= this.scratchSize) {
      this.ensureScratch(n + 1);
      n = fn(m, this.scratch, this.scratchSize);
    }
    return this.decoder.decode(this.bytes().subarray(this.scratch, this.scratch + n));
  }

  /** List format; "-1" for NULL. @param {number} m */
  list(m) {
    return /** @type {string} */ (this.format(this.x.cm_snprint, m));
  }

  /** Mask format; null for NULL and negative CPUs. @param {number} m */
  mask(m) {
    return this.format(this.x.cm_snprint_mask, m);
  }

  /**
   * Whole PERF_RECORD_CPU_MAP event (a copy); null if not encodable.
   * @param {number} m
   * @returns {Uint8Array | null}
   */
  encode(m) {
    let n = this.x.cm_encode(m, this.scratch, this.scratchSize);
    if (n < 0) return null;
    if (n > this.scratchSize) {
      this.ensureScratch(n);
      n = this.x.cm_encode(m, this.scratch, this.scratchSize);
    }
    return this.bytes().slice(this.scratch, this.scratch + n);
  }

  /**
   * Decode a payload (event header excluded); 0 on error.
   * @param {Uint8Array} payload
   * @returns {number}
   */
  decode(payload) {
    this.ensureScratch(payload.length);
    this.bytes().set(payload, this.scratch);
    return this.x.cm_decode(this.scratch, payload.length);
  }
}
