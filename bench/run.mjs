// @ts-check
/**
 * bench/run.mjs - `npm run bench`: cpumap-wasm's public API against libperf's
 * algorithms, a C peer and plain JS, on the same operands, interleaved.
 *
 *   1. builds what is missing or stale: dist/ (npm run build) and the C
 *      programs (bench/c/build.sh: gcc and emcc; a missing compiler drops
 *      its columns with a note);
 *   2. agreement check: every implementation computes every operation's
 *      result for every case; any difference aborts the run (src/agree.mjs);
 *   3. timing, round by round: in each round, for each operation, every
 *      implementation runs that operation over every case in a fresh
 *      process, one implementation after the other; a case's figure is the
 *      median of its rounds' medians (a noisy 2-core machine shared with
 *      other work: interleaving keeps a burst of load from hitting one
 *      implementation only);
 *   4. memory per map, and the reference checker's costs (bench/refcheck.mjs);
 *   5. writes latest.json and latest.md (src/report.mjs) to bench/results/.
 *
 * Implementations (labels in src/report.mjs):
 *   libperf-algo  libperf's algorithms in C (bench/c/libperf-algo.c), gcc -O2
 *   native-c      the C peer (bench/c/cpumap.c: better algorithms), gcc -O2
 *   emcc          the same C peer compiled to wasm by emcc -O3
 *   api           cpumap-wasm's public API (CpuMap, dist/index.js)
 *   pure          plain JS (bench/src/pure-ts.mjs, shared with test/model.ts)
 *   refcheck      the API with the reference checker on (only with --impls)
 *   floor         the least work each operation must do, in C (native --floors)
 *
 * Options:
 *   --quick         1 ms batches x 5, one round; writes to bench/results/tmp/
 *   --rounds N      rounds of timing (default 3; --quick: 1)
 *   --check-only    steps 1-2 only (see also bench/smoke.mjs)
 *   --impls a,b     only these implementations   --ops a,b   only these operations
 *   --sizes 4,64    only these sizes              --shapes dense,alt   only these shapes
 *   --no-build      use dist/ and bench/build/ as they are
 *   --no-refcheck   leave out step 4b (bench/refcheck.mjs)
 *   --out DIR       where to write the results (default bench/results)
 *   --render FILE   no measuring: re-render latest.md from an existing latest.json
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { DisagreementError, checkAgreement, runProcess, workerEnv } from './src/agree.mjs';
import { renderMarkdown, verdicts } from './src/report.mjs';
import { NATIVE, NATIVE_LIBPERF, ROOT, ensureBuilds, environment } from './src/setup.mjs';
import { OPS, SHAPES, SIZES, expectedSum, makeCase } from './src/workload.mjs';

const argv = process.argv.slice(2);
/** @param {string} name */
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const list = (/** @type {string | undefined} */ s) => (s ? s.split(',').filter(Boolean) : undefined);
const quick = argv.includes('--quick');
const rounds = Math.max(1, Number(opt('--rounds') ?? (quick ? 1 : 3)));
const onlyImpls = list(opt('--impls'));
const ops = list(opt('--ops')) ?? [...OPS];
const sizes = list(opt('--sizes'))?.map(Number) ?? SIZES;
const shapes = list(opt('--shapes')) ?? [...SHAPES];
const outDir = opt('--out') ?? join(ROOT, quick ? 'bench/results/tmp' : 'bench/results');
const t0 = Date.now();
const log = (/** @type {string} */ s) => process.stderr.write(`${s}\n`);

/** Timed by default, in this order within a round. */
const DEFAULT_IMPLS = ['libperf-algo', 'native-c', 'emcc', 'api', 'pure', 'floor'];
const NATIVE_IMPLS = new Set(['libperf-algo', 'native-c', 'floor']);

/**
 * Spawns cmd and calls onLine for each JSON line of its stdout.
 * @param {string} cmd @param {string[]} args @param {NodeJS.ProcessEnv} env @param {(o: any) => void} onLine
 */
