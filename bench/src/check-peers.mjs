// @ts-check
/**
 * check-peers.mjs - runs the same deterministic checks on the emcc wasm peer
 * and the pure JS peer, in the exact line format of `native --check`, and
 * compares all three line by line.
 *
 *   node bench/src/check-peers.mjs                  compare emcc, pure-ts, native
 *   node bench/src/check-peers.mjs --print emcc     print one implementation's lines
 *                                  (emcc | pure-ts | native), e.g. to diff by hand
 *
 * The cases mirror run_check() in bench/c/native.c; change both together.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EmccCpumap } from './emcc-peer.mjs';
import { CpuMap, cpuOf, listOf, maxOf, minOf, nrOf } from './pure-ts.mjs';
import { joinValues, operandA, operandB, probes } from './prng.mjs';

const NATIVE = fileURLToPath(new URL('../build/native', import.meta.url));
const CHECK_PROBES = 64;
const SHOW_MAX = 160;

/** Fixed cases: the upstream merge/intersect tables [docs/contract.md §8] and edge maps. */
const FIXED = [
  ['s82-1', '4,2,1', '4,5,7'],
  ['s82-2', '1-8', '6-9'],
  ['s82-3', '1-8,12-20', '6-9,15'],
  ['s82-4', '4,2,1', '1'],
  ['s82-5', '1', '4,2,1'],
  ['s82-6', '1', '1'],
  ['any', '', '0-3'],
  ['anyany', '', ''],
  ['mask32', '0,1,32', '0-31,64'],
  ['synth', '0,2-20', '1,256'],
  ['range', '1-256', '0,2,4,6,64'],
  ['nullB', '0-3', 'x'],
  ['nullA', 'x', '0-3'],
];

/** Hand-made payloads (header excluded); comments in native.c. */
const PAYLOADS = [
  '0000030003000100010000000000',
  '000002000500ffff',
  '00000000',
  '00000100ff7f',
  '00000100ffff',
  '010001000400fdff1f00',
  '0100010008000000000001000000000000800000',
  '0100020004000000000000000000',
  '0200000000000100',
  '0200020004000500',
  '0200000005000400',
  '0200010005000400',
  '0200000005000200',
  '0200000000ff7f',
  '02000000fe7f0000',
  '0300000000000000',
  '00000500010002',
];

/**
 * The operations with C's conventions (NULL map, 0/1 results), so one
 * check routine serves both JS peers.
 * @typedef {object} Impl
 * @property {any} NULL
 * @property {(t: string) => any} parse
 * @property {(m: any) => any} get
 * @property {(m: any) => void} put
 * @property {(m: any) => number} refcnt
 * @property {(m: any) => number} nr
 * @property {(m: any, i: number) => number} cpu
 * @property {(m: any, c: number) => number} idx
 * @property {(m: any, c: number) => number} has
 * @property {(m: any) => number} min
 * @property {(m: any) => number} max
 * @property {(a: any, b: any) => number} equal
 * @property {(a: any, b: any) => number} isSubset
 * @property {(orig: any, other: any) => any} merge
 * @property {(a: any, b: any) => any} intersect
 * @property {(m: any) => string} list
 * @property {(m: any) => string | null} mask
 * @property {(m: any) => Uint8Array | null} encode
 * @property {(p: Uint8Array) => any} decode
 */

/** @param {EmccCpumap} cm @returns {Impl} */
function emccImpl(cm) {
  return {
    NULL: 0,
    parse: (t) => cm.parse(t),
    get: (m) => cm.get(m),
    put: (m) => cm.put(m),
    refcnt: (m) => cm.refcnt(m),
    nr: (m) => cm.nr(m),
    cpu: (m, i) => cm.cpu(m, i),
    idx: (m, c) => cm.idx(m, c),
    has: (m, c) => Number(cm.has(m, c)),
    min: (m) => cm.min(m),
    max: (m) => cm.max(m),
    equal: (a, b) => Number(cm.equal(a, b)),
    isSubset: (a, b) => Number(cm.isSubset(a, b)),
    merge: (o, x) => cm.merge(o, x),
    intersect: (a, b) => cm.intersect(a, b),
    list: (m) => cm.list(m),
    mask: (m) => cm.mask(m),
    encode: (m) => cm.encode(m),
    decode: (p) => cm.decode(p),
  };
}

