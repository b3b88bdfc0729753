// The benchmark's agreement check, in CI: every implementation the benchmark
// times (cpumap-wasm's API, the API with the checker on, plain JS, the C peer
// native and compiled by Emscripten, the libperf-algorithm peer) must compute
// identical results for every benchmark case (no timing here; `npm run bench`
// times them).
import { it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { skipReason } from './systemTools.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const skip = skipReason(['gcc', 'emcc'], 'the C peers of the benchmark');

it.skipIf(skip !== undefined)(`every benchmark implementation agrees on every benchmark case${skip ? ` (${skip})` : ''}`, () => {
  const build = spawnSync('bash', ['bench/c/build.sh'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  expect(build.stdout, 'gcc and emcc are installed (.ci/run installs emscripten)').toMatch(/built bench\/build\/cpumap-emcc\.wasm/);
  // dist/ was built by `npm test`; --no-build keeps this file from rebuilding it under the other tests
  const smoke = spawnSync(process.execPath, ['bench/smoke.mjs', '--no-build'], { cwd: root, encoding: 'utf8' });
  expect(smoke.status, smoke.stdout + smoke.stderr).toBe(0);
  const agreed = /agreement: \d+ implementations \(([^)]*)\), (\d+) cases, \d+ results each: identical/.exec(smoke.stdout);
  expect(agreed, smoke.stdout).not.toBeNull();
  expect(agreed![1]!.split(', ')).toEqual(expect.arrayContaining(['api', 'refcheck', 'pure', 'emcc', 'native-c']));
  expect(smoke.stdout).toMatch(/emcc vs native: \d+ lines, identical; pure-ts vs native: \d+ lines, identical/);
}, 120_000);
