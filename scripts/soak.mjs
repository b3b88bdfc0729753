// Soak: millions of random operations with a fixed seed, every reference
// eventually put. Prints wasm memory and JS heap at checkpoints: both must
// plateau after warm-up; every map's refcount must equal the references held.
//   npm run build && node --expose-gc scripts/soak.mjs [--ops 10000000] [--seed 1] [--refcheck]
// test/soak.test.ts runs a short version of the same workload.

/** xorshift32: the same sequence everywhere. */
export function rng(seed) {
  let s = (seed * 0x9e3779b9) >>> 0 || 1;
  return (n) => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s % n;
  };
}

function randomList(r) {
  const parts = [];
  const items = 1 + r(6);
  let at = r(64);
  for (let i = 0; i < items; i++) {
    const len = r(4) === 0 ? r(200) : r(4);
    parts.push(len === 0 ? `${at}` : `${at}-${at + len}`);
    at += len + 1 + r(40);
    if (at > 32000) break;
  }
  if (r(16) === 0) parts.push('x'); // some text libperf drops, or a syntax error
  if (r(32) === 0) parts.unshift(parts[0]); // a duplicate: an error
  return parts.join(r(8) === 0 ? ', ' : ',');
}

/**
 * Runs `ops` random operations on a pool of references. Returns checkpoints
 * [{ op, wasmBytes, wasmLive, heap }] and throws on any inconsistency.
 */
export function soak({ CpuMap, CpuMapError, core, ops, seed = 1, pool: poolSize = 256, checkpoints = 10, gc }) {
  const r = rng(seed);
  const held = [];
  const marks = [];
  const every = Math.max(1, Math.floor(ops / checkpoints));
  const take = () => held.splice(r(held.length), 1)[0];
  for (let op = 1; op <= ops; op++) {
    const kind = held.length < 8 ? 0 : held.length > poolSize ? 1 : r(8);
    try {
      switch (kind) {
        case 0: held.push(CpuMap.parse(randomList(r))); break;
        case 1: take().put(); break;
        case 2: held.push(held[r(held.length)].get()); break;
        case 3: held.push(held[r(held.length)].merge(held[r(held.length)])); break;
        case 4: held.push(held[r(held.length)].intersect(held[r(held.length)])); break;
        case 5: held.push(CpuMap.decode(held[r(held.length)].encode())); break;
        case 6: { const m = held[r(held.length)]; if (m.toString().length < 0 || m.has(r(64)) === undefined) throw new Error(); break; }
        default: take().put();
      }
    } catch (e) {
      if (!(e instanceof CpuMapError) || !/^E(SYNTAX|DUPLICATE|RANGE|REVERSED|NEGATIVE)$/.test(e.code)) throw e;
    }
    if (op % every === 0) {
      check(core, held);
      gc?.();
      marks.push({ op, wasmBytes: core.ex.memory.buffer.byteLength, wasmLive: core.ex.liveByteCount(), heap: globalThis.process?.memoryUsage().heapUsed ?? 0 });
    }
  }
  while (held.length > 0) held.pop().put();
  return { marks, liveBlocksAfter: core.ex.liveBlockCount() };
}

/** Every map's wasm refcount equals the references the pool holds for it. */
function check(core, held) {
  const refs = new Map();
  for (const h of held) {
    const ptr = h._p('soak');
    refs.set(ptr, (refs.get(ptr) ?? 0) + 1);
  }
  for (const [ptr, n] of refs) {
    const rc = core.ex.refcnt(ptr);
    if (rc !== n) throw new Error(`map at ${ptr}: refcount ${rc}, ${n} references held`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : dflt;
  };
  if (process.argv.includes('--refcheck')) process.env.CPUMAP_REFCHECK = '1';
  const { CpuMap, CpuMapError } = await import('../dist/index.js');
  const { defaultCore } = await import('../dist/instance.js');
  const ops = arg('--ops', 10_000_000);
  const seed = arg('--seed', 1);
  const t0 = performance.now();
  const { marks, liveBlocksAfter } = soak({ CpuMap, CpuMapError, core: defaultCore, ops, seed, gc: globalThis.gc });
  const secs = (performance.now() - t0) / 1000;
  console.log(`node ${process.version}, ${ops} ops, seed ${seed}, checking ${process.env.CPUMAP_REFCHECK ? 'on' : 'off'}, ${secs.toFixed(1)} s`);
  console.log('      op   wasm memory   wasm live bytes   JS heap');
  for (const m of marks) {
    console.log(`${String(m.op).padStart(9)}  ${(m.wasmBytes / 2 ** 20).toFixed(2).padStart(8)} MiB  ${String(m.wasmLive).padStart(12)}  ${(m.heap / 2 ** 20).toFixed(1).padStart(7)} MiB`);
  }
  console.log(`map blocks alive after every reference was put: ${liveBlocksAfter}`);
}
