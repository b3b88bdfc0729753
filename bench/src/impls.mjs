// @ts-check
/**
 * impls.mjs - every JS-side implementation of the benchmark behind one
 * interface.  For a case (workload.mjs) an implementation builds A, A2 (a
 * second parse of A's text) and B, and gives:
 *
 *   ops[op](n)  a loop of n operations returning the sum of their results
 *               (the harness checks it against workload.expectedSum);
 *   results()   what it computes for each operation, for the agreement lines;
 *   teardown()  puts every map it made.
 *
 * The loops follow bench/c/native.c op by op (same operands, same shape of
 * loop, same unit: `has` is one lookup, `iterate` one whole nr/cpu loop, the
 * rest one call).  Each implementation runs in a process of its own
 * (worker.mjs), so no loop shares JIT feedback with another implementation's.
 *
 *   api       cpumap-wasm's public CpuMap class (dist/index.js), checker off
 *   refcheck  the same code with the reference checker on (CPUMAP_REFCHECK=1)
 *   pure      plain JS (pure-ts.mjs)
 *   emcc      bench/c/cpumap.c built by emcc -O3 (emcc-peer.mjs), exports called directly
 */
import { NPROBES, memoryMaps } from './workload.mjs';

const MASK = NPROBES - 1;

/** @param {number} k */
const bit = (k) => (k ? 1 : 0);

/** @param {ArrayLike<number>} v */
const arr = (v) => Array.from(v);

/**
 * JS heap in use (V8 heap + ArrayBuffer backing stores), after a full GC.
 * The worker runs with --expose-gc.
 */
function jsHeap() {
  const g = /** @type {any} */ (globalThis).gc;
  if (g) {
    g();
    g();
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

// ---------------------------------------------------------------------------
// cpumap-wasm: public API (checker off, or on in the `refcheck` worker)
// ---------------------------------------------------------------------------

async function loadApi() {
  const { CpuMap, refcheck } = await import('../../dist/index.js');
  const { defaultCore } = await import('../../dist/instance.js');
  const ex = defaultCore.ex;
  return {
    /** @param {import('./workload.mjs').Case} c */
    setup(c) {
      const a = CpuMap.parse(c.aJoined);
      const a2 = CpuMap.parse(c.text2);
      const b = CpuMap.parse(c.bJoined);
      const text = c.text;
      const probes = c.probes;
      const event = a.encode();
      /** @type {Record<string, (n: number) => number>} */
      const ops = {
        parse(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const m = CpuMap.parse(text);
            s += m.nr;
            m.put();
          }
          return s;
        },
        format_list(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += a.toString().length;
          return s;
        },
        format_mask(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += a.toMask().length;
          return s;
        },
        iterate(n) {
          let s = 0;
          for (let i = 0; i < n; i++) for (let k = 0; k < a.nr; k++) s += a.cpu(k);
          return s;
        },
        has(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += a.has(probes[i & MASK]) ? 1 : 0;
          return s;
        },
        equal(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += a.equals(a2) ? 1 : 0;
          return s;
        },
        is_subset(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += a2.isSubsetOf(a) ? 1 : 0;
          return s;
        },
        merge(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const r = a.merge(b);
            s += r.nr;
            r.put();
          }
          return s;
        },
        intersect(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const r = a.intersect(b);
            s += r.nr;
            r.put();
          }
          return s;
        },
        get_put(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const r = a.get();
            s += r !== undefined ? 1 : 0;
            r.put();
          }
          return s;
        },
        encode(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += a.encode().length;
          return s;
        },
        decode(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const m = CpuMap.decode(event);
            s += m.nr;
            m.put();
          }
          return s;
        },
      };
      return {
        ops,
        results() {
          const parsed = CpuMap.parse(text);
          const rc0 = a.refcount;
          const g = a.get();
          const rc1 = a.refcount;
          g.put();
          const rc2 = a.refcount;
          const merged = a.merge(b);
          const inter = a.intersect(b);
          const decoded = CpuMap.decode(event);
          /** @type {string | null} */
          let mask;
          try {
            mask = a.toMask();
          } catch {
            mask = null;
          }
          const iterated = [];
          for (let k = 0; k < a.nr; k++) iterated.push(a.cpu(k));
          const r = {
            parsed: parsed.toArray(),
            list: a.toString(),
            mask,
            iterated,
            has: Array.from(probes, (p) => bit(a.has(p) ? 1 : 0)),
            idx: [a.idx(a.cpu(a.nr - 1)), a.idx(a.cpu(0)), a.idx(0), a.idx(32766)],
            equal: [bit(a.equals(a2) ? 1 : 0), bit(a.equals(b) ? 1 : 0)],
            isSubset: [bit(a2.isSubsetOf(a) ? 1 : 0), bit(b.isSubsetOf(a) ? 1 : 0), bit(a.isSubsetOf(b) ? 1 : 0)],
            merged: merged.toArray(),
            intersected: inter.toArray(),
            refcounts: [rc0, rc1, rc2],
            event: a.encode(),
            decoded: decoded.toArray(),
          };
          parsed.put();
          merged.put();
          inter.put();
          decoded.put();
          return r;
        },
        teardown() {
          a.put();
          a2.put();
          b.put();
          if (refcheck.enabled && refcheck.report().references !== 0) {
            throw new Error('benchmark leaked references (refcheck report not empty)');
          }
        },
      };
    },
    /** Bytes of linear memory per map (the allocator's live-byte counter). @param {import('./workload.mjs').Case} c */
    memory(c) {
      const n = memoryMaps(c.size);
      CpuMap.parse(c.text).put(); // grows the scratch block first: it is not a map
      const maps = new Array(n);
      const live0 = ex.liveByteCount();
      for (let i = 0; i < n; i++) maps[i] = CpuMap.parse(c.text);
      const live1 = ex.liveByteCount();
      for (const m of maps) m.put();
      return { maps: n, wasm_bytes_per_map: (live1 - live0) / n };
    },
    /** JS heap per handle (the same for every map size): 20000 handles of a 4-CPU map. */
    handleMemory() {
      const n = 20000;
      const maps = new Array(n);
      CpuMap.parse('0-3').put();
      const heap0 = jsHeap();
      for (let i = 0; i < n; i++) maps[i] = CpuMap.parse('0-3');
      const heap1 = jsHeap();
      for (const m of maps) m.put();
      return { handles: n, js_heap_bytes_per_handle: (heap1 - heap0) / n };
    },
  };
}

