// @ts-check
/**
 * bench/simd/run.mjs - does WebAssembly SIMD (or a bitmap representation) pay
 * for cpumap-wasm's set operations?  Loads bench/build/simd.wasm (ops.ts: the
 * unmodified core plus experimental variants; built by bench/run.mjs or
 *   node_modules/.bin/asc --config bench/simd/asconfig.json --target release),
 * checks that every variant returns exactly what the core returns (benchmark
 * operands and 3000 random pairs, unsorted decoded maps included), then
 * times core and variants with the benchmark's harness.
 *
 *   node bench/simd/run.mjs [--quick] [--check-only]
 *
 * Prints JSON lines {"op","variant","shape","size","ns_per_op",...}; the
 * last line is {"checked": N}.  Exits 1 on any disagreement.
 */
import { readFile } from 'node:fs/promises';
import { measure, timing } from '../src/harness.mjs';
import { Xorshift32 } from '../src/prng.mjs';
import { makeCase } from '../src/workload.mjs';

const quick = process.argv.includes('--quick');
const checkOnly = process.argv.includes('--check-only');
const SIZES = [64, 256, 1024, 4096, 8192];

const bytes = await readFile(new URL('../build/simd.wasm', import.meta.url));
const { instance } = await WebAssembly.instantiate(bytes, {});
/** @type {any} */
const ex = instance.exports;

const u8 = () => new Uint8Array(ex.memory.buffer);
/** @param {string} t */
function parse(t) {
  const b = Buffer.from(t, 'latin1');
  const p = ex.scratch(b.length);
  u8().set(b, p);
  const m = ex.parse(p, b.length, 0);
  if (!m) throw new Error(`parse failed: ${t.slice(0, 40)}`);
  return m;
}
/** @param {Uint8Array} payload */
function decode(payload, fn = ex.decode) {
  const p = ex.scratch(payload.length);
  u8().set(payload, p);
  return fn(p, payload.length, 0);
}
/** @param {number} m */
function entries(m) {
  if (!m || ex.nr(m) === 0) return 'NULL'; // bmToMap gives an empty map where the core gives NULL
  const n = ex.nr(m);
  const v = new Int16Array(ex.memory.buffer, ex.cpusPtr(m), n);
  return Array.from(v).join(',');
}

let checked = 0;
/** @param {string} what @param {unknown} got @param {unknown} want */
function same(what, got, want) {
  checked++;
  if (got !== want) {
    console.error(`SIMD variant disagrees with the core: ${what}\n  core:    ${String(want).slice(0, 200)}\n  variant: ${String(got).slice(0, 200)}`);
    process.exit(1);
  }
}

/** merge as libperf's caller sees it: consumes a reference to a, returns one. */
function mergeWith(fn, a, b) {
  ex.get(a);
  const m = fn(a, b);
  if (m !== a) ex.put(a);
  return m;
}

/** Every variant against the core on one pair of maps. */
function checkPair(label, a, b) {
  for (const [x, y] of [[a, b], [b, a], [a, a]]) {
    same(`${label} equal`, ex.equalV(x, y), ex.equal(x, y));
    same(`${label} isSubsetV`, ex.isSubsetV(x, y), ex.isSubset(x, y));
    same(`${label} isSubsetB`, ex.isSubsetB(x, y), ex.isSubset(x, y));
    const want = ex.intersect(x, y);
    const wantText = entries(want);
    for (const v of ['intersectV', 'intersectB', 'intersectBits', 'intersectP', 'intersectH']) {
      const r = ex[v](x, y);
      same(`${label} ${v}`, entries(r), wantText);
      same(`${label} ${v} result object`, r === x ? 'x' : r === y ? 'y' : r ? 'new' : '0', want === x ? 'x' : want === y ? 'y' : want ? 'new' : '0');
      ex.put(r);
    }
    ex.put(want);
    const m0 = mergeWith(ex.merge, x, y);
    const m0Text = entries(m0);
    for (const v of ['mergeV', 'mergeB', 'mergeBits', 'mergeP', 'mergeH']) {
      const m = mergeWith(ex[v], x, y);
      same(`${label} ${v}`, entries(m), m0Text);
      ex.put(m);
    }
    ex.put(m0);
  }
}

