// The benchmark's agreement check, in CI: cpumap-wasm's API, its raw exports,
// the API with the checker on, plain JS, Emscripten-compiled C and native C
// must compute identical results for every benchmark case (no timing here;
// `npm run bench` times them).
import { it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { skipReason } from './systemTools.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const skip = skipReason(['gcc', 'emcc'], 'the C peers of the benchmark');

it.skipIf(skip !== undefined)(`all six implementations agree on every benchmark case${skip ? ` (${skip})` : ''}`, () => {
  const build = spawnSync('bash', ['bench/c/build.sh'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  expect(build.stdout, 'gcc and emcc are installed (.ci/run installs emscripten)').toMatch(/built bench\/build\/cpumap-emcc\.wasm/);
  // dist/ was built by `npm test`; --no-build keeps this file from rebuilding it under the other tests
  const smoke = spawnSync(process.execPath, ['bench/smoke.mjs', '--no-build'], { cwd: root, encoding: 'utf8' });
  expect(smoke.status, smoke.stdout + smoke.stderr).toBe(0);
  expect(smoke.stdout).toMatch(/agreement: 6 implementations \(api, raw, refcheck, pure, emcc, native-c\), 12 cases, \d+ results each: identical/);
  expect(smoke.stdout).toMatch(/emcc vs native: \d+ lines, identical; pure-ts vs native: \d+ lines, identical/);
}, 120_000);
