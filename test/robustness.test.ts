// Wrong arguments from JavaScript and exhausted memory: a clear, typed error,
// and nothing changed.
import { describe, it, expect } from 'vitest';
import { CpuMap, CpuMapError, configure } from '../src/index.js';
import * as lp from '../src/libperf.js';
import { defaultCore, createCore } from '../src/instance.js';
import { wrapNew } from '../src/cpumap.js';

const bad: unknown[] = [undefined, null, NaN, -1.5, 0.5, '1', {}, [], 2 ** 40, Infinity, Symbol('x'), 10n];

function typeOrMapError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    expect(e instanceof TypeError || e instanceof CpuMapError, String(e)).toBe(true);
    expect((e as Error).message.length).toBeGreaterThan(10);
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('wrong types from JavaScript', () => {
  it('CpuMap constructors', () => {
    for (const v of [undefined, null, 12, {}, [], Symbol('s')]) {
      expect(typeOrMapError(() => CpuMap.parse(v as string))).toBeInstanceOf(TypeError);
      expect(typeOrMapError(() => CpuMap.decode(v as Uint8Array))).toBeInstanceOf(TypeError);
    }
    for (const v of [undefined, null, 12]) expect(typeOrMapError(() => CpuMap.fromCpus(v as unknown as number[]))).toBeInstanceOf(TypeError);
    for (const v of [[NaN], [1.5], ['1'], [null]]) expect(typeOrMapError(() => CpuMap.fromCpus(v as unknown as number[]))).toBeInstanceOf(TypeError);
    for (const v of [[-2], [32767], [1e9]]) expect((typeOrMapError(() => CpuMap.fromCpus(v)) as CpuMapError).code).toBe('ERANGE');
  });

  it('instance methods: indices and cpus', () => {
    const m = CpuMap.parse('0-3');
    const before = m.toString();
    for (const v of bad) {
      if (typeof v === 'number' && Number.isInteger(v)) continue;
      expect(typeOrMapError(() => m.cpu(v as number))).toBeInstanceOf(TypeError);
      expect(typeOrMapError(() => m.has(v as number))).toBeInstanceOf(TypeError);
      expect(typeOrMapError(() => m.idx(v as number))).toBeInstanceOf(TypeError);
    }
    for (const i of [-1, 4, 2 ** 31]) expect((typeOrMapError(() => m.cpu(i)) as CpuMapError).code).toBe('EINDEX');
    expect(m.has(2 ** 40 as number) === false || true).toBe(true);
    expect(m.toString()).toBe(before);
    expect(m.refcount).toBe(1);
    m.put();
  });

  it('instance methods: the other map', () => {
    const m = CpuMap.parse('0-3');
    const fake = { _core: defaultCore, _ptr: 8, _p: () => 8 };
    for (const v of [undefined, null, 1, '0-3', {}, fake]) {
      for (const op of ['merge', 'intersect', 'equals', 'isSubsetOf'] as const) {
        expect(typeOrMapError(() => (m[op] as (o: unknown) => unknown)(v))).toBeInstanceOf(TypeError);
      }
    }
    expect(m.refcount).toBe(1);
    m.put();
  });

  it('libperf functions', () => {
    const m = lp.perf_cpu_map__new('1-2')!;
    const fake = Object.create(null);
    for (const v of [undefined, 1, '1-2', {}, fake]) {
      expect(typeOrMapError(() => lp.perf_cpu_map__nr(v as lp.perf_cpu_map))).toBeInstanceOf(TypeError);
      expect(typeOrMapError(() => lp.perf_cpu_map__put(v as lp.perf_cpu_map))).toBeInstanceOf(TypeError);
      expect(typeOrMapError(() => lp.perf_cpu_map__equal(m, v as lp.perf_cpu_map))).toBeInstanceOf(TypeError);
      expect(typeOrMapError(() => lp.perf_cpu_map__intersect(v as lp.perf_cpu_map, m))).toBeInstanceOf(TypeError);
      expect(typeOrMapError(() => lp.perf_cpu_map__merge({ map: m }, v as lp.perf_cpu_map))).toBeInstanceOf(TypeError);
    }
    for (const v of [undefined, null, 5, 'x']) {
      expect(typeOrMapError(() => lp.perf_cpu_map__merge(v as unknown as { map: null }, m))).toBeInstanceOf(TypeError);
    }
    for (const v of [NaN, 1.5, '1', undefined]) {
      expect(typeOrMapError(() => lp.perf_cpu_map__cpu(m, v as number))).toBeInstanceOf(TypeError);
      expect(typeOrMapError(() => lp.perf_cpu_map__has(m, v as number))).toBeInstanceOf(TypeError);
      expect(typeOrMapError(() => lp.perf_cpu_map__new_int(v as number))).toBeInstanceOf(TypeError);
    }
    expect(typeOrMapError(() => lp.perf_cpu_map__new(5 as unknown as string))).toBeInstanceOf(TypeError);
    expect(typeOrMapError(() => lp.cpu_map__new_data([1, 2] as unknown as Uint8Array))).toBeInstanceOf(TypeError);
    expect(lp.perf_cpu_map__refcnt(m)).toBe(1);
    expect(lp.cpu_map__snprint(m)).toBe('1-2');
    lp.perf_cpu_map__put(m);
  });

  it('a map from another wasm instance is refused (EINSTANCE)', async () => {
    const other = await createCore();
    const foreign = wrapNew(other, other.parse('0-3', 0));
    const mine = CpuMap.parse('0-3');
    for (const op of ['merge', 'intersect', 'equals', 'isSubsetOf'] as const) {
      const e = typeOrMapError(() => (mine[op] as (o: unknown) => unknown)(foreign)) as CpuMapError;
      expect(e.code).toBe('EINSTANCE');
    }
    expect((typeOrMapError(() => lp.perf_cpu_map__equal(mine, foreign)) as CpuMapError).code).toBe('EINSTANCE');
    expect((typeOrMapError(() => lp.perf_cpu_map__merge({ map: mine }, foreign)) as CpuMapError).code).toBe('EINSTANCE');
    // each instance still works on its own
    expect(foreign.toString()).toBe('0-3');
    expect(mine.refcount).toBe(1);
    foreign.put();
    mine.put();
  });
});

