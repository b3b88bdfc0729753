// docs/contract.md §3.2-§3.4 (constructors), §4 (queries and iteration macros) and the
// §10 checklist, for the libperf layer (NULL included) and the CpuMap class.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { CpuMap, CpuMapError } from '../src/index.js';
import * as lp from '../src/libperf.js';
import { unhex } from './model.js';

type M = lp.perf_cpu_map | null;

/** Maps made by a test, put after it (NULL is fine to put). */
let made: M[] = [];
function keep<T extends M>(m: T): T {
  made.push(m);
  return m;
}
afterEach(() => {
  for (const m of made) lp.perf_cpu_map__put(m);
  made = [];
});

const parse = (s: string): lp.perf_cpu_map => keep(lp.perf_cpu_map__new(s))!;
const decode = (hex: string): lp.perf_cpu_map => keep(lp.cpu_map__new_data(unhex(hex)))!;
const newInt = (c: number): lp.perf_cpu_map => keep(lp.perf_cpu_map__new_int(c))!;
const anyCpu = (): lp.perf_cpu_map => keep(lp.perf_cpu_map__new_any_cpu())!;
const cpus = (m: M): number[] => {
  const out: number[] = [];
  lp.perf_cpu_map__for_each_cpu(m, (c) => out.push(c));
  return out;
};

// Maps that parse cannot build, from payloads (§7.4) and new_int (§3.4).
const unsorted311 = (): lp.perf_cpu_map => decode('0000 0300 0300 0100 0100'); // CPUS [3,1,1]
const five_any = (): lp.perf_cpu_map => decode('0000 0200 0500 ffff'); // CPUS [5,-1]
const any0to3 = (): lp.perf_cpu_map => decode('0200 0100 0000 0300'); // RANGE any_cpu 1, 0..3
const any_4_5_any = (): lp.perf_cpu_map => decode('0200 0200 0400 0500'); // RANGE any_cpu 2: [-1,4,5,-1]

describe('§3.2 perf_cpu_map__new_online_cpus', () => {
  test('new(NULL), new_online_cpus and CpuMap.online agree', () => {
    const a = keep(lp.perf_cpu_map__new(null));
    const b = keep(lp.perf_cpu_map__new_online_cpus());
    const c = CpuMap.online();
    expect(a).not.toBeNull();
    expect(cpus(a)).toEqual(cpus(b));
    expect(c.toArray()).toEqual(cpus(a));
    expect(lp.perf_cpu_map__refcnt(a)).toBe(1);
    c.put();
  });

  test('it is the sysfs online list where there is one', () => {
    let text: string | undefined;
    try {
      text = readFileSync('/sys/devices/system/cpu/online', 'utf8');
    } catch {
      return; // no sysfs here: the fallback is host dependent
    }
    const fromText = keep(lp.perf_cpu_map__new(text));
    const online = keep(lp.perf_cpu_map__new_online_cpus());
    expect(lp.perf_cpu_map__equal(fromText, online)).toBe(true);
  });

  test('sorted, no -1, at least one cpu (§8.1)', () => {
    const m = keep(lp.perf_cpu_map__new_online_cpus());
    const c = cpus(m);
    expect(c.length).toBeGreaterThan(0);
    expect(c).not.toContain(-1);
    expect([...c].sort((x, y) => x - y)).toEqual(c);
  });
});

describe('§3.3 perf_cpu_map__new_any_cpu', () => {
  test('[-1], count 1; dummy_new is its 2022 name', () => {
    const a = anyCpu();
    expect(cpus(a)).toEqual([-1]);
    expect(lp.perf_cpu_map__refcnt(a)).toBe(1);
    const d = keep(lp.perf_cpu_map__dummy_new());
    expect(lp.perf_cpu_map__equal(a, d)).toBe(true);
    expect(lp.perf_cpu_map__dummy_new).toBe(lp.perf_cpu_map__new_any_cpu);
  });

  test('it equals new("") and CpuMap.anyCpu()', () => {
    expect(lp.perf_cpu_map__equal(anyCpu(), parse(''))).toBe(true);
    const c = CpuMap.anyCpu();
    expect(c.toArray()).toEqual([-1]);
    expect(c.hasAnyCpu()).toBe(true);
    c.put();
  });
});

