// @ts-check
/**
 * bench/smoke.mjs - the benchmark's agreement check alone, for the test
 * suite: builds what is missing (dist/, the C peers if gcc/emcc exist, the
 * SIMD experiment), then checks that every implementation (cpumap-wasm API,
 * raw exports, API with the reference checker on, pure JS, C via emcc,
 * native C) computes identical results for every benchmark case and
 * operation, plus the C peers on the spec's edge cases and the SIMD variants
 * against the core (when bench/build/simd.wasm is up to date; smoke does not
 * spend the 6 s to build it).  No timing.  Exits 1 on any disagreement.
 *
 *   node bench/smoke.mjs [--no-build]
 */
import { checkAgreement } from './src/agree.mjs';
import { ensureBuilds } from './src/setup.mjs';

const t0 = Date.now();
try {
  const b = ensureBuilds({ build: !process.argv.includes('--no-build'), buildSimd: false });
  for (const n of b.notes) console.log(`note: ${n}`);
  const impls = ['api', 'refcheck', 'pure', 'js-array', ...(b.emcc ? ['emcc'] : [])];
  const r = await checkAgreement({ impls, native: b.native, emcc: b.emcc, simd: b.simd, log: (s) => console.log(s) });
  console.log(`bench smoke: ${r.implementations.length} implementations agree on ${r.cases} cases (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
} catch (e) {
  console.error(String(/** @type {Error} */ (e).message ?? e));
  process.exit(1);
}
