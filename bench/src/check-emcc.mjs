// @ts-check
/**
 * check-emcc.mjs - smoke test of the emcc-built peer: parse "0,2-20", format
 * it back, merge, intersect, encode and decode, and print what came out.
 * Build first: bench/c/build.sh.   Run: node bench/src/check-emcc.mjs
 */
import { EmccCpumap } from './emcc-peer.mjs';

const cm = await EmccCpumap.load();
const hex = (/** @type {Uint8Array | null} */ b) => (b ? Buffer.from(b).toString('hex') : 'null');
let failures = 0;
/** @param {string} what @param {unknown} got @param {unknown} want */
function show(what, got, want) {
  const ok = got === want;
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what} = ${String(got)}${ok ? '' : ` (want ${String(want)})`}`);
}

const a = cm.parse('0,2-20');
show('parse("0,2-20") nr', cm.nr(a), 20);
show('list', cm.list(a), '0,2-20');
show('mask', cm.mask(a), '1ffffd');
show('min/max', `${cm.min(a)}/${cm.max(a)}`, '0/20');
show('has(1)/has(7)', `${cm.has(a, 1)}/${cm.has(a, 7)}`, 'false/true');

const b = cm.parse('1,256');
const m = cm.merge(cm.get(a), b); // a new map: the get'ed reference of a is consumed
show('merge with "1,256"', cm.list(m), '0-20,256');
show('refcnt of a after merge', cm.refcnt(a), 1);
cm.put(m);

const c = cm.parse('2-4,30');
const i = cm.intersect(a, c);
show('intersect with "2-4,30"', cm.list(i), '2-4');
cm.put(i);
cm.put(c);

const ev = cm.encode(a);
show('encode (MASK, one word 0x001ffffd, size 24)', hex(ev), '4a00000000001800010001000400fdff1f00000000000000');
const d = cm.decode(/** @type {Uint8Array} */ (ev).subarray(8));
show('decode', `${cm.nr(d)} ${cm.list(d)} refcnt=${cm.refcnt(d)}`, '20 0,2-20 refcnt=1');
cm.put(d);

// Upstream test [docs/contract.md §8]: "1,256" is CPUS, "1-256" RANGE; both decode back.
show('encode "1,256"', hex(cm.encode(b)), '4a000000000010000000020001000001');
const r = cm.parse('1-256');
show('encode "1-256"', hex(cm.encode(r)), '4a000000000010000200000001000001');
show('parse failure is 0', cm.parse('0-3,2'), 0);

// Memory growth: a big map forces the linear memory past its initial 1 MiB.
const before = cm.x.memory.buffer.byteLength;
const big = [];
for (let k = 0; k < 40; k++) big.push(cm.parse('0-32766'));
show('list after growth', cm.list(big[39]), '0-32766');
console.log(`     memory ${before} -> ${cm.x.memory.buffer.byteLength} bytes`);
for (const p of big) cm.put(p);

for (const p of [a, b, r]) cm.put(p);
console.log(failures ? `${failures} FAILED` : 'all ok');
process.exitCode = failures ? 1 : 0;