// 1. random pairs: sorted maps (parsed) and unsorted, duplicated ones (CPUS payloads)
{
  const rng = new Xorshift32(7);
  /** A random map and a function that makes an equal copy of it. */
  const randomMap = () => {
    const n = 1 + (rng.next() % 40);
    const span = n + (rng.next() % 300);
    if (rng.next() % 3 === 0) {
      const p = new Uint8Array(4 + 2 * n);
      const dv = new DataView(p.buffer);
      dv.setUint16(2, n, true);
      for (let i = 0; i < n; i++) dv.setUint16(4 + 2 * i, rng.next() % 5 === 0 ? 0xffff : rng.next() % span, true);
      return { map: decode(p), copy: () => decode(p) };
    }
    const set = new Set();
    const base = rng.next() % 50;
    while (set.size < n) set.add(base + (rng.next() % span));
    const text = [...set].join(',');
    return { map: parse(text), copy: () => parse(text) };
  };
  for (let k = 0; k < 3000; k++) {
    const ra = randomMap();
    const a = ra.map;
    const b = rng.next() % 4 === 0 ? ra.copy() : randomMap().map; // equal pairs too
    checkPair(`random pair ${k}`, a, b);
    ex.put(a);
    ex.put(b);
  }
}

/** Bitmap words (u32, a multiple of 4) for maps whose largest cpu is top. */
const wordsFor = (top) => ((top >> 7) + 1) * 4;

const t = timing(quick);
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

