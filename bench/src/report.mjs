// @ts-check
/**
 * report.mjs - bench/run.mjs's data as Markdown: per operation, the public
 * API against libperf's algorithms, the other peers and the floor; and the
 * verdicts the issue asks for (API at or below libperf on every case; within
 * 2x of the floor where there is one).
 */
import { OPS, SHAPES, SIZES } from './workload.mjs';

/** Every implementation, labelled for what it is. */
export const IMPL_INFO = {
  'libperf-algo': { label: 'libperf algorithms (C)', long: 'libperf\'s own algorithms, written for the bench in C (bench/c/libperf-algo.c: quadratic duplicate scan in parse, sort after merge, refcount by compare-and-swap, accessor loops), gcc -O2: stands for libperf' },
  'native-c': { label: 'C peer', long: 'a C peer with better algorithms than libperf (bench/c/cpumap.c: bitmap duplicate check, no sort, plain counter), gcc -O2' },
  emcc: { label: 'C peer → wasm', long: 'the same C peer compiled by emcc -O3 to standalone wasm, exports called from JS' },
  api: { label: 'cpumap-wasm API', long: 'cpumap-wasm\'s public API (CpuMap from dist/index.js), reference checker off' },
  refcheck: { label: 'API + checker', long: 'the public API with the reference checker on (CPUMAP_REFCHECK=1)' },
  pure: { label: 'plain JS', long: 'the obvious plain-JS implementation (bench/src/pure-ts.mjs): what a user would write' },
  floor: { label: 'floor', long: 'the least work the operation must do, in C (native --floors): fill the range (parse, decode), memcmp (equal, is_subset), a bitmap bit test (has), a scratch bitmap (merge, intersect)' },
};
const COLUMNS = /** @type {(keyof typeof IMPL_INFO)[]} */ (['libperf-algo', 'native-c', 'emcc', 'api', 'refcheck', 'pure', 'floor']);

const UNIT = {
  parse: 'parse(text of A) + put',
  format_list: 'list text of A',
  format_mask: 'hex mask text of A',
  iterate: 'whole `for (i < nr) cpu(i)` loop over A',
  has: 'one lookup (1024 probes, about half hits)',
  equal: 'equal(A, A2): A2 a second map of A\'s text (alt, half: of B\'s, a real subset)',
  is_subset: 'is_subset(A, A2): identical maps (dense, sparse) or a real subset (alt, half)',
  merge: 'get(A); merge(&A, B); put (alt, half: B inside A, the shortcut)',
  intersect: 'intersect(A, B) + put (alt, half: B inside A, the shortcut)',
  get_put: 'get + put of one reference',
  encode: 'whole PERF_RECORD_CPU_MAP event of A',
  decode: 'decode(payload of A\'s event) + put',
};

/** 3 significant digits with a unit. @param {number} ns */
export function fmtNs(ns) {
  const [div, u] = ns >= 1e6 ? [1e6, 'ms'] : ns >= 1e3 ? [1e3, 'µs'] : [1, 'ns'];
  const x = ns / div;
  return `${x >= 100 ? Math.round(x) : x >= 10 ? x.toFixed(1) : x.toFixed(2)} ${u}`;
}

/** @param {number} x */
const fmtRatio = (x) => (x >= 10 ? `${x.toFixed(0)}×` : `${x.toFixed(2)}×`);

/** @param {any} R @param {string} impl @param {string} shape @param {number} size @param {string} op */
export function get(R, impl, shape, size, op) {
  return R?.[impl]?.[shape]?.[String(size)]?.[op];
}

/** @param {string[]} head @param {string[][]} rows */
function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The floor that bounds an op on a shape, if it means something there. @param {any} R @param {string} shape @param {number} size @param {string} op */
function floorOf(R, shape, size, op) {
  // filling a range bounds parse and decode only where A is one range
  if ((op === 'parse' || op === 'decode') && shape !== 'dense' && shape !== 'alt') return undefined;
  // memcmp bounds equal only where the maps are equal
  if (op === 'equal' && (shape === 'alt' || shape === 'half')) return undefined;
  return get(R, 'floor', shape, size, op);
}

/**
 * One line per verdict: API <= libperf algorithms on every case, API within
 * 2x of the floor where there is one.
 * @param {any} data
 */
export function verdicts(data) {
  const R = data.results;
  const slower = [];
  const far = [];
  let compared = 0;
  let floored = 0;
  for (const op of OPS) {
    for (const shape of SHAPES) {
      for (const size of SIZES) {
        const a = get(R, 'api', shape, size, op);
        const l = get(R, 'libperf-algo', shape, size, op);
        if (a && l) {
          compared++;
          if (a.ns_per_op > l.ns_per_op) slower.push(`${op} ${shape} ${size} (${fmtRatio(a.ns_per_op / l.ns_per_op)})`);
        }
        const f = floorOf(R, shape, size, op);
        if (a && f) {
          floored++;
          if (a.ns_per_op > 2 * f.ns_per_op) far.push(`${op} ${shape} ${size} (${fmtRatio(a.ns_per_op / f.ns_per_op)})`);
        }
      }
    }
  }
  return [
    `API at or below libperf's algorithms: ${compared - slower.length} of ${compared} cases${slower.length ? `; slower: ${slower.join(', ')}` : ''}`,
    `API within 2× of the floor: ${floored - far.length} of ${floored} cases${far.length ? `; further: ${far.join(', ')}` : ''}`,
  ];
}

