// @ts-check
/**
 * worker.mjs - one implementation in a process of its own (run by
 * bench/run.mjs; the reference checker's mode is fixed per process).
 *
 *   node --expose-gc bench/src/worker.mjs --impl NAME --task check|time|memory
 *        [--quick] [--ops a,b] [--sizes 4,64] [--shapes dense]
 *
 *   check   prints {"lines": [...]}: the agreement lines of every case
 *   time    prints one JSON line per (op, shape, size), native.c's format
 *   memory  prints one JSON line per size (dense maps)
 *
 * NAME: api | raw | refcheck | pure | emcc | js-array (see impls.mjs).
 */
import { IMPLS } from './impls.mjs';
import { measure, sinkValue, timing } from './harness.mjs';
import { NPROBES, OPS, SHAPES, SIZES, agreementLines, expectedSum, makeCase } from './workload.mjs';

const argv = process.argv.slice(2);
/** @param {string} name */
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const impl = opt('--impl') ?? '';
const task = opt('--task') ?? 'time';
const quick = argv.includes('--quick');
const list = (/** @type {string | undefined} */ s) => (s ? s.split(',').filter(Boolean) : undefined);
const ops = list(opt('--ops')) ?? [...OPS];
const sizes = (list(opt('--sizes')) ?? SIZES.map(String)).map(Number);
const shapes = list(opt('--shapes')) ?? [...SHAPES];

if (!IMPLS[impl]) {
  console.error(`worker: unknown implementation "${impl}" (${Object.keys(IMPLS).join(', ')})`);
  process.exit(2);
}
// The checker's mode is decided when the first map is made: set it first.
process.env.CPUMAP_REFCHECK = impl === 'refcheck' ? '1' : '0';

const I = await IMPLS[impl].load();
const out = (/** @type {unknown} */ o) => process.stdout.write(`${JSON.stringify(o)}\n`);

if (task === 'check') {
  const lines = [];
  for (const shape of shapes) {
    for (const size of sizes) {
      const c = makeCase(/** @type {'dense' | 'sparse'} */ (shape), size);
      const k = I.setup(c);
      if (k.results) lines.push(...agreementLines(c.label, k.results()));
      // the op loops too, a few iterations each: a loop that computes
      // something else than results() (a typo in an op) fails here
      for (const op of Object.keys(k.ops)) {
        const n = op === 'has' ? NPROBES + 6 : 3; // has: past one wrap of the probes
        const s = k.ops[op](n);
        const want = expectedSum(c, op, n);
        if (s !== want) throw new Error(`${impl} ${c.label} ${op}: loop checksum ${s}, expected ${want}`);
      }
      k.teardown();
    }
  }
  out({ impl, lines });
} else if (task === 'time') {
  const t = timing(quick);
  // warm-up: the first case's loops run once untimed, so that the first
  // figures are not the JIT's tiers at work
  {
    const c = makeCase(/** @type {'dense' | 'sparse'} */ (shapes[0]), sizes[0]);
    const k = I.setup(c);
    for (const op of ops) if (k.ops[op]) measure(k.ops[op], { ...t, check() {} });
    k.teardown();
  }
  for (const shape of shapes) {
    for (const size of sizes) {
      const c = makeCase(/** @type {'dense' | 'sparse'} */ (shape), size);
      const k = I.setup(c);
      for (const op of ops) {
        const fn = k.ops[op];
        if (!fn) continue;
        const r = measure(fn, {
          ...t,
          check(n, s) {
            const want = expectedSum(c, op, n);
            if (s !== want) throw new Error(`${impl} ${c.label} ${op}: checksum ${s} after ${n} ops, expected ${want}`);
          },
        });
        out({ impl, op, size, shape, ...r });
      }
      k.teardown();
    }
  }
  process.stderr.write(`checksum ${sinkValue()}\n`);
} else if (task === 'memory') {
  if (!I.memory) {
    out({ impl, size: 0, skipped: 'no memory measure' });
  } else {
    for (const size of sizes) out({ impl, size, ...I.memory(makeCase('dense', size)) });
    if (I.handleMemory) out({ impl, size: 0, ...I.handleMemory() });
  }
} else {
  console.error(`worker: unknown task ${task}`);
  process.exit(2);
}