// 2. the benchmark operands, checked and then timed
for (const shape of /** @type {const} */ (['dense', 'sparse'])) {
  for (const size of SIZES) {
    const c = makeCase(shape, size);
    const a = parse(c.aJoined);
    const a2 = parse(c.text);
    const b = parse(c.bJoined);
    checkPair(c.label, a, b);
    checkPair(`${c.label} A/A2`, a, a2);

    const evOut = ex.scratch(1 << 16);
    const evLen = ex.encodeTo(a, evOut, 1 << 16);
    const payload = u8().slice(evOut + 8, evOut + evLen);
    {
      const d0 = decode(payload);
      const d1 = decode(payload, ex.decodeV);
      same(`${c.label} decodeV`, entries(d1), entries(d0));
      ex.put(d0);
      ex.put(d1);
    }

    // bitmaps of A, A2, B and a destination
    const top = Math.max(ex.max(a), ex.max(b));
    const words = wordsFor(top);
    const [bA, bA2, bB, bD] = [0, 0, 0, 0].map(() => ex.bmAlloc(words));
    ex.bmFromMap(a, bA);
    ex.bmFromMap(a2, bA2);
    ex.bmFromMap(b, bB);
    same(`${c.label} bmEqual`, ex.bmEqual(bA, bA2, words), ex.equal(a, a2));
    same(`${c.label} bmEqualV`, ex.bmEqualV(bA, bA2, words), ex.equal(a, a2));
    same(`${c.label} bmSubset`, ex.bmSubset(bA, bB, words), ex.isSubset(a, b));
    same(`${c.label} bmSubsetV`, ex.bmSubsetV(bA, bA2, words), ex.isSubset(a, a2));
    for (const [v, core] of [['bmOr', 'merge'], ['bmOrV', 'merge'], ['bmAnd', 'intersect'], ['bmAndV', 'intersect']]) {
      ex[v](bD, bA, bB, words);
      const m = ex.bmToMap(bD, words);
      const want = core === 'merge' ? mergeWith(ex.merge, a, b) : ex.intersect(a, b);
      same(`${c.label} ${v}`, entries(m), entries(want));
      ex.put(m);
      ex.put(want);
    }

    if (!checkOnly) {
      /** Each timed loop is its own function (new Function), so no call site is shared between variants. */
      const loop = (body) => new Function('ex', 'a', 'a2', 'b', 'p', 'len', 'bA', 'bA2', 'bB', 'bD', 'words',
        `return function (n) { let s = 0; for (let i = 0; i < n; i++) { ${body} } return s; };`)(
        ex, a, a2, b, 0, 0, bA, bA2, bB, bD, words);
      const mergeBody = (f) => `ex.get(a); const m = ex.${f}(a, b); if (m !== a) ex.put(a); s += ex.nr(m); ex.put(m);`;
      const interBody = (f) => `const r = ex.${f}(a, b); s += r ? ex.nr(r) : 0; ex.put(r);`;
      const nrU = (() => { const m = mergeWith(ex.merge, a, b); const n = ex.nr(m); ex.put(m); return n; })();
      const nrI = (() => { const r = ex.intersect(a, b); const n = r ? ex.nr(r) : 0; ex.put(r); return n; })();
      const dPtr = () => { const p = ex.scratch(payload.length); u8().set(payload, p); return p; };
      const cases = [
        ['equal', 'core', loop('s += ex.equal(a, a2);'), 1],
        ['equal', 'simd', loop('s += ex.equalV(a, a2);'), 1],
        ['equal', 'bitmap', loop('s += ex.bmEqual(bA, bA2, words);'), 1],
        ['equal', 'bitmap-simd', loop('s += ex.bmEqualV(bA, bA2, words);'), 1],
        ['is_subset', 'core', loop('s += ex.isSubset(a, a2);'), 1],
        ['is_subset', 'simd', loop('s += ex.isSubsetV(a, a2);'), 1],
        ['is_subset', 'branchless', loop('s += ex.isSubsetB(a, a2);'), 1],
        ['is_subset', 'bitmap', loop('s += ex.bmSubset(bA, bA2, words);'), 1],
        ['is_subset', 'bitmap-simd', loop('s += ex.bmSubsetV(bA, bA2, words);'), 1],
        ['merge', 'core', loop(mergeBody('merge')), nrU],
        ['merge', 'simd', loop(mergeBody('mergeV')), nrU],
        ['merge', 'branchless', loop(mergeBody('mergeB')), nrU],
        ['merge', 'one-pass', loop(mergeBody('mergeP')), nrU],
        ['merge', 'hybrid', loop(mergeBody('mergeH')), nrU],
        ['merge', 'scratch-bitmap', loop(mergeBody('mergeBits')), nrU],
        ['merge', 'bitmap', loop('ex.bmOr(bD, bA, bB, words); s += 1;'), 1],
        ['merge', 'bitmap-simd', loop('ex.bmOrV(bD, bA, bB, words); s += 1;'), 1],
        ['merge', 'bitmap-simd+list', loop('ex.bmOrV(bD, bA, bB, words); const m = ex.bmToMap(bD, words); s += ex.nr(m); ex.put(m);'), nrU],
        ['intersect', 'core', loop(interBody('intersect')), nrI],
        ['intersect', 'simd', loop(interBody('intersectV')), nrI],
        ['intersect', 'branchless', loop(interBody('intersectB')), nrI],
        ['intersect', 'one-pass', loop(interBody('intersectP')), nrI],
        ['intersect', 'hybrid', loop(interBody('intersectH')), nrI],
        ['intersect', 'scratch-bitmap', loop(interBody('intersectBits')), nrI],
        ['intersect', 'bitmap', loop('ex.bmAnd(bD, bA, bB, words); s += 1;'), 1],
        ['intersect', 'bitmap-simd', loop('ex.bmAndV(bD, bA, bB, words); s += 1;'), 1],
        ['decode', 'core', (n) => { const p = dPtr(); let s = 0; for (let i = 0; i < n; i++) { const m = ex.decode(p, payload.length, 0); s += ex.nr(m); ex.put(m); } return s; }, size],
        ['decode', 'simd', (n) => { const p = dPtr(); let s = 0; for (let i = 0; i < n; i++) { const m = ex.decodeV(p, payload.length, 0); s += ex.nr(m); ex.put(m); } return s; }, size],
      ];
      for (const [op, variant, fn, per] of cases) {
        const r = measure(/** @type {any} */ (fn), {
          ...t,
          check(n, s) {
            if (s !== n * /** @type {number} */ (per)) throw new Error(`simd ${c.label} ${op} ${variant}: checksum ${s}, expected ${n * per}`);
          },
        });
        out({ op, variant, shape, size, words, ...r });
      }
    }
    // the four bitmaps are plain allocator blocks (no free export): left to the instance
    ex.put(a);
    ex.put(a2);
    ex.put(b);
  }
}
out({ checked });