/** @param {any} data */
export function renderMarkdown(data) {
  const R = data.results;
  const m = data.meta;
  const env = m.machine;
  const out = [];
  out.push('# cpumap-wasm benchmark');
  out.push('');
  out.push(`\`${m.command}\`, ${m.date}${m.source ? `, commit ${m.source.commit}${m.source.uncommitted_core_changes ? ' (with uncommitted changes to src/ or assembly/)' : ''}` : ''}; ${m.duration_s} s.`);
  out.push('');
  out.push(`**Machine**: ${env.cpu} (${env.cores} cores${env.cpu_flags ? `, ${env.cpu_flags}` : ''}), ${env.memory_gib} GiB, ${env.os}; ` +
    `Node ${env.versions.node} (V8 ${env.versions.v8}), ${env.versions.gcc ?? 'no gcc'}, ${env.versions.emcc ?? 'no emcc'}, asc ${env.versions.asc ?? '?'}. ` +
    `Load average ${env.load_avg_at_start.join(' ')} at the start, ${m.load_avg_at_end.join(' ')} at the end.`);
  out.push('');
  out.push(`**Method**: ${m.rounds} round${m.rounds > 1 ? 's' : ''}; in each round every operation is timed for every implementation in turn, ` +
    `each in a fresh process over every case (batches of about ${m.timing.target_ms} ms, ${m.timing.runs} batches, median per round). ` +
    'A figure is the median of the rounds\' medians, per operation. Every loop\'s checksum is checked against the model after every batch. ' +
    `Before timing, ${data.agreement.implementations.length} implementations (${data.agreement.implementations.join(', ')}) computed identical results for ${data.agreement.cases} cases.`);
  out.push('');
  out.push('**Implementations**:');
  out.push('');
  for (const k of COLUMNS) if (R[k]) out.push(`- **${IMPL_INFO[k].label}**: ${IMPL_INFO[k].long}.`);
  out.push('');
  out.push('**Shapes**: dense: A = 0..n-1, B = n/2..n/2+n-1; sparse: A and B n random cpus each; ' +
    'alt: A dense, B every other cpu of A; half: A sparse, B a random half of A. In alt and half B is a real subset of A.');
  out.push('');
  out.push('## Verdicts');
  out.push('');
  for (const v of verdicts(data)) out.push(`- ${v}`);
  for (const n of m.notes ?? []) out.push(`- note: ${n}`);
  out.push('');
  const cols = COLUMNS.filter((k) => R[k]);
  for (const op of OPS) {
    if (!cols.some((k) => R[k] && Object.values(R[k]).some((s) => Object.values(/** @type {any} */ (s)).some((z) => z[op])))) continue;
    out.push(`## \`${op}\`: ${UNIT[/** @type {keyof typeof UNIT} */ (op)]}`);
    out.push('');
    const rows = [];
    for (const shape of SHAPES) {
      for (const size of SIZES) {
        const a = get(R, 'api', shape, size, op);
        const l = get(R, 'libperf-algo', shape, size, op);
        const f = floorOf(R, shape, size, op);
        if (!a && !l) continue;
        rows.push([shape, String(size),
          ...cols.map((k) => {
            const c = k === 'floor' ? f : get(R, k, shape, size, op);
            return c ? fmtNs(c.ns_per_op) : '';
          }),
          a && l ? `${a.ns_per_op <= l.ns_per_op ? '' : '**'}${fmtRatio(a.ns_per_op / l.ns_per_op)}${a.ns_per_op <= l.ns_per_op ? '' : '**'}` : '',
          a && f ? fmtRatio(a.ns_per_op / f.ns_per_op) : '']);
      }
    }
    out.push(table(['shape', 'cpus', ...cols.map((k) => IMPL_INFO[k].label), 'API / libperf', 'API / floor'], rows));
    out.push('');
  }
  out.push('## Memory per map');
  out.push('');
  const mem = data.memory ?? {};
  const memRows = [];
  for (const size of SIZES) {
    const cell = (/** @type {string} */ impl, /** @type {string} */ key) => mem[impl]?.find((/** @type {any} */ r) => r.size === size)?.[key];
    const row = [String(size), cell('api', 'wasm_bytes_per_map'), cell('native-c', 'bytes_per_map'), cell('emcc', 'wasm_bytes_per_map'), cell('pure', 'js_heap_bytes_per_map')];
    if (row.slice(1).some((x) => x !== undefined)) memRows.push(row.map((x) => (x === undefined ? '' : typeof x === 'number' ? String(Math.round(x)) : x)));
  }
  out.push(table(['cpus', 'cpumap-wasm (wasm bytes)', 'C peer (malloc bytes)', 'C peer → wasm', 'plain JS (JS heap bytes)'], memRows));
  out.push('');
  out.push('## Reference checker (bench/refcheck.mjs)');
  out.push('');
  out.push(data.refcheck?.error ? `Not measured: ${data.refcheck.error}` : ['```', ...(data.refcheck?.lines ?? []), '```'].join('\n'));
  out.push('');
  return out.join('\n');
}