function streamJson(cmd, args, env, onLine) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, env });
    let buf = '';
    let err = '';
    /** @type {Error | null} */
    let failed = null;
    p.stdout.on('data', (d) => {
      buf += d;
      let k;
      while (!failed && (k = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, k).trim();
        buf = buf.slice(k + 1);
        try {
          if (line) onLine(JSON.parse(line));
        } catch (e) {
          failed = /** @type {Error} */ (e);
          p.kill();
        }
      }
    });
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (failed) reject(failed);
      else if (code === 0) resolve(err);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${err}`));
    });
  });
}

/** The command that times `impl` on one operation over every case. @param {string} impl @param {string} op */
function timingCommand(impl, op) {
  const q = quick ? ['--quick'] : [];
  if (impl === 'native-c') return { cmd: NATIVE, args: [...q, '--op', op], env: process.env };
  if (impl === 'libperf-algo') return { cmd: NATIVE_LIBPERF, args: [...q, '--op', op, '--name', 'libperf-algo'], env: process.env };
  if (impl === 'floor') return { cmd: NATIVE, args: [...q, '--op', op, '--floors'], env: process.env };
  return {
    cmd: process.execPath,
    args: ['--expose-gc', join(ROOT, 'bench/src/worker.mjs'), '--impl', impl, '--task', 'time', '--ops', op,
      '--sizes', sizes.join(','), '--shapes', shapes.join(','), ...q],
    env: workerEnv(),
  };
}

async function main() {
  // 1. builds
  const b = ensureBuilds({ build: !argv.includes('--no-build'), log });
  for (const n of b.notes) log(`note: ${n}`);
  const available = DEFAULT_IMPLS.filter((i) => (NATIVE_IMPLS.has(i) ? b.native : i !== 'emcc' || b.emcc));
  const impls = onlyImpls ? onlyImpls.filter((i) => available.includes(i) || i === 'refcheck') : available;

  // 2. agreement
  const workerImpls = ['api', 'refcheck', 'pure', ...(b.emcc ? ['emcc'] : [])];
  const agreement = await checkAgreement({ impls: workerImpls, native: b.native, emcc: b.emcc, log });
  if (argv.includes('--check-only')) {
    log(`check only: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return;
  }

  const env = environment();
  const git = (/** @type {string[]} */ a) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' });
  const head = git(['rev-parse', '--short', 'HEAD']);
  const source = head.status === 0
    ? { commit: head.stdout.trim(), uncommitted_core_changes: git(['status', '--porcelain', '--', 'assembly', 'src']).stdout.trim() !== '' }
    : null;
  log(`machine: ${env.cpu} x${env.cores}, ${env.memory_gib} GiB, ${env.os}`);

  // 3. timing, interleaved
  /** @type {Record<string, any>} */
  const results = {};
  const cases = new Map(shapes.flatMap((shape) => sizes.map((size) => [`${shape}-${size}`, makeCase(shape, size)])));
  for (let round = 1; round <= rounds; round++) {
    for (const op of ops) {
      const t1 = Date.now();
      for (const impl of impls) {
        const { cmd, args, env: e } = timingCommand(impl, op);
        await streamJson(cmd, args, e, (r) => {
          if (!shapes.includes(r.shape) || !sizes.includes(r.size)) return;
          if (r.impl === 'native-c' || r.impl === 'libperf-algo') {
            // the C drivers report their last batch's checksum: check it like the JS harness does
            const want = expectedSum(/** @type {any} */ (cases.get(`${r.shape}-${r.size}`)), r.op, r.batch);
            if (r.sum !== want) throw new Error(`${r.impl} ${r.op} ${r.shape} ${r.size}: checksum ${r.sum}, expected ${want}`);
          }
          const slot = (((results[r.impl] ??= {})[r.shape] ??= {})[String(r.size)] ??= {});
          (slot[r.op] ??= { medians: [] }).medians.push(r.ns_per_op);
        });
      }
      log(`round ${round}/${rounds}: ${op} (${impls.join(', ')}) ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    }
  }
  for (const byShape of Object.values(results)) {
    for (const bySize of Object.values(byShape)) {
      for (const byOp of Object.values(bySize)) {
        for (const cell of Object.values(byOp)) {
          const m = [...cell.medians].sort((x, y) => x - y);
          cell.ns_per_op = m[(m.length - 1) >> 1];
          cell.ns_min = m[0];
          cell.ns_max = m[m.length - 1];
        }
      }
    }
  }

  // 4a. memory per map
  /** @type {Record<string, any[]>} */
  const memory = {};
  log('memory per map ...');
  for (const impl of ['api', 'pure', ...(b.emcc ? ['emcc'] : [])]) {
    const r = await runProcess(process.execPath, ['--expose-gc', join(ROOT, 'bench/src/worker.mjs'), '--impl', impl, '--task', 'memory'], workerEnv());
    if (r.code !== 0) throw new Error(`memory measure of ${impl} failed:\n${r.stderr}`);
    memory[impl] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  }
  if (b.native) {
    const r = spawnSync(NATIVE, ['--memory'], { encoding: 'utf8' });
    if (r.status === 0) memory['native-c'] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  }

  // 4b. reference checker (bench/refcheck.mjs, as is)
  /** @type {{ lines?: string[], error?: string }} */
  const refcheck = {};
  if (argv.includes('--no-refcheck')) {
    refcheck.error = 'skipped (--no-refcheck)';
  } else {
    log(`reference checker: node bench/refcheck.mjs${quick ? ' --quick' : ''} ...`);
    const rc = await runProcess(process.execPath, [join(ROOT, 'bench/refcheck.mjs'), ...(quick ? ['--quick'] : [])], workerEnv());
    if (rc.code !== 0) refcheck.error = `bench/refcheck.mjs exited with ${rc.code}: ${rc.stderr.trim().split('\n').pop()}`;
    else refcheck.lines = rc.stdout.trim().split('\n');
    log(`  ${refcheck.error ?? refcheck.lines?.join('\n  ')}`);
  }

  // 5. report
  writeReport({
    meta: {
      command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      quick,
      rounds,
      duration_s: Math.round((Date.now() - t0) / 1000),
      machine: env,
      source,
      load_avg_at_end: os.loadavg().map((x) => Math.round(x * 100) / 100),
      notes: b.notes,
      timing: quick ? { target_ms: 1, runs: 5 } : { target_ms: 5, runs: 11 },
    },
    agreement,
    results,
    memory,
    refcheck,
  });
}

/** latest.json and latest.md in outDir. @param {any} data */
function writeReport(data) {
  mkdirSync(outDir, { recursive: true });
  // 5 significant digits are plenty for timings and keep the file small
  const json = JSON.stringify(data, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(5)) : v), 1);
  writeFileSync(join(outDir, 'latest.json'), `${json}\n`);
  writeFileSync(join(outDir, 'latest.md'), renderMarkdown(data));
  log('');
  for (const v of verdicts(data)) log(v);
  log(`\nwrote ${['latest.json', 'latest.md'].map((f) => relative(process.cwd(), join(outDir, f))).join(', ')} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

try {
  const render = opt('--render');
  if (render) writeReport(JSON.parse(readFileSync(render, 'utf8')));
  else await main();
} catch (e) {
  const msg = /** @type {Error} */ (e).message ?? String(e);
  process.stderr.write(`\n${e instanceof DisagreementError ? msg : `bench failed: ${msg}`}\n`);
  process.exit(1);
}
