// @ts-check
/**
 * bench/smoke.mjs - the benchmark's agreement check alone, for the test
 * suite: builds what is missing (dist/, the C peers if gcc/emcc exist), then
 * checks that every implementation (cpumap-wasm's API, the API with the
 * reference checker on, plain JS, the C peer natively and via emcc, the
 * libperf-algorithm peer) computes identical results for every benchmark
 * case and operation, plus the C peers on the contract's edge cases.  No
 * timing.  Exits 1 on any disagreement.
 *
 *   node bench/smoke.mjs [--no-build]
 */
import { checkAgreement } from './src/agree.mjs';
import { ensureBuilds } from './src/setup.mjs';

const t0 = Date.now();
try {
  const b = ensureBuilds({ build: !process.argv.includes('--no-build') });
  for (const n of b.notes) console.log(`note: ${n}`);
  const impls = ['api', 'refcheck', 'pure', ...(b.emcc ? ['emcc'] : [])];
  const r = await checkAgreement({ impls, native: b.native, emcc: b.emcc, log: (s) => console.log(s) });
  console.log(`bench smoke: ${r.implementations.length} implementations agree on ${r.cases} cases (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
} catch (e) {
  console.error(String(/** @type {Error} */ (e).message ?? e));
  process.exit(1);
}