describe('§3.4 perf_cpu_map__new_int: truncated to 16 bits, unchecked', () => {
  const CASES: [number, number][] = [
    [0, 0],
    [7, 7],
    [40000, -25536],
    [65535, -1],
    [100000, -31072],
    [-5, -5],
    [-1, -1],
    [32767, 32767],
    [32766, 32766],
    [65536, 0],
  ];
  test.each(CASES)('new_int(%i) is [%i]', (input, stored) => {
    const m = newInt(input);
    expect(cpus(m)).toEqual([stored]);
    expect(lp.perf_cpu_map__nr(m)).toBe(1);
    expect(lp.perf_cpu_map__refcnt(m)).toBe(1);
  });

  test('65535 is the any-CPU map', () => {
    const m = newInt(65535);
    expect(lp.perf_cpu_map__has_any_cpu(m)).toBe(true);
    expect(lp.perf_cpu_map__is_any_cpu_or_is_empty(m)).toBe(true);
    expect(lp.perf_cpu_map__equal(m, anyCpu())).toBe(true);
  });

  test('values other than -1 are ordinary numbers: min and max of [-5] are -5', () => {
    const m = newInt(-5);
    expect(lp.perf_cpu_map__min(m)).toBe(-5);
    expect(lp.perf_cpu_map__max(m)).toBe(-5);
    expect(lp.perf_cpu_map__has_any_cpu(m)).toBe(false);
    expect(lp.perf_cpu_map__has(m, -5)).toBe(true);
    expect(lp.perf_cpu_map__idx(m, -5)).toBe(0);
  });

  test('a non-integer is a TypeError', () => {
    expect(() => lp.perf_cpu_map__new_int(1.5)).toThrow(TypeError);
    expect(() => lp.perf_cpu_map__new_int('3' as unknown as number)).toThrow(TypeError);
  });
});

describe('§4 queries on NULL', () => {
  test('nr 1, cpu -1 at every index, min/max -1', () => {
    expect(lp.perf_cpu_map__nr(null)).toBe(1);
    expect(lp.perf_cpu_map__cpu(null, 0)).toBe(-1);
    expect(lp.perf_cpu_map__cpu(null, 1)).toBe(-1);
    expect(lp.perf_cpu_map__cpu(null, -1)).toBe(-1);
    expect(lp.perf_cpu_map__min(null)).toBe(-1);
    expect(lp.perf_cpu_map__max(null)).toBe(-1); // latest libperf; older code crashed
  });

  test('idx -1, has false (for -1 too)', () => {
    expect(lp.perf_cpu_map__idx(null, -1)).toBe(-1);
    expect(lp.perf_cpu_map__idx(null, 0)).toBe(-1);
    expect(lp.perf_cpu_map__has(null, -1)).toBe(false);
    expect(lp.perf_cpu_map__has(null, 0)).toBe(false);
  });

  test('predicates: has_any_cpu false, the three "empty" ones true', () => {
    expect(lp.perf_cpu_map__has_any_cpu(null)).toBe(false);
    expect(lp.perf_cpu_map__has_any_cpu_or_is_empty(null)).toBe(true);
    expect(lp.perf_cpu_map__is_any_cpu_or_is_empty(null)).toBe(true);
    expect(lp.perf_cpu_map__is_empty(null)).toBe(true);
  });

  test('equal: NULL equals NULL only', () => {
    expect(lp.perf_cpu_map__equal(null, null)).toBe(true);
    expect(lp.perf_cpu_map__equal(null, anyCpu())).toBe(false);
    expect(lp.perf_cpu_map__equal(anyCpu(), null)).toBe(false);
    expect(lp.perf_cpu_map__equal(null, parse('0'))).toBe(false);
  });

  test('is_subset(a, b) "is b in a": b NULL true, a NULL false', () => {
    expect(lp.perf_cpu_map__is_subset(null, null)).toBe(true);
    expect(lp.perf_cpu_map__is_subset(parse('0-3'), null)).toBe(true);
    expect(lp.perf_cpu_map__is_subset(anyCpu(), null)).toBe(true);
    expect(lp.perf_cpu_map__is_subset(null, parse('0-3'))).toBe(false);
    expect(lp.perf_cpu_map__is_subset(null, anyCpu())).toBe(false);
  });

  test('get(NULL) is NULL, put(NULL) does nothing, refcnt(NULL) is 0', () => {
    expect(lp.perf_cpu_map__get(null)).toBeNull();
    expect(() => lp.perf_cpu_map__put(null)).not.toThrow();
    expect(lp.perf_cpu_map__refcnt(null)).toBe(0);
  });
});