// ---------------------------------------------------------------------------
// pure JS
// ---------------------------------------------------------------------------

async function loadPure() {
  const { CpuMap } = await import('./pure-ts.mjs');
  /** @param {any} m */
  const entries = (m) => (m ? arr(m.cpus) : []);
  return {
    /** @param {import('./workload.mjs').Case} c */
    setup(c) {
      const a = /** @type {import('./pure-ts.mjs').CpuMap} */ (CpuMap.parse(c.aJoined));
      const a2 = /** @type {import('./pure-ts.mjs').CpuMap} */ (CpuMap.parse(c.text2));
      const b = /** @type {import('./pure-ts.mjs').CpuMap} */ (CpuMap.parse(c.bJoined));
      const text = c.text;
      const probes = c.probes;
      const event = /** @type {Uint8Array} */ (CpuMap.encode(a));
      const payload = event.subarray(8);
      /** @type {Record<string, (n: number) => number>} */
      const ops = {
        parse(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const m = /** @type {any} */ (CpuMap.parse(text));
            s += m.nr();
            m.put();
          }
          return s;
        },
        format_list(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += a.toString().length;
          return s;
        },
        format_mask(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += /** @type {string} */ (a.toMask()).length;
          return s;
        },
        iterate(n) {
          let s = 0;
          for (let i = 0; i < n; i++) for (let k = 0; k < a.nr(); k++) s += a.cpu(k);
          return s;
        },
        has(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += a.has(probes[i & MASK]) ? 1 : 0;
          return s;
        },
        equal(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += CpuMap.equal(a, a2) ? 1 : 0;
          return s;
        },
        is_subset(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += CpuMap.isSubset(a, a2) ? 1 : 0;
          return s;
        },
        merge(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const m = /** @type {any} */ (CpuMap.merge(a.get(), b));
            s += m.nr();
            m.put();
          }
          return s;
        },
        intersect(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const r = CpuMap.intersect(a, b);
            if (r) {
              s += r.nr();
              r.put();
            }
          }
          return s;
        },
        get_put(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const r = a.get();
            s += r.cpus !== null ? 1 : 0;
            r.put();
          }
          return s;
        },
        encode(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += /** @type {Uint8Array} */ (CpuMap.encode(a)).length;
          return s;
        },
        decode(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const m = /** @type {any} */ (CpuMap.decode(payload));
            s += m.nr();
            m.put();
          }
          return s;
        },
      };
      return {
        ops,
        results() {
          const parsed = CpuMap.parse(text);
          const rc0 = a.refcnt;
          const g = a.get();
          const rc1 = a.refcnt;
          g.put();
          const rc2 = a.refcnt;
          const merged = CpuMap.merge(a.get(), b);
          const inter = CpuMap.intersect(a, b);
          const decoded = CpuMap.decode(payload);
          const iterated = [];
          for (let k = 0; k < a.nr(); k++) iterated.push(a.cpu(k));
          const r = {
            parsed: entries(parsed),
            list: a.toString(),
            mask: a.toMask(),
            iterated,
            has: Array.from(probes, (p) => bit(a.has(p) ? 1 : 0)),
            idx: [a.idx(a.cpu(a.nr() - 1)), a.idx(a.cpu(0)), a.idx(0), a.idx(32766)],
            equal: [bit(CpuMap.equal(a, a2) ? 1 : 0), bit(CpuMap.equal(a, b) ? 1 : 0)],
            isSubset: [bit(CpuMap.isSubset(a, a2) ? 1 : 0), bit(CpuMap.isSubset(a, b) ? 1 : 0), bit(CpuMap.isSubset(b, a) ? 1 : 0)],
            merged: entries(merged),
            intersected: entries(inter),
            refcounts: [rc0, rc1, rc2],
            event: /** @type {Uint8Array} */ (CpuMap.encode(a)),
            decoded: entries(decoded),
          };
          for (const m of [parsed, merged, inter, decoded]) m?.put();
          return r;
        },
        teardown() {
          a.put();
          a2.put();
          b.put();
        },
      };
    },
    /** @param {import('./workload.mjs').Case} c */
    memory(c) {
      const n = memoryMaps(c.size);
      const maps = new Array(n);
      const heap0 = jsHeap();
      for (let i = 0; i < n; i++) maps[i] = CpuMap.parse(c.text);
      const heap1 = jsHeap();
      for (const m of maps) m.put();
      return { maps: n, js_heap_bytes_per_map: (heap1 - heap0) / n };
    },
  };
}

