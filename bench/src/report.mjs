// @ts-check
/**
 * report.mjs - turns bench/run.mjs's data into the target verdicts, the
 * Markdown report and the SVG chart (hand-written, no dependencies).
 */
import { OPS, SIZES } from './workload.mjs';

/** Column order and labels. */
export const IMPL_INFO = {
  'native-c': { label: 'native C', long: 'native C (gcc -O2, bench/c/cpumap.c)', color: '#555555' },
  emcc: { label: 'C→wasm (emcc)', long: 'the same C compiled by emcc -O3 to wasm, exports called from JS', color: '#8c6d31' },
  raw: { label: 'cpumap-wasm raw', long: 'cpumap-wasm wasm exports called directly (defaultCore.ex)', color: '#1f77b4' },
  api: { label: 'cpumap-wasm API', long: 'cpumap-wasm public API (CpuMap from dist/index.js), reference checker off', color: '#2ca02c' },
  refcheck: { label: 'API + checker', long: 'the public API with the reference checker on (CPUMAP_REFCHECK=1, default stack depth)', color: '#9467bd' },
  pure: { label: 'pure JS', long: 'plain JS implementation (bench/src/pure-ts.mjs): what a user would write', color: '#d62728' },
  'js-array': { label: 'JS array', long: 'baseline for lookups: a sorted number[] (arr[i] loop, binary search)', color: '#7f7f7f' },
};
export const IMPL_ORDER = /** @type {(keyof typeof IMPL_INFO)[]} */ (['native-c', 'emcc', 'raw', 'api', 'refcheck', 'pure', 'js-array']);

const UNIT = {
  parse: 'parse(text of A) + put',
  format_list: 'list text of A',
  format_mask: 'hex mask text of A',
  iterate: 'whole `for (i < nr) cpu(i)` loop over A (nr read every step)',
  has: 'one lookup (1024 probes, about half hits)',
  equal: 'equal(A, A2), A2 a second map with the same CPUs',
  is_subset: 'is_subset(A, A2): full walk, true',
  merge: 'get(A); merge(&A, B); put: a new map every time',
  intersect: 'intersect(A, B) + put',
  get_put: 'get + put of one reference',
  encode: 'whole PERF_RECORD_CPU_MAP event of A',
  decode: 'decode(payload of A\'s event) + put',
};

// ---------------------------------------------------------------- formatting