describe('§4 queries on maps', () => {
  // [name, make, nr, has_any, has_any_or_empty, is_any_or_empty, min, max]
  const ROWS: [string, () => lp.perf_cpu_map, number, boolean, boolean, boolean, number, number][] = [
    ['[-1]', anyCpu, 1, true, true, true, -1, -1],
    ['[0]', () => parse('0'), 1, false, false, false, 0, 0],
    ['[0..3]', () => parse('0-3'), 4, false, false, false, 0, 3],
    ['[1,5,9]', () => parse('9,5,1'), 3, false, false, false, 1, 9],
    ['[-1,0,1,2,3]', any0to3, 5, true, true, false, 0, 3],
    ['[5,-1] (decoded)', five_any, 2, false, false, false, 5, -1],
    ['[-1,4,5,-1] (decoded)', any_4_5_any, 4, true, true, false, 4, -1],
    ['[3,1,1] (decoded)', unsorted311, 3, false, false, false, 3, 1],
    ['[-5]', () => newInt(-5), 1, false, false, false, -5, -5],
  ];
  test.each(ROWS)('%s', (_name, make, nr, hasAny, hasAnyOrEmpty, isAnyOrEmpty, min, max) => {
    const m = make();
    expect(lp.perf_cpu_map__nr(m)).toBe(nr);
    expect(lp.perf_cpu_map__has_any_cpu(m)).toBe(hasAny);
    expect(lp.perf_cpu_map__has_any_cpu_or_is_empty(m)).toBe(hasAnyOrEmpty);
    expect(lp.perf_cpu_map__is_any_cpu_or_is_empty(m)).toBe(isAnyOrEmpty);
    expect(lp.perf_cpu_map__is_empty(m)).toBe(false);
    expect(lp.perf_cpu_map__min(m)).toBe(min);
    expect(lp.perf_cpu_map__max(m)).toBe(max);
  });

  test('cpu: entry i for 0 <= i < nr, else -1 (negative index included)', () => {
    const m = parse('4-6');
    expect([0, 1, 2].map((i) => lp.perf_cpu_map__cpu(m, i))).toEqual([4, 5, 6]);
    expect(lp.perf_cpu_map__cpu(m, 3)).toBe(-1);
    expect(lp.perf_cpu_map__cpu(m, 1000)).toBe(-1);
    expect(lp.perf_cpu_map__cpu(m, -1)).toBe(-1);
    expect(lp.perf_cpu_map__cpu(m, -(2 ** 31))).toBe(-1);
    expect(() => lp.perf_cpu_map__cpu(m, 0.5)).toThrow(TypeError);
  });

  test('idx/has: binary search on sorted maps', () => {
    const m = parse('1,3,5,7,9');
    expect([1, 3, 5, 7, 9].map((c) => lp.perf_cpu_map__idx(m, c))).toEqual([0, 1, 2, 3, 4]);
    expect([0, 2, 10, -1].map((c) => lp.perf_cpu_map__idx(m, c))).toEqual([-1, -1, -1, -1]);
    expect(lp.perf_cpu_map__has(m, 5)).toBe(true);
    expect(lp.perf_cpu_map__has(m, 4)).toBe(false);
    expect(lp.perf_cpu_map__idx(anyCpu(), -1)).toBe(0);
    expect(lp.perf_cpu_map__has(any0to3(), -1)).toBe(true);
  });

  test('idx on the unsorted decoded [3,1,1]: -1 for 3, 1 for 1 (binary-search artefacts)', () => {
    const m = unsorted311();
    expect(cpus(m)).toEqual([3, 1, 1]);
    expect(lp.perf_cpu_map__idx(m, 3)).toBe(-1);
    expect(lp.perf_cpu_map__idx(m, 1)).toBe(1);
    expect(lp.perf_cpu_map__has(m, 3)).toBe(false);
    expect(lp.perf_cpu_map__has(m, 1)).toBe(true);
  });

  test('idx on the decoded [5,-1]: mid lands on -1 first, so 5 is not found', () => {
    const m = five_any();
    expect(lp.perf_cpu_map__idx(m, -1)).toBe(1);
    expect(lp.perf_cpu_map__idx(m, 5)).toBe(-1);
    expect(lp.perf_cpu_map__has(m, 5)).toBe(false);
  });

  test('min skips -1 wherever it is; -1 when there is nothing else', () => {
    expect(lp.perf_cpu_map__min(any_4_5_any())).toBe(4);
    expect(lp.perf_cpu_map__min(decode('0000 0300 ffff ffff 0200'))).toBe(2);
    expect(lp.perf_cpu_map__min(decode('0000 0200 ffff ffff'))).toBe(-1);
  });

  test('max is the last entry, not the largest', () => {
    expect(lp.perf_cpu_map__max(unsorted311())).toBe(1);
    expect(lp.perf_cpu_map__max(decode('0000 0200 0900 0200'))).toBe(2);
  });

  test('equal: same object, or same nr and same entries in order', () => {
    const a = parse('0-3');
    expect(lp.perf_cpu_map__equal(a, a)).toBe(true);
    expect(lp.perf_cpu_map__equal(a, parse('3,2,1,0'))).toBe(true);
    expect(lp.perf_cpu_map__equal(a, parse('0-2'))).toBe(false);
    expect(lp.perf_cpu_map__equal(parse('1,2'), parse('1,3'))).toBe(false);
    expect(lp.perf_cpu_map__equal(anyCpu(), newInt(-1))).toBe(true);
    // entry by entry: a decoded [3,1,1] is not [1,1,3]
    expect(lp.perf_cpu_map__equal(unsorted311(), decode('0000 0300 0100 0100 0300'))).toBe(false);
    expect(lp.perf_cpu_map__equal(unsorted311(), decode('0000 0300 0300 0100 0100'))).toBe(true);
  });

  test('is_subset(a, b): is b contained in a', () => {
    const a = parse('0-3');
    expect(lp.perf_cpu_map__is_subset(a, a)).toBe(true);
    expect(lp.perf_cpu_map__is_subset(a, parse('0-3'))).toBe(true);
    expect(lp.perf_cpu_map__is_subset(a, parse('1-2'))).toBe(true);
    expect(lp.perf_cpu_map__is_subset(a, parse('0,3'))).toBe(true);
    expect(lp.perf_cpu_map__is_subset(parse('1-2'), a)).toBe(false); // nr(b) > nr(a)
    expect(lp.perf_cpu_map__is_subset(a, parse('2,4'))).toBe(false);
    expect(lp.perf_cpu_map__is_subset(parse('1,3'), parse('2'))).toBe(false);
    expect(lp.perf_cpu_map__is_subset(a, anyCpu())).toBe(false);
    expect(lp.perf_cpu_map__is_subset(any0to3(), anyCpu())).toBe(true);
    expect(lp.perf_cpu_map__is_subset(any0to3(), a)).toBe(true);
  });

  test('is_subset assumes sorted maps: on the decoded [3,1,1] it finds 3 but not 1', () => {
    expect(lp.perf_cpu_map__is_subset(unsorted311(), parse('3'))).toBe(true);
    expect(lp.perf_cpu_map__is_subset(unsorted311(), parse('1'))).toBe(false);
  });

  test('a map made by new_int compares as an ordinary number', () => {
    expect(lp.perf_cpu_map__is_subset(parse('0-3'), newInt(-5))).toBe(false);
    expect(lp.perf_cpu_map__equal(newInt(40000), newInt(-25536))).toBe(true);
  });
});