/** @type {Impl} */
const pureImpl = {
  NULL: null,
  parse: (t) => CpuMap.parse(t),
  get: (m) => (m ? m.get() : null),
  put: (m) => m?.put(),
  refcnt: (m) => (m ? m.refcnt : 0),
  nr: nrOf,
  cpu: cpuOf,
  idx: (m, c) => (m ? m.idx(c) : -1),
  has: (m, c) => (m && m.has(c) ? 1 : 0),
  min: minOf,
  max: maxOf,
  equal: (a, b) => Number(CpuMap.equal(a, b)),
  isSubset: (a, b) => Number(CpuMap.isSubset(a, b)),
  merge: (o, x) => CpuMap.merge(o, x),
  intersect: (a, b) => CpuMap.intersect(a, b),
  list: listOf,
  mask: (m) => (m ? m.toMask() : null),
  encode: (m) => CpuMap.encode(m),
  decode: (p) => CpuMap.decode(p),
};

/** Long texts as "#<FNV-1a 32>/<length>", as native.c does. @param {string} s */
function show(s) {
  if (s.length <= SHOW_MAX) return s;
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return `#${h.toString(16).padStart(8, '0')}/${s.length}`;
}

/** @param {Uint8Array} b */
const hex = (b) => Buffer.from(b).toString('hex');
/** @param {string} h */
const unhex = (h) => new Uint8Array(Buffer.from(h.length % 2 ? h.slice(0, -1) : h, 'hex'));

/**
 * @param {Impl} I
 * @param {string} label
 * @param {string} aText
 * @param {string} bText
 * @param {string[]} out
 */
function checkCase(I, label, aText, bText, out) {
  const mapText = (/** @type {any} */ m) => (m === I.NULL ? 'NULL' : show(I.list(m)));
  /** @param {any} r @param {any} first @param {any} second */
  const identity = (r, first, second) =>
    r === I.NULL ? 'null' : r === first ? 'first' : r === second ? 'second' : 'new';
  const L = (/** @type {string} */ s) => out.push(`${label} ${s}`);
  const a = I.parse(aText);
  const a2 = I.parse(aText);
  const b = I.parse(bText);

  L(`A ${mapText(a)} nr=${I.nr(a)}`);
  L(`B ${mapText(b)} nr=${I.nr(b)}`);
  const m = I.parse(I.list(a));
  L(`parse ${I.nr(m)} ${mapText(m)}`);
  I.put(m);

  const list = I.list(a);
  L(`format_list ${list.length} ${show(list)}`);
  const mask = I.mask(a);
  L(`format_mask ${mask === null ? '-1 ERR' : `${mask.length} ${show(mask)}`}`);

  let sum = 0;
  for (let i = 0; i < I.nr(a); i++) sum += I.cpu(a, i);
  L(`iterate ${I.nr(a)} ${sum}`);

  const pr = probes(CHECK_PROBES, I.nr(a), (i) => I.cpu(a, i));
  let bits = '';
  let hits = 0;
  for (const p of pr) {
    bits += I.has(a, p);
    hits += I.has(a, p);
  }
  L(`has ${bits} ${hits}`);
  L(`idx ${I.idx(a, I.cpu(a, I.nr(a) - 1))} ${I.idx(a, I.cpu(a, 0))} ${I.idx(a, 0)} ${I.idx(a, 32766)}`);
  L(`min_max ${I.min(a)} ${I.max(a)}`);
  L(`equal ${I.equal(a, a2)} ${I.equal(a, b)} ${I.equal(a, I.NULL)} ${I.equal(I.NULL, I.NULL)}`);
  L(
    `is_subset ${I.isSubset(a, a2)} ${I.isSubset(a, b)} ${I.isSubset(b, a)} ` +
      `${I.isSubset(a, I.NULL)} ${I.isSubset(I.NULL, a)}`,
  );

  {
    // hold keeps the old orig alive so a new map cannot reuse its address.
    let ma = I.parse(aText);
    const mb = I.parse(bText);
    const hold = I.get(ma);
    ma = I.merge(ma, mb);
    const head = `merge 0 ${identity(ma, hold, mb)} ${I.nr(ma)} ${mapText(ma)}`;
    I.put(hold);
    I.put(mb);
    L(`${head} ${I.refcnt(ma)}`);
    I.put(ma);
  }

  const r = I.intersect(a, b);
  L(`intersect ${identity(r, a, b)} ${I.nr(r)} ${mapText(r)} ${I.refcnt(r)}`);
  I.put(r);

  {
    const r0 = I.refcnt(a);
    const g = I.get(a);
    const r1 = I.refcnt(a);
    I.put(g);
    L(`get_put ${r0} ${r1} ${I.refcnt(a)}`);
  }

  const ev = I.encode(a);
  L(`encode ${ev ? ev.length : -1} ${ev ? show(hex(ev)) : ''}`);
  const d = ev && ev.length > 8 ? I.decode(ev.subarray(8)) : I.NULL;
  L(`decode ${I.nr(d)} ${mapText(d)}`);
  I.put(d);

  I.put(a);
  I.put(a2);
  I.put(b);
}