// ---------------------------------------------------------------------------
// emcc: the C peer compiled to wasm
// ---------------------------------------------------------------------------

async function loadEmcc() {
  const { EmccCpumap } = await import('./emcc-peer.mjs');
  const cm = await EmccCpumap.load();
  const x = cm.x;
  /** @param {number} m */
  const entries = (m) => {
    if (m === 0) return [];
    const out = [];
    for (let i = 0; i < x.cm_nr(m); i++) out.push(x.cm_cpu(m, i));
    return out;
  };
  return {
    /** @param {import('./workload.mjs').Case} c */
    setup(c) {
      cm.ensureScratch(1 << 17); // big enough for every format and event
      const a = cm.parse(c.aJoined);
      const a2 = cm.parse(c.text2);
      const b = cm.parse(c.bJoined);
      const text = c.text;
      const probes = c.probes;
      const event = /** @type {Uint8Array} */ (cm.encode(a));
      const payload = event.slice(8);
      const encoder = new TextEncoder();
      /** @type {Record<string, (n: number) => number>} */
      const ops = {
        parse(n) {
          const ptr = cm.scratch;
          const { written } = encoder.encodeInto(text, cm.bytes().subarray(ptr, ptr + cm.scratchSize));
          let s = 0;
          for (let i = 0; i < n; i++) {
            const m = x.cm_parse(ptr, written);
            s += x.cm_nr(m);
            x.cm_put(m);
          }
          return s;
        },
        format_list(n) {
          const buf = cm.scratch;
          const size = cm.scratchSize;
          let s = 0;
          for (let i = 0; i < n; i++) s += x.cm_snprint(a, buf, size);
          return s;
        },
        format_mask(n) {
          const buf = cm.scratch;
          const size = cm.scratchSize;
          let s = 0;
          for (let i = 0; i < n; i++) s += x.cm_snprint_mask(a, buf, size);
          return s;
        },
        iterate(n) {
          let s = 0;
          for (let i = 0; i < n; i++) for (let k = 0; k < x.cm_nr(a); k++) s += x.cm_cpu(a, k);
          return s;
        },
        has(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += x.cm_has(a, probes[i & MASK]);
          return s;
        },
        equal(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += x.cm_equal(a, a2);
          return s;
        },
        is_subset(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += x.cm_is_subset(a, a2);
          return s;
        },
        merge(n) {
          const slot = cm.slot;
          const at = slot >>> 2;
          let u32 = new Uint32Array(x.memory.buffer);
          let s = 0;
          for (let i = 0; i < n; i++) {
            u32[at] = x.cm_get(a);
            x.cm_merge(slot, b);
            if (u32.length === 0) u32 = new Uint32Array(x.memory.buffer); // memory grew
            const m = u32[at];
            s += x.cm_nr(m);
            x.cm_put(m);
          }
          return s;
        },
        intersect(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const r = x.cm_intersect(a, b);
            s += r !== 0 ? x.cm_nr(r) : 0;
            x.cm_put(r);
          }
          return s;
        },
        get_put(n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const r = x.cm_get(a);
            s += r !== 0 ? 1 : 0;
            x.cm_put(r);
          }
          return s;
        },
        encode(n) {
          const buf = cm.scratch;
          const size = cm.scratchSize;
          let s = 0;
          for (let i = 0; i < n; i++) s += x.cm_encode(a, buf, size);
          return s;
        },
        decode(n) {
          const ptr = cm.scratch;
          cm.bytes().set(payload, ptr);
          const len = payload.length;
          let s = 0;
          for (let i = 0; i < n; i++) {
            const m = x.cm_decode(ptr, len);
            s += x.cm_nr(m);
            x.cm_put(m);
          }
          return s;
        },
      };
      return {
        ops,
        results() {
          const parsed = cm.parse(text);
          const rc0 = cm.refcnt(a);
          const g = cm.get(a);
          const rc1 = cm.refcnt(a);
          cm.put(g);
          const rc2 = cm.refcnt(a);
          const merged = cm.merge(cm.get(a), b);
          const inter = cm.intersect(a, b);
          const decoded = cm.decode(payload);
          const iterated = [];
          for (let k = 0; k < x.cm_nr(a); k++) iterated.push(x.cm_cpu(a, k));
          const r = {
            parsed: entries(parsed),
            list: cm.list(a),
            mask: cm.mask(a),
            iterated,
            has: Array.from(probes, (p) => x.cm_has(a, p)),
            idx: [cm.idx(a, cm.cpu(a, cm.nr(a) - 1)), cm.idx(a, cm.cpu(a, 0)), cm.idx(a, 0), cm.idx(a, 32766)],
            equal: [x.cm_equal(a, a2), x.cm_equal(a, b)],
            isSubset: [x.cm_is_subset(a, a2), x.cm_is_subset(a, b), x.cm_is_subset(b, a)],
            merged: entries(merged),
            intersected: entries(inter),
            refcounts: [rc0, rc1, rc2],
            event: /** @type {Uint8Array} */ (cm.encode(a)),
            decoded: entries(decoded),
          };
          for (const m of [parsed, merged, inter, decoded]) cm.put(m);
          return r;
        },
        teardown() {
          cm.put(a);
          cm.put(a2);
          cm.put(b);
        },
      };
    },
    /**
     * emcc's dlmalloc keeps no counter we can read; two estimates instead: the
     * median distance between consecutive maps' addresses (a fresh run of
     * allocations is laid out back to back) and memory growth / maps.
     * @param {import('./workload.mjs').Case} c
     */
    memory(c) {
      const n = memoryMaps(c.size);
      cm.ensureScratch(c.text.length + 1);
      const ptr = cm.scratch;
      const { written } = new TextEncoder().encodeInto(c.text, cm.bytes().subarray(ptr, ptr + cm.scratchSize));
      const maps = new Array(n);
      const buf0 = x.memory.buffer.byteLength;
      for (let i = 0; i < n; i++) maps[i] = x.cm_parse(ptr, written);
      const buf1 = x.memory.buffer.byteLength;
      const gaps = [];
      for (let i = 1; i < n; i++) gaps.push(maps[i] - maps[i - 1]);
      gaps.sort((p, q) => p - q);
      for (const m of maps) x.cm_put(m);
      return { maps: n, wasm_bytes_per_map: gaps[gaps.length >> 1], growth_bytes_per_map: (buf1 - buf0) / n };
    },
  };
}

export const IMPLS = {
  api: { label: 'cpumap-wasm API', load: loadApi },
  refcheck: { label: 'cpumap-wasm API, checker on', load: loadApi },
  pure: { label: 'pure JS', load: loadPure },
  emcc: { label: 'C via emcc -O3 (wasm)', load: loadEmcc },
};