describe('§4 iteration macros', () => {
  const each = (m: M) => {
    const out: [number, number][] = [];
    lp.perf_cpu_map__for_each_cpu(m, (c, i) => out.push([c, i]));
    return out;
  };
  const skipAny = (m: M) => {
    const out: [number, number][] = [];
    lp.perf_cpu_map__for_each_cpu_skip_any(m, (c, i) => out.push([c, i]));
    return out;
  };
  const idxs = (m: M) => {
    const out: number[] = [];
    lp.perf_cpu_map__for_each_idx(m, (i) => out.push(i));
    return out;
  };

  test('NULL iterates once with -1 (skip_any: not at all)', () => {
    expect(each(null)).toEqual([[-1, 0]]);
    expect(skipAny(null)).toEqual([]);
    expect(idxs(null)).toEqual([0]);
  });

  test('a sorted map', () => {
    const m = parse('2,4-5');
    expect(each(m)).toEqual([[2, 0], [4, 1], [5, 2]]);
    expect(skipAny(m)).toEqual([[2, 0], [4, 1], [5, 2]]);
    expect(idxs(m)).toEqual([0, 1, 2]);
  });

  test('[-1]: one step with -1; skip_any none', () => {
    expect(each(anyCpu())).toEqual([[-1, 0]]);
    expect(skipAny(anyCpu())).toEqual([]);
    expect(idxs(anyCpu())).toEqual([0]);
  });

  test('skip_any skips every -1, not only a leading one', () => {
    expect(each(any_4_5_any())).toEqual([[-1, 0], [4, 1], [5, 2], [-1, 3]]);
    expect(skipAny(any_4_5_any())).toEqual([[4, 1], [5, 2]]);
    expect(skipAny(five_any())).toEqual([[5, 0]]);
    expect(skipAny(any0to3())).toEqual([[0, 1], [1, 2], [2, 3], [3, 4]]);
  });

  test('values below -1 are not skipped', () => {
    expect(skipAny(newInt(-5))).toEqual([[-5, 0]]);
  });
});