/** 3 significant digits. @param {number} x */
function sig3(x) {
  if (!Number.isFinite(x)) return String(x);
  if (x >= 100) return Math.round(x).toString();
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** @param {number} ns */
function unitOf(ns) {
  if (ns >= 1e6) return { div: 1e6, u: 'ms' };
  if (ns >= 1e3) return { div: 1e3, u: 'µs' };
  return { div: 1, u: 'ns' };
}

/** "1.23 µs" @param {number} ns */
export function fmtNs(ns) {
  const { div, u } = unitOf(ns);
  return `${sig3(ns / div)} ${u}`;
}

/** "1.23 µs (1.20–1.31)" @param {{ns_per_op: number, ns_min: number, ns_max: number}} r */
function fmtSpread(r) {
  const { div, u } = unitOf(r.ns_per_op);
  return `${sig3(r.ns_per_op / div)} ${u} (${sig3(r.ns_min / div)}–${sig3(r.ns_max / div)})`;
}

/** @param {number} x */
function fmtRatio(x) {
  if (x >= 100) return `×${Math.round(x)}`;
  if (x >= 10) return `×${x.toFixed(1)}`;
  return `×${x.toFixed(2)}`;
}

/** "2.3× faster" / "1.4× slower" / "same" @param {number} s old time / new time */
function speedup(s) {
  if (s >= 1.05) return `${s >= 100 ? Math.round(s) : s.toFixed(1)}× faster`;
  if (s <= 1 / 1.05) return `${(1 / s).toFixed(1)}× slower`;
  return 'same';
}

/** @param {number} ops */
function fmtOps(ops) {
  if (ops >= 1e9) return `${sig3(ops / 1e9)} G`;
  if (ops >= 1e6) return `${sig3(ops / 1e6)} M`;
  if (ops >= 1e3) return `${sig3(ops / 1e3)} k`;
  return sig3(ops);
}

/** @param {string[]} head @param {string[][]} rows @param {string} [align] */
function table(head, rows, align) {
  const a = align ?? head.map((h, i) => (i === 0 || h === 'shape' || h === 'verdict' || h === 'lookup' ? 'l' : 'r')).join('');
  return [
    `| ${head.join(' | ')} |`,
    `| ${[...a].map((c) => (c === 'r' ? '---:' : c === 'c' ? ':---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

// ---------------------------------------------------------------- data access

/**
 * @typedef {{ ns_per_op: number, ns_min: number, ns_max: number, ns_q1: number, ns_q3: number, runs: number, batch: number, medians?: number[] }} Timing
 * @typedef {Record<string, Record<string, Record<string, Record<string, Timing>>>>} Results  impl -> shape -> size -> op
 */

/** @param {Results} R @param {string} impl @param {string} shape @param {number} size @param {string} op */
export function get(R, impl, shape, size, op) {
  return R[impl]?.[shape]?.[String(size)]?.[op];
}

/** @param {Results} R @param {string} impl @param {string} shape @param {number} size @param {string} op */
function ratio(R, impl, shape, size, op) {
  const a = get(R, impl, shape, size, op);
  const c = get(R, 'native-c', shape, size, op);
  return a && c ? a.ns_per_op / c.ns_per_op : null;
}

// ---------------------------------------------------------------- targets

/**
 * @param {any} data the whole report object (results, refcheck)
 * @returns {{ id: string, text: string, met: boolean | null, summary: string, detail: string }[]}
 */
export function evaluateTargets(data) {
  /** @type {Results} */
  const R = data.results;
  const out = [];

  // T1: raw core within 1.5x of native C, every op, >= 256 CPUs
  {
    const rows = [];
    let over = 0;
    let total = 0;
    for (const op of OPS) {
      let worst = { r: 0, where: '' };
      const rs = [];
      for (const shape of ['dense', 'sparse']) {
        for (const size of SIZES.filter((s) => s >= 256)) {
          const r = ratio(R, 'raw', shape, size, op);
          if (r === null) continue;
          total++;
          rs.push(r);
          if (r > 1.5) over++;
          if (r > worst.r) worst = { r, where: `${shape} ${size}` };
        }
      }
      if (!rs.length) continue;
      rs.sort((x, y) => x - y);
      const within = rs.filter((r) => r <= 1.5).length;
      rows.push([`\`${op}\``, fmtRatio(rs[0]), fmtRatio(rs[rs.length >> 1]), `${fmtRatio(worst.r)} (${worst.where})`, `${within}/${rs.length}`, within === rs.length ? 'met' : '**not met**']);
    }
    const met = total ? over === 0 : null;
    out.push({
      id: 'T1',
      text: 'wasm core (raw exports) within 1.5× of native C per operation, maps of 256 CPUs and more',
      met,
      summary: total ? `${total - over} of ${total} (op, shape, size) cases within 1.5×; ${rows.filter((r) => r[5] === 'met').length} of ${rows.length} ops met in every case` : 'no native C figures',
      detail: `${table(['op', 'best ratio', 'median ratio', 'worst ratio (where)', 'cases ≤ 1.5×', 'verdict'], rows)}\n\n` +
        'Ratios are raw-export time / native C time over dense and sparse maps of 256, 1024, 4096 and 8192 CPUs. ' +
        '`iterate` (2 calls per CPU), `has` and `get_put` (1–2 calls per operation) are bounded by the JS→wasm call itself ' +
        '(about 2 ns, see the C→wasm column, which pays the same), not by the core\'s code; the other operations run inside one call.',
    });
  }

  // T2: >= 2x faster than pure JS on merge, intersect, parse, >= 1024 CPUs (public API; raw shown too)
  {
    const rows = [];
    let fails = 0;
    let total = 0;
    for (const op of ['merge', 'intersect', 'parse']) {
      for (const shape of ['dense', 'sparse']) {
        for (const size of SIZES.filter((s) => s >= 1024)) {
          const p = get(R, 'pure', shape, size, op);
          const a = get(R, 'api', shape, size, op);
          const w = get(R, 'raw', shape, size, op);
          if (!p || !a) continue;
          const sa = p.ns_per_op / a.ns_per_op;
          total++;
          if (sa < 2) fails++;
          rows.push([`\`${op}\``, shape, String(size), fmtNs(p.ns_per_op), fmtNs(a.ns_per_op), `${sa.toFixed(2)}×`, w ? `${(p.ns_per_op / w.ns_per_op).toFixed(2)}×` : 'n/a', sa >= 2 ? 'met' : '**not met**']);
        }
      }
    }
    out.push({
      id: 'T2',
      text: 'at least 2× faster than pure JS on merge, intersect and parse, maps of 1024 CPUs and more (public API; raw exports shown too)',
      met: total ? fails === 0 : null,
      summary: `${total - fails} of ${total} cases at least 2× faster through the public API`,
      detail: table(['op', 'shape', 'CPUs', 'pure JS', 'cpumap-wasm API', 'API speed-up', 'raw speed-up', 'verdict'], rows),
    });
  }

  // T3: small maps, has/cpu through the public API <= 3x a plain JS array
  {
    const rows = [];
    let fails = 0;
    let total = 0;
    for (const op of ['has', 'iterate']) {
      for (const shape of ['dense', 'sparse']) {
        for (const size of [4, 64]) {
          const j = get(R, 'js-array', shape, size, op);
          const a = get(R, 'api', shape, size, op);
          if (!j || !a) continue;
          const x = a.ns_per_op / j.ns_per_op;
          total++;
          if (x > 3) fails++;
          const per = op === 'iterate' ? ` (${fmtNs(a.ns_per_op / size)} per cpu(i))` : '';
          rows.push([op === 'has' ? '`has` (binary search)' : '`cpu(i)` (iterate loop)', shape, String(size), fmtNs(j.ns_per_op), `${fmtNs(a.ns_per_op)}${per}`, `${x.toFixed(2)}×`, x <= 3 ? 'met' : '**not met**']);
        }
      }
    }
    out.push({
      id: 'T3',
      text: 'small maps (4 and 64 CPUs): `has` / `cpu` lookups through the public API at most 3× a plain JS sorted-array lookup',
      met: total ? fails === 0 : null,
      summary: `${total - fails} of ${total} cases within 3×`,
      detail: table(['lookup', 'shape', 'CPUs', 'JS array', 'cpumap-wasm API', 'API / array', 'verdict'], rows),
    });
  }

  // T4: the reference checker (bench/refcheck.mjs)
  {
    const rc = data.refcheck?.modes;
    if (!rc) {
      out.push({ id: 'T4', text: 'reference checker costs (bench/refcheck.mjs)', met: null, summary: data.refcheck?.error ?? 'not run', detail: '' });
    } else {
      const offGp = rc.off.getput.ns / rc.raw.getput.ns - 1;
      const offPhp = rc.off.parseHasPut.ns / rc.raw.parseHasPut.ns - 1;
      const on = rc.on.getput.ns;
      const nos = rc['on-nostack'].getput.ns;
      const pct = (/** @type {number} */ x) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
      out.push({
        id: 'T4a',
        text: 'checker off within 5% of raw (get+put pairs and parse/has/put, bench/refcheck.mjs)',
        met: offGp <= 0.05 && offPhp <= 0.05,
        summary: `get+put ${pct(offGp)} (${rc.off.getput.ns.toFixed(1)} vs ${rc.raw.getput.ns.toFixed(1)} ns), parse+2 has+put ${pct(offPhp)} (${rc.off.parseHasPut.ns.toFixed(1)} vs ${rc.raw.parseHasPut.ns.toFixed(1)} ns)`,
        detail: '',
      });
      out.push({
        id: 'T4b',
        text: 'checker on, default stack depth: get+put ≤ 3 µs',
        met: on <= 3000,
        summary: `${(on / 1000).toFixed(2)} µs (${(rc.on.getput.min / 1000).toFixed(2)}–${(rc.on.getput.max / 1000).toFixed(2)})`,
        detail: '',
      });
      out.push({
        id: 'T4c',
        text: 'checker on, stackDepth 0: get+put ≤ 0.3 µs',
        met: nos <= 300,
        summary: `${(nos / 1000).toFixed(3)} µs (${(rc['on-nostack'].getput.min / 1000).toFixed(3)}–${(rc['on-nostack'].getput.max / 1000).toFixed(3)})`,
        detail: '',
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- SVG

/**
 * Grouped bars: ns/op of each implementation divided by native C's, per op,
 * at `size` CPUs; one panel per shape; log2 scale, bars grow from the 1× line.
 * @param {any} data
 * @param {number} size
 */
export function renderSvg(data, size = 1024) {
  /** @type {Results} */
  const R = data.results;
  const impls = ['emcc', 'raw', 'api', 'refcheck', 'pure'].filter((i) => R[i]);
  const shapes = ['dense', 'sparse'];
  const W = 980;
  const left = 64;
  const right = 16;
  const top = 74;
  const panelH = 250;
  const gap = 58;
  const H = top + shapes.length * panelH + (shapes.length - 1) * gap + 44;
  let lo = 0.5;
  let hi = 2;
  for (const shape of shapes) {
    for (const op of OPS) {
      for (const i of impls) {
        const r = ratio(R, i, shape, size, op);
        if (r) {
          lo = Math.min(lo, r);
          hi = Math.max(hi, r);
        }
      }
    }
  }
  const cap = 512;
  const eLo = Math.floor(Math.log2(lo));
  const eHi = Math.min(Math.ceil(Math.log2(hi)), Math.log2(cap));
  const esc = (/** @type {string} */ s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="${left}" y="22" font-size="15" font-weight="600">Time per operation relative to native C at ${size} CPUs (log scale; 1× = native C, below the line = faster)</text>`);
  // legend
  let lx = left;
  for (const i of impls) {
    const info = IMPL_INFO[/** @type {keyof typeof IMPL_INFO} */ (i)];
    parts.push(`<rect x="${lx}" y="36" width="12" height="12" fill="${info.color}"/><text x="${lx + 16}" y="46">${esc(info.label)}</text>`);
    lx += 30 + info.label.length * 7.4;
  }
  parts.push(`<text x="${W - right}" y="46" text-anchor="end" fill="#666">${esc(data.meta.quick ? 'quick run' : 'full run')}, ${esc(data.meta.machine.cpu)} ×${data.meta.machine.cores}, node ${esc(data.meta.machine.versions.node)}</text>`);
  const plotW = W - left - right;
  const groupW = plotW / OPS.length;
  const barW = Math.min(14, (groupW - 10) / impls.length);
  shapes.forEach((shape, k) => {
    const y0 = top + k * (panelH + gap);
    const y = (/** @type {number} */ r) => y0 + ((eHi - Math.log2(r)) / (eHi - eLo)) * panelH;
    parts.push(`<text x="${left}" y="${y0 - 8}" font-weight="600">${shape} maps (${shape === 'dense' ? `0–${size - 1}` : `${size} random CPUs of 0–32766`})</text>`);
    for (let e = eLo; e <= eHi; e++) {
      const yy = y(2 ** e);
      const label = e >= 0 ? `${2 ** e}×` : `1/${2 ** -e}×`;
      parts.push(`<line x1="${left}" x2="${W - right}" y1="${yy.toFixed(1)}" y2="${yy.toFixed(1)}" stroke="${e === 0 ? '#000' : '#e4e4e4'}" stroke-width="${e === 0 ? 1.2 : 1}"/>`);
      parts.push(`<text x="${left - 6}" y="${(yy + 4).toFixed(1)}" text-anchor="end" fill="${e === 0 ? '#000' : '#777'}">${label}</text>`);
    }
    OPS.forEach((op, g) => {
      const gx = left + g * groupW;
      const x0 = gx + (groupW - barW * impls.length) / 2;
      impls.forEach((i, b) => {
        const r = ratio(R, i, shape, size, op);
        if (r === null) return;
        const rr = Math.min(Math.max(r, 2 ** eLo), 2 ** eHi);
        const ya = y(1);
        const yb = y(rr);
        const info = IMPL_INFO[/** @type {keyof typeof IMPL_INFO} */ (i)];
        const x = x0 + b * barW;
        const t = get(R, i, shape, size, op);
        parts.push(`<rect x="${x.toFixed(1)}" y="${Math.min(ya, yb).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${Math.max(Math.abs(yb - ya), 1).toFixed(1)}" fill="${info.color}"><title>${esc(`${info.label}, ${op}, ${shape} ${size}: ${fmtNs(t?.ns_per_op ?? 0)} = ${fmtRatio(r)} native C`)}</title></rect>`);
        if (r > 2 ** eHi) parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${(yb - 3).toFixed(1)}" text-anchor="middle" font-size="9">${Math.round(r)}</text>`);
      });
      parts.push(`<text x="${(gx + groupW / 2).toFixed(1)}" y="${(y0 + panelH + 16).toFixed(1)}" text-anchor="middle">${op.replace('_', ' ')}</text>`);
    });
  });
  parts.push(`<text x="${left}" y="${H - 8}" fill="#666">Bars: median ns/op of 21 timed batches (5 in quick runs) divided by native C's median. Source: bench/results/latest.json (npm run bench).</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

// ---------------------------------------------------------------- Markdown

/** "Node v20 (V8 11.3), gcc 12.2.0, emcc 3.1.6, AssemblyScript 0.28.20; cpumap-wasm 0.1.0" @param {any} v */
export function toolsLine(v) {
  const emcc = v.emcc?.replace(/\s*\(\)\s*$/, '') ?? 'emcc: not found';
  const asc = v.asc?.replace(/^Version\s+/, '') ?? 'n/a';
  return `Node ${v.node} (V8 ${v.v8}), ${v.gcc ?? 'gcc: not found'}, ${emcc}, AssemblyScript ${asc}; cpumap-wasm ${v.package}`;
}

/** @param {any} data @param {{ svgName: string }} o */
export function renderMarkdown(data, o) {
  /** @type {Results} */
  const R = data.results;
  const m = data.meta;
  const impls = IMPL_ORDER.filter((i) => R[i] && i !== 'js-array');
  const L = [];
  L.push('# cpumap-wasm benchmark');
  L.push('');
  L.push(`Generated by \`${m.command}\` on ${m.date} — ${m.quick ? '**quick run** (1 ms batches, 5 runs: for smoke tests, not for quoting)' : `full run (10 ms batches, 21 timed batches per case${m.repeat > 1 ? `; the whole timing repeated ${m.repeat} times in fresh processes and, per case, the run with the **lowest median** kept (best of ${m.repeat} medians)` : ''})`}, ${m.duration_s} s.`);
  L.push('');
  const mc = m.machine;
  L.push(`**Machine:** ${mc.cpu}${mc.cpu_flags ? ` (${mc.cpu_flags})` : ''}, ${mc.cores} cores${mc.mhz ? ` @ ${mc.mhz} MHz` : ''}, ${mc.memory_gib} GiB, ${mc.os}. Load average at start ${mc.load_avg_at_start.join(' / ')}, at end ${m.load_avg_at_end.join(' / ')}.  `);
  L.push(`**Tools:** ${toolsLine(mc.versions)}.${m.source ? `  \n**Code measured:** commit ${m.source.commit}${m.source.uncommitted_core_changes ? ' plus uncommitted changes in assembly/ or src/' : ''} (dist/ built from it).` : ''}`);
  if (m.notes.length) {
    L.push('');
    for (const n of m.notes) L.push(`> ${n}`);
  }
  L.push('');
  L.push(`**Agreement check before timing:** ${data.agreement.implementations.length} implementations (${data.agreement.implementations.join(', ')}) computed identical results for all ${data.agreement.lines} results of the ${data.agreement.cases} cases (every op: parsed maps, list and mask text, iterated values, 1024 \`has\` answers, idx, booleans, merge/intersect results, refcounts, encoded event bytes, decoded maps)${data.agreement.extra.length ? `; ${data.agreement.extra.join('; ')}` : ''}. Every timed batch's checksum is also compared with the expected value.`);
  L.push('');

  // targets
  L.push('## Targets');
  L.push('');
  L.push(table(['', 'target', 'verdict', 'figures'], data.targets.map((t) => [t.id, t.text, t.met === null ? 'n/a' : t.met ? '✅ met' : '❌ **not met**', t.summary]), 'llll'));
  for (const t of data.targets) {
    if (!t.detail) continue;
    L.push('');
    L.push(`**${t.id}** — ${t.text}`);
    L.push('');
    L.push(t.detail);
  }
  L.push('');

  // chart + 1024 summary
  L.push('## At 1024 CPUs');
  L.push('');
  L.push(`![ns/op relative to native C at 1024 CPUs](${o.svgName})`);
  L.push('');
  for (const shape of ['dense', 'sparse']) {
    L.push(`**${shape}** (${shape === 'dense' ? 'A = 0–1023, B = 512–1535' : 'A, B = 1024 random CPUs of 0–32766 each'}): median ns/op, ratio to native C`);
    L.push('');
    L.push(table(['op', ...impls.map((i) => IMPL_INFO[i].label)], OPS.map((op) => [
      `\`${op}\``,
      ...impls.map((i) => {
        const t = get(R, i, shape, 1024, op);
        if (!t) return '–';
        const r = ratio(R, i, shape, 1024, op);
        return i === 'native-c' || r === null ? fmtNs(t.ns_per_op) : `${fmtNs(t.ns_per_op)} ${fmtRatio(r)}`;
      }),
    ])));
    L.push('');
  }
  L.push('Operations per second at 1024 CPUs (1e9 / median ns):');
  L.push('');
  L.push(table(['op', 'shape', ...impls.map((i) => IMPL_INFO[i].label)], ['dense', 'sparse'].flatMap((shape) => OPS.map((op) => [
    `\`${op}\``, shape, ...impls.map((i) => {
      const t = get(R, i, shape, 1024, op);
      return t ? fmtOps(1e9 / t.ns_per_op) : '–';
    }),
  ]))));
  L.push('');

  // all results
  L.push('## All results');
  L.push('');
  L.push('Each cell: median time per operation (min–max over the timed batches), then the ratio to native C. Unit of one operation in each table\'s title; the exact loops are in bench/c/native.c and bench/src/impls.mjs.');
  L.push('');
  for (const op of OPS) {
    const cols = [...impls, ...(op === 'has' || op === 'iterate' ? /** @type {const} */ (['js-array']) : [])].filter((i) => R[i]);
    L.push(`### \`${op}\` — ${UNIT[op]}`);
    L.push('');
    const rows = [];
    for (const shape of ['dense', 'sparse']) {
      for (const size of SIZES) {
        rows.push([String(size), shape, ...cols.map((i) => {
          const t = get(R, i, shape, size, op);
          if (!t) return '–';
          const r = ratio(R, i, shape, size, op);
          return i === 'native-c' || r === null ? fmtSpread(t) : `${fmtSpread(t)} ${fmtRatio(r)}`;
        })]);
      }
    }
    L.push(table(['CPUs', 'shape', ...cols.map((i) => IMPL_INFO[i].label)], rows));
    L.push('');
  }

  // memory
  L.push('## Memory per map');
  L.push('');
  L.push('Dense maps made by `parse`, N per size (about 16 MB of CPU arrays, at least 1000 maps), counted before and after. cpumap-wasm: its allocator\'s live-byte counter (`liveByteCount()`; the 8-byte block header and the size-class rounding, at most 25%, included). The API\'s JS handle is the same object for every size: JS heap per handle measured once over 20000 handles (V8 heapUsed + ArrayBuffers after a full GC, `--expose-gc`); with the checker on, each handle also holds a cell and its allocation site. emcc: its dlmalloc keeps no counter a host can read, so the median distance between the addresses of consecutive maps (a fresh run of allocations is laid out back to back). Native C: glibc `mallinfo2().uordblks`. Pure JS: JS heap (object + Int16Array). "Payload": the map as laid out, 8-byte header + 2 bytes per CPU.');
  L.push('');
  {
    const M = data.memory;
    const fmtB = (/** @type {number | undefined} */ x) => (x === undefined || !(x >= 0) ? 'n/a' : Math.round(x).toLocaleString('en-US'));
    const at = (/** @type {string} */ impl, /** @type {number} */ size, /** @type {string} */ key) => M[impl]?.find((/** @type {any} */ r) => r.size === size)?.[key];
    const handle = (/** @type {string} */ impl) => at(impl, 0, 'js_heap_bytes_per_handle');
    const rows = [];
    for (const size of SIZES) {
      rows.push([
        String(size),
        (8 + 2 * size).toLocaleString('en-US'),
        fmtB(at('raw', size, 'wasm_bytes_per_map') ?? at('api', size, 'wasm_bytes_per_map')),
        fmtB(at('emcc', size, 'wasm_bytes_per_map')),
        fmtB(at('native-c', size, 'bytes_per_map')),
        fmtB(at('pure', size, 'js_heap_bytes_per_map')),
      ]);
    }
    L.push(table(['CPUs', 'payload', 'cpumap-wasm (linear memory)', 'C→wasm (emcc, dlmalloc)', 'native C (glibc malloc)', 'pure JS (JS heap)'], rows));
    L.push('');
    L.push(`JS heap per cpumap-wasm handle (any size): ${fmtB(handle('api'))} bytes with the checker off, ${fmtB(handle('refcheck'))} bytes with it on (default stack depth).`);
  }
  L.push('');

  // refcheck
  L.push('## Reference checker (bench/refcheck.mjs)');
  L.push('');
  if (data.refcheck?.modes) {
    const rc = data.refcheck.modes;
    const runs = data.refcheck.runs.length;
    L.push(`\`node bench/refcheck.mjs${m.quick ? ' --quick' : ''}\`, run as part of this benchmark${runs > 1 ? ` ${runs} times (per mode and measure, the lowest median of the ${runs} runs is kept; all medians in brackets)` : ''}. Each mode runs in its own process: the raw wasm exports; the public API with the checker off; on with the default stack depth; on with \`stackDepth: 0\`. get+put: one \`get()\` and one \`put()\` of a 5-CPU map (plus an \`nr\` read); parse+2 has+put: \`parse("0-3,8")\`, two \`has\`, \`put\`.`);
    L.push('');
    const cell = (/** @type {any} */ x) => {
      const us = x.ns >= 1000;
      const f = (/** @type {number} */ v) => (us ? (v / 1000).toFixed(2) : v.toFixed(1));
      return `${f(x.ns)} ${us ? 'µs' : 'ns'} (${f(x.min)}–${f(x.max)})${x.medians.length > 1 ? ` [${x.medians.map(f).join(', ')}]` : ''}`;
    };
    const vs = (/** @type {string} */ mode, /** @type {string} */ key) => {
      const r = rc[mode][key].ns / rc.raw[key].ns;
      return r >= 2 ? fmtRatio(r) : `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`;
    };
    L.push(table(['mode', 'get+put (min–max)', 'vs raw', 'parse + 2 has + put (min–max)', 'vs raw'], ['raw', 'off', 'on', 'on-nostack'].map((mode) => [
      mode, cell(rc[mode].getput), mode === 'raw' ? '' : vs(mode, 'getput'), cell(rc[mode].parseHasPut), mode === 'raw' ? '' : vs(mode, 'parseHasPut'),
    ])));
    L.push('');
    L.push('<details><summary>refcheck.mjs output</summary>');
    L.push('');
    L.push('```');
    for (const lines of data.refcheck.runs) L.push(...lines, '');
    L.push('```');
    L.push('');
    L.push('</details>');
  } else {
    L.push(`Not available: ${data.refcheck?.error ?? 'not run'}`);
  }
  L.push('');

  // SIMD
  L.push('## SIMD and bitmap experiment (bench/simd/)');
  L.push('');
  if (data.simd?.rows?.length) {
    L.push(data.simd.summary);
    L.push('');
    const S = data.simd.rows;
    const variants = ['core', 'simd', 'one-pass', 'scratch-bitmap', 'hybrid', 'branchless', 'no-scan', 'bitmap', 'bitmap-simd', 'bitmap-simd+list'];
    const vlabel = {
      core: 'core (scalar, as shipped)', simd: 'SIMD block steps', 'one-pass': 'one pass, pointer walk', 'scratch-bitmap': 'via scratch bitmap',
      hybrid: 'hybrid (SIMD if dense)', branchless: 'branch-free scalar', 'no-scan': 'without trueMax scan', bitmap: 'bitmap repr (u64)',
      'bitmap-simd': 'bitmap repr (v128)', 'bitmap-simd+list': 'bitmap repr (v128) + list out',
    };
    for (const op of ['equal', 'is_subset', 'merge', 'intersect', 'encode', 'decode']) {
      const here = variants.filter((v) => S.some((/** @type {any} */ r) => r.op === op && r.variant === v));
      const rows = [];
      for (const shape of ['dense', 'sparse']) {
        for (const size of [64, 256, 1024, 4096, 8192]) {
          const core = S.find((/** @type {any} */ r) => r.op === op && r.variant === 'core' && r.shape === shape && r.size === size);
          if (!core) continue;
          const nat = get(R, 'native-c', shape, size, op);
          rows.push([String(size), shape, nat ? fmtNs(nat.ns_per_op) : '–', ...here.map((v) => {
            const x = S.find((/** @type {any} */ r) => r.op === op && r.variant === v && r.shape === shape && r.size === size);
            if (!x) return '–';
            return v === 'core' ? fmtNs(x.ns_per_op) : `${fmtNs(x.ns_per_op)} (${speedup(core.ns_per_op / x.ns_per_op)})`;
          })]);
        }
      }
      if (!rows.length) continue;
      L.push(`**\`${op}\`**`);
      L.push('');
      L.push(table(['CPUs', 'shape', 'native C', ...here.map((v) => /** @type {any} */ (vlabel)[v])], rows));
      L.push('');
    }
  } else {
    L.push(`Not available: ${data.simd?.error ?? 'not run'}`);
    L.push('');
  }

  // method
  L.push('## Method');
  L.push('');
  L.push('- **Implementations:**');
  for (const i of IMPL_ORDER) if (R[i]) L.push(`  - ${IMPL_INFO[i].label}: ${IMPL_INFO[i].long}.`);
  L.push('- **Workloads** (bench/c/native.c header, mirrored by bench/src/prng.mjs): dense A = 0..n-1, B = n/2..3n/2-1; sparse A, B = n distinct xorshift32 draws from 0..32766 (seeds 1 and 2); n = 4, 64, 256, 1024, 4096, 8192. Maps are built by parsing the comma-joined values; `parse` is timed on the canonical list text of A (e.g. "0-1023", or 1024 comma-separated numbers for sparse).');
  L.push('- **Timing** (bench/src/harness.mjs, identical to native.c): the batch size grows until one batch takes ≥ 10 ms (1 ms quick), the calibration batches plus 3 more are the warm-up, then 21 (5 quick) batches are timed with a monotonic clock; ns/op = batch time / batch size; median, min, max and quartiles are kept (JSON). Each implementation runs in a fresh Node process (no JIT feedback shared between implementations); runs never overlap.');
  L.push('- **No dead code:** every loop returns the sum of its results (lengths, nr, booleans, hits); each batch\'s sum is compared with the value the workload predicts and folded into a printed sink; a mismatch aborts the run. The C driver does the same (volatile sink, separate translation unit, sums checked by run.mjs).');
  L.push('- **Raw exports vs API:** the raw column calls the wasm exports for every step, as native.c calls C functions, so `iterate` (two calls per CPU: nr and cpu) and `has` pay the JS→wasm call (~1.5–2 ns each) that C does not; the public API reads map blocks straight from JS typed-array views for `nr`, `cpu`, `has` and `idx` (no call into wasm), and converts text and bytes to JS strings and Uint8Arrays (its `format_*` and `encode` include that, the raw column leaves them in linear memory as C leaves them in its buffer).');
  L.push('');
  return `${L.join('\n')}\n`;
}