describe('out of memory', () => {
  it('ENOMEM when linear memory cannot grow; existing maps stay intact; puts make room again', () => {
    const core = defaultCore;
    const startPages = core.ex.memory.buffer.byteLength / 65536;
    configure({ maxMemory: (startPages + 8) * 65536 });
    const maps: CpuMap[] = [];
    let error: unknown;
    try {
      for (let i = 0; i < 1000; i++) maps.push(CpuMap.parse('0-32766'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CpuMapError);
    expect((error as CpuMapError).code).toBe('ENOMEM');
    expect(maps.length).toBeGreaterThan(2);
    expect(core.ex.memory.buffer.byteLength).toBeLessThanOrEqual((startPages + 8) * 65536);
    // every map made before the failure is whole
    for (const m of maps) {
      expect(m.nr).toBe(32767);
      expect(m.cpu(32766)).toBe(32766);
      expect(m.refcount).toBe(1);
    }
    // the libperf layer returns NULL where libperf would
    expect(lp.perf_cpu_map__new('0-32766')).toBeNull();
    const orig = { map: maps[0]!.get() };
    const far = maps.pop()!;
    far.put();
    maps.pop()!.put();
    const made = CpuMap.parse('0-32766');
    expect(made.nr).toBe(32767);
    made.put();
    orig.map.put();
    for (const m of maps) m.put();
    configure({ maxMemory: 2 ** 30 });
    expect(core.ex.liveBlockCount()).toBeLessThan(5);
  });
});

describe('memory views (src/core.ts keeps them valid)', () => {
  it('a merge that grows memory and then fails with ENOMEM leaves every map readable', async () => {
    // Each try gets a fresh instance whose limit allows a few more pages: merge's
    // temporary buffer grows memory, then the result no longer fits.
    const evens = Array.from({ length: 16384 }, (_, i) => 2 * i).join(',');
    const odds = Array.from({ length: 16383 }, (_, i) => 2 * i + 1).join(',');
    let provoked = 0;
    for (let extra = 1; extra <= 6; extra++) {
      const core = await createCore();
      const a = wrapNew(core, core.checkAlloc(core.parse(evens, 0), 'test'));
      const b = wrapNew(core, core.checkAlloc(core.parse(odds, 0), 'test'));
      const before = core.ex.memory.buffer.byteLength;
      core.ex.setLimitPages(before / 65536 + extra);
      let error: unknown;
      try {
        a.merge(b).put();
      } catch (e) {
        error = e;
      }
      if (error !== undefined && core.ex.memory.buffer.byteLength > before) {
        provoked++;
        expect((error as CpuMapError).code).toBe('ENOMEM');
        expect(a.cpu(1)).toBe(2);
        expect(a.has(2)).toBe(true);
        expect(b.cpu(0)).toBe(1);
        expect(lp.perf_cpu_map__cpu(a, 16383)).toBe(32766);
        expect(a.refcount).toBe(1);
      }
      a.put();
      b.put();
    }
    expect(provoked, 'some limit lets memory grow and the merge still fail').toBeGreaterThan(0);
  });
});

describe('EREFCOUNT: the wasm core refuses a block that is no longer a live map', () => {
  it('a second handle put after the map was freed through the first', () => {
    const a = CpuMap.parse('0-3');
    const alias = wrapNew(defaultCore, a._ptr); // a host bug: two handles for one reference
    a.put();
    const e = typeOrMapError(() => alias.put()) as CpuMapError;
    expect(e.code).toBe('EREFCOUNT');
    expect(typeOrMapError(() => alias.get()).message).toMatch(/no longer a live map/);
  });
});

describe('idx/has take the quick ways only where libperf would give the same answer', () => {
  it('ranges, sorted maps and unsorted decoded maps, for every int32 cpu', () => {
    using range = CpuMap.parse('4-9');
    using sorted = CpuMap.parse('1,5,9,300,32766');
    using unsorted = CpuMap.decode(new Uint8Array([0, 0, 3, 0, 3, 0, 1, 0, 1, 0])); // CPUS [3,1,1]
    for (const cpu of [-(2 ** 31), -32769, -32768, -1, 0, 2 ** 31 - 1, 32767, 65535, 65536 + 5]) {
      expect([range.idx(cpu), sorted.idx(cpu), unsorted.idx(cpu)], String(cpu)).toEqual([-1, -1, -1]);
      expect(range.has(cpu) || sorted.has(cpu)).toBe(false);
    }
    expect([4, 9, 3].map((c) => range.idx(c))).toEqual([0, 5, -1]);
    expect([1, 300, 32766, 2].map((c) => sorted.idx(c))).toEqual([0, 3, 4, -1]);
    // libperf's steps on [3,1,1]: 3 is missed, 1 is found at index 1
    expect([unsorted.idx(3), unsorted.idx(1)]).toEqual([-1, 1]);
    expect(lp.perf_cpu_map__idx(sorted, 9)).toBe(2);
    expect(lp.perf_cpu_map__idx(range, 2 ** 31 - 1)).toBe(-1);
  });
});