describe('§4 the CpuMap class: the same queries, with an empty map instead of NULL', () => {
  test('queries on a parsed map', () => {
    using m = CpuMap.parse('1,3,5-7');
    expect(m.nr).toBe(5);
    expect([...m]).toEqual([1, 3, 5, 6, 7]);
    expect(m.toArray()).toEqual([1, 3, 5, 6, 7]);
    expect(m.cpu(0)).toBe(1);
    expect(m.cpu(4)).toBe(7);
    expect(m.idx(5)).toBe(2);
    expect(m.idx(4)).toBe(-1);
    expect(m.has(6)).toBe(true);
    expect(m.has(2)).toBe(false);
    expect(m.min()).toBe(1);
    expect(m.max()).toBe(7);
    expect(m.isEmpty()).toBe(false);
    expect(m.hasAnyCpu()).toBe(false);
    expect(JSON.stringify(m)).toBe('[1,3,5,6,7]');
  });

  test('cpu(idx) throws EINDEX out of range and TypeError for non-integers', () => {
    using m = CpuMap.parse('0-3');
    for (const i of [4, 100, -1]) {
      let e: unknown;
      try {
        m.cpu(i);
      } catch (err) {
        e = err;
      }
      expect(e).toBeInstanceOf(CpuMapError);
      expect((e as CpuMapError).code).toBe('EINDEX');
      expect((e as CpuMapError).value).toBe(i);
    }
    for (const bad of [0.5, NaN, Infinity, '1', null]) {
      expect(() => m.cpu(bad as number)).toThrow(TypeError);
    }
  });

  test('the empty map: nr 0, no cpus, min/max -1, isEmpty', () => {
    using e = CpuMap.empty();
    expect(e.nr).toBe(0);
    expect(e.toArray()).toEqual([]);
    expect([...e]).toEqual([]);
    expect(e.isEmpty()).toBe(true);
    expect(e.hasAnyCpu()).toBe(false);
    expect(e.min()).toBe(-1);
    expect(e.max()).toBe(-1);
    expect(e.has(-1)).toBe(false);
    expect(() => e.cpu(0)).toThrow(CpuMapError);
    expect(e.refcount).toBe(1);
  });

  test('decoded maps keep their order and the libperf search artefacts', () => {
    using m = CpuMap.decode(unhex('0000 0300 0300 0100 0100'));
    expect(m.toArray()).toEqual([3, 1, 1]);
    expect(m.idx(3)).toBe(-1);
    expect(m.idx(1)).toBe(1);
    expect(m.has(3)).toBe(false);
    expect(m.min()).toBe(3);
    expect(m.max()).toBe(1);
  });

  test('[-1,4,5,-1]: hasAnyCpu, min 4, max -1', () => {
    using m = CpuMap.decode(unhex('0200 0200 0400 0500'), { lenient: true });
    expect(m.toArray()).toEqual([-1, 4, 5, -1]);
    expect(m.hasAnyCpu()).toBe(true);
    expect(m.min()).toBe(4);
    expect(m.max()).toBe(-1);
  });

  test('equals and isSubsetOf (this ⊆ other)', () => {
    using a = CpuMap.parse('0-3');
    using b = CpuMap.parse('1-2');
    using c = CpuMap.fromCpus([3, 2, 1, 0, 2]);
    using e = CpuMap.empty();
    expect(a.equals(c)).toBe(true);
    expect(a.equals(b)).toBe(false);
    expect(b.isSubsetOf(a)).toBe(true);
    expect(a.isSubsetOf(b)).toBe(false);
    expect(a.isSubsetOf(a)).toBe(true);
    expect(e.isSubsetOf(a)).toBe(true);
    expect(a.isSubsetOf(e)).toBe(false);
    expect(e.equals(e)).toBe(true);
  });

  test('fromCpus sorts, de-duplicates and accepts -1; rejects other values', () => {
    using m = CpuMap.fromCpus([5, -1, 3, 5]);
    expect(m.toArray()).toEqual([-1, 3, 5]);
    for (const bad of [-2, 32767, 40000]) {
      expect(() => CpuMap.fromCpus([bad])).toThrow(expect.objectContaining({ code: 'ERANGE' }));
    }
    expect(() => CpuMap.fromCpus([1.5])).toThrow(TypeError);
    expect(() => CpuMap.fromCpus(5 as unknown as number[])).toThrow(TypeError);
  });

  test('references: get adds one, put drops one, the last put frees', () => {
    const m = CpuMap.parse('0-3');
    expect(m.refcount).toBe(1);
    const r = m.get();
    expect(m.refcount).toBe(2);
    expect(r.equals(m)).toBe(true);
    r.put();
    expect(m.refcount).toBe(1);
    m.put();
    for (const use of [() => m.nr, () => m.toArray(), () => m.put(), () => m.get(), () => m.refcount, () => m.toString(), () => lp.perf_cpu_map__nr(m)]) {
      expect(use).toThrow(expect.objectContaining({ name: 'CpuMapError', code: 'EPUT' }));
    }
  });

  test('Symbol.dispose is put', () => {
    const m = CpuMap.parse('1');
    const r = m.get();
    {
      using _ = r;
    }
    expect(m.refcount).toBe(1);
    m[Symbol.dispose]();
    expect(() => m.nr).toThrow(expect.objectContaining({ code: 'EPUT' }));
  });
});