/** @param {Impl} I @param {string} h @param {string[]} out */
function checkPayload(I, h, out) {
  const m = I.decode(unhex(h));
  if (m === I.NULL) {
    out.push(`payload ${h} NULL`);
    return;
  }
  const ev = I.encode(m);
  out.push(
    `payload ${h} ${I.nr(m)} ${show(I.list(m))} min=${I.min(m)} max=${I.max(m)} ` +
      `idx_first=${I.idx(m, I.cpu(m, 0))} idx_max=${I.idx(m, I.max(m))} refcnt=${I.refcnt(m)} ` +
      `reencode ${ev ? show(hex(ev)) : -1}`,
  );
  I.put(m);
}

/** @param {Impl} I @returns {string[]} */
export function checkLines(I) {
  /** @type {string[]} */
  const out = [];
  for (const shape of /** @type {const} */ (['dense', 'sparse'])) {
    for (const n of [4, 64]) {
      checkCase(I, `${shape}-${n}`, joinValues(operandA(shape, n)), joinValues(operandB(shape, n)), out);
    }
  }
  for (const [label, a, b] of FIXED) checkCase(I, label, a, b, out);
  for (const h of PAYLOADS) checkPayload(I, h, out);
  return out;
}

function nativeLines() {
  if (!existsSync(NATIVE)) return null;
  const r = spawnSync(NATIVE, ['--check'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`native --check exited with ${r.status}: ${r.stderr}`);
  return r.stdout.replace(/\n$/, '').split('\n');
}

const results = {
  emcc: checkLines(emccImpl(await EmccCpumap.load())),
  'pure-ts': checkLines(pureImpl),
  native: nativeLines(),
};

const printIdx = process.argv.indexOf('--print');
if (printIdx >= 0) {
  const which = /** @type {keyof typeof results} */ (process.argv[printIdx + 1]);
  const lines = results[which];
  if (!lines) throw new Error(`--print: unknown or unavailable implementation "${which}"`);
  console.log(lines.join('\n'));
} else {
  const ref = results.native ? 'native' : 'emcc';
  if (!results.native) console.log('bench/build/native missing: comparing pure-ts with emcc only');
  let bad = 0;
  for (const name of /** @type {const} */ (['emcc', 'pure-ts'])) {
    if (name === ref) continue;
    const want = /** @type {string[]} */ (results[ref]);
    const got = results[name];
    let diffs = 0;
    for (let i = 0; i < Math.max(want.length, got.length); i++) {
      if (want[i] === got[i]) continue;
      if (++diffs <= 10) console.log(`${ref}:    ${want[i]}\n${name}: ${got[i]}`);
    }
    console.log(`${name} vs ${ref}: ${got.length} lines, ${diffs ? `${diffs} differ` : 'identical'}`);
    bad += diffs;
  }
  process.exitCode = bad ? 1 : 0;
}