describe('§10 checklist of surprising behaviour', () => {
  test('1. NULL is the empty map, yet looks like [-1] to nr/cpu/loops/format/writer', () => {
    expect(lp.perf_cpu_map__nr(null)).toBe(1);
    expect(lp.perf_cpu_map__cpu(null, 0)).toBe(-1);
    expect(lp.cpu_map__snprint(null)).toBe('-1');
    expect(lp.perf_event__synthesize_cpu_map(null)).toEqual(lp.perf_event__synthesize_cpu_map(anyCpu()));
    expect(lp.perf_cpu_map__has_any_cpu(null)).toBe(false);
    expect(lp.perf_cpu_map__equal(null, anyCpu())).toBe(false);
    expect(lp.perf_cpu_map__is_empty(null)).toBe(true);
    expect(lp.perf_cpu_map__is_empty(anyCpu())).toBe(false);
  });

  test('2. duplicates are errors, text after a separator is dropped', () => {
    expect(keep(lp.perf_cpu_map__new('1,1'))).toBeNull();
    expect(cpus(parse('0, 1'))).toEqual([0]);
  });

  test('3. automatic base', () => {
    expect(cpus(parse('010'))).toEqual([8]);
    expect(cpus(parse('0x10'))).toEqual([16]);
    expect(keep(lp.perf_cpu_map__new('08'))).toBeNull();
  });

  test('4. a range end may be missing, or have white space or a sign', () => {
    expect(cpus(parse('0-'))).toEqual([0]);
    expect(keep(lp.perf_cpu_map__new('1-'))).toBeNull();
    expect(cpus(parse('1- 3'))).toEqual([1, 2, 3]);
    expect(cpus(parse('1-+3'))).toEqual([1, 2, 3]);
  });

  test('5. newline separates and terminates; space and tab do not', () => {
    expect(cpus(parse('0\n1\n'))).toEqual([0, 1]);
    expect(keep(lp.perf_cpu_map__new('0 1'))).toBeNull();
    expect(keep(lp.perf_cpu_map__new('0\t1'))).toBeNull();
  });

  test('6. failure and the empty map are both NULL', () => {
    expect(keep(lp.perf_cpu_map__new('x'))).toBeNull();
    expect(keep(lp.perf_cpu_map__intersect(parse('1'), parse('2')))).toBeNull();
  });

  test('7. merge may hand back the other map; intersect returns an input', () => {
    const a = parse('1');
    const b = parse('0-3');
    const orig: { map: M } = { map: lp.perf_cpu_map__get(a) };
    expect(lp.perf_cpu_map__merge(orig, b)).toBe(0);
    expect(orig.map).toBe(b);
    keep(orig.map);
    const i = keep(lp.perf_cpu_map__intersect(b, a));
    expect(i).toBe(a);
  });

  test('8. min skips -1 wherever it is; max is the last entry (-1 for [-1])', () => {
    expect(lp.perf_cpu_map__min(any0to3())).toBe(0);
    expect(lp.perf_cpu_map__min(five_any())).toBe(5);
    expect(lp.perf_cpu_map__max(anyCpu())).toBe(-1);
    expect(lp.perf_cpu_map__max(five_any())).toBe(-1);
  });

  test('9. decoded CPUS payloads are neither sorted nor de-duplicated', () => {
    expect(cpus(unsorted311())).toEqual([3, 1, 1]);
    expect(lp.perf_cpu_map__nr(unsorted311())).toBe(3);
  });

  test('10. the MASK writer: the port keeps the largest cpu that is a multiple of 32 (deliberate fix)', () => {
    const m = parse('0,1,32');
    const event = lp.perf_event__synthesize_cpu_map(m);
    expect(event[8]).toBe(1); // MASK
    const back = keep(lp.cpu_map__new_data(event.subarray(8)));
    expect(cpus(back)).toEqual([0, 1, 32]);
  });

  test('11. new_int truncates to 16 bits; 65535 is the any-CPU value', () => {
    expect(cpus(newInt(65535))).toEqual([-1]);
    expect(cpus(newInt(40000))).toEqual([-25536]);
  });

  test('12. references are compared by content (get is a new reference to the same object)', () => {
    const a = parse('0-3');
    const r = keep(lp.perf_cpu_map__get(a));
    expect(lp.perf_cpu_map__refcnt(a)).toBe(2);
    expect(lp.perf_cpu_map__equal(a, r)).toBe(true);
    expect(lp.perf_cpu_map__equal(a, parse('0-3'))).toBe(true);
  });
});
