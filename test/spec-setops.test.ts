// docs/contract.md §5: merge and intersect — results, which object the result is, and
// reference counts (§2.1, §2.2) — for the libperf layer and the CpuMap class.
//
// Object identity: with the reference checker off (the default), a new
// reference to an existing map is that map's handle object itself, so
// "the result is orig's object" is checked with toBe on the handles.

import { describe, expect, test } from 'vitest';
import { CpuMap, CpuMapError, configure } from '../src/index.js';
import { defaultCore } from '../src/instance.js';
import * as lp from '../src/libperf.js';
import { unhex } from './model.js';

type M = lp.perf_cpu_map | null;

const refcnt = lp.perf_cpu_map__refcnt;
const cpus = (m: M): number[] => {
  const out: number[] = [];
  lp.perf_cpu_map__for_each_cpu(m, (c) => out.push(c));
  return out;
};

/** How the maps of a row are made: a cpu list, '' for [-1], 'NULL', 'int:N', or 'hex:PAYLOAD'. */
function make(spec: string): M {
  if (spec === 'NULL') return null;
  if (spec.startsWith('int:')) return lp.perf_cpu_map__new_int(Number(spec.slice(4)));
  if (spec.startsWith('hex:')) return lp.cpu_map__new_data(unhex(spec.slice(4)));
  const m = lp.perf_cpu_map__new(spec);
  if (m === null) throw new Error(`bad test list ${spec}`);
  return m;
}

/** Puts each reference listed (NULL included). */
function putAll(...refs: M[]): void {
  for (const r of refs) lp.perf_cpu_map__put(r);
}

describe('§5.1 perf_cpu_map__merge(orig, other)', () => {
  // [orig, other, result cpus, which object orig.map is afterwards]
  const CASES: [string, string, number[], 'orig' | 'other' | 'new'][] = [
    // 1. other contained in orig: nothing changes
    ['0-3', '1-2', [0, 1, 2, 3], 'orig'],
    ['0-3', '0-3', [0, 1, 2, 3], 'orig'], // equal contents, two objects
    ['0-3', 'NULL', [0, 1, 2, 3], 'orig'],
    ['NULL', 'NULL', [-1], 'orig'], // both NULL: stays NULL (cpus of NULL read as [-1])
    ['', '', [-1], 'orig'],
    ['-1-3', '0', [-1, 0, 1, 2, 3], 'orig'],
    // 2. orig contained in other: orig.map becomes a reference to other
    ['1-2', '0-3', [0, 1, 2, 3], 'other'],
    ['NULL', '0-3', [0, 1, 2, 3], 'other'],
    ['NULL', '', [-1], 'other'],
    ['4,2,1', '1-8', [1, 2, 3, 4, 5, 6, 7, 8], 'other'],
    // 3. a new map
    ['1,2,4', '4,5,7', [1, 2, 4, 5, 7], 'new'],
    ['0-3', '', [-1, 0, 1, 2, 3], 'new'],
    ['', '0-3', [-1, 0, 1, 2, 3], 'new'],
    ['int:-5', '', [-5, -1], 'new'],
    ['', 'int:-5', [-5, -1], 'new'],
    ['1-8', '6-9', [1, 2, 3, 4, 5, 6, 7, 8, 9], 'new'],
    ['0', '2', [0, 2], 'new'],
    // an unsorted decoded map: normalised (sorted, de-duplicated) into the new map
    ['hex:0000 0300 0300 0100 0100', '2', [1, 2, 3], 'new'],
  ];

  test.each(CASES.map(([a, b, r, w]) => [JSON.stringify(a), JSON.stringify(b), w, a, b, r] as const))(
    '%s ∪ %s: orig becomes %s', (_a, _b, which, aSpec, bSpec, result) => {
      // the `-1-3` spelling stands for [-1,0,1,2,3], which no list parses to
      const a = aSpec === '-1-3' ? lp.cpu_map__new_data(unhex('0200 0100 0000 0300')) : make(aSpec);
      const b = make(bSpec);
      const orig: { map: M } = { map: a };
      expect(lp.perf_cpu_map__merge(orig, b)).toBe(0);
      expect(cpus(orig.map)).toEqual(result);
      if (which === 'orig') {
        expect(orig.map).toBe(a);
        if (a !== null) expect(refcnt(a)).toBe(1);
        if (b !== null && b !== a) expect(refcnt(b)).toBe(1);
      } else if (which === 'other') {
        expect(orig.map).toBe(b);
        expect(refcnt(b)).toBe(2); // other's own reference plus orig's new one
        if (a !== null) expect(() => refcnt(a)).toThrow(expect.objectContaining({ code: 'EPUT' }));
      } else {
        expect(orig.map === a).toBe(false);
        expect(orig.map === b).toBe(false);
        expect(refcnt(orig.map)).toBe(1);
        if (a !== null) expect(() => refcnt(a)).toThrow(expect.objectContaining({ code: 'EPUT' })); // orig was put
        if (b !== null) expect(refcnt(b)).toBe(1); // other is never consumed
      }
      // §2.2: after put(other), orig's object has count 1 in all three cases
      lp.perf_cpu_map__put(b);
      if (orig.map !== null) expect(refcnt(orig.map)).toBe(1);
      lp.perf_cpu_map__put(orig.map);
    });

  test('merging a map into itself changes nothing', () => {
    const a = make('0-3');
    const orig = { map: a };
    expect(lp.perf_cpu_map__merge(orig, a)).toBe(0);
    expect(orig.map).toBe(a);
    expect(refcnt(a)).toBe(1);
    putAll(a);
  });

  test('a second reference (get) to orig is left alone when orig is replaced', () => {
    const a = make('1');
    const keep = lp.perf_cpu_map__get(a);
    const orig = { map: a };
    const b = make('2');
    lp.perf_cpu_map__merge(orig, b);
    expect(cpus(orig.map)).toEqual([1, 2]);
    expect(refcnt(keep)).toBe(1); // orig's reference was put, keep's remains
    expect(cpus(keep)).toEqual([1]);
    putAll(keep, b, orig.map);
  });

  test('examples: [-5] ∪ [-1] = [-5,-1]; [0..3] ∪ [-1] = [-1,0,1,2,3]; [1,2,4] ∪ [4,5,7] = [1,2,4,5,7]', () => {
    for (const [a, b, list] of [['int:-5', '', '-5,-1'], ['0-3', '', '-1-3'], ['1,2,4', '4,5,7', '1-2,4-5,7']] as const) {
      const orig = { map: make(a) };
      const other = make(b);
      lp.perf_cpu_map__merge(orig, other);
      expect(lp.cpu_map__snprint(orig.map)).toBe(list);
      putAll(other, orig.map);
    }
  });

  test('orig must be an object', () => {
    expect(() => lp.perf_cpu_map__merge(null as unknown as { map: M }, null)).toThrow(TypeError);
  });

  test('ENOMEM is -12', () => {
    expect(lp.ENOMEM).toBe(-12);
  });
});

describe('§5.2 perf_cpu_map__intersect(orig, other)', () => {
  // [orig, other, result cpus or null, which object the result is]
  const CASES: [string, string, number[] | null, 'orig' | 'other' | 'new'][] = [
    // 1. orig contained in other: get(orig)
    ['1-2', '0-3', [1, 2], 'orig'],
    ['0-3', '0-3', [0, 1, 2, 3], 'orig'], // equal contents: the first argument's object
    ['', '', [-1], 'orig'],
    ['NULL', '0-3', null, 'orig'],
    ['NULL', 'NULL', null, 'orig'],
    // 2. other contained in orig: get(other)
    ['0-3', '1-2', [1, 2], 'other'],
    ['0-3', 'NULL', null, 'other'],
    ['4,2,1', '1', [1], 'other'],
    // 3. a new map, or NULL when nothing is common
    ['1,2,4', '4,5,7', [4], 'new'],
    ['1-8', '6-9', [6, 7, 8], 'new'],
    ['1-8,12-20', '6-9,15', [6, 7, 8, 15], 'new'],
    ['0-7', '8-15', null, 'new'],
    ['', '0-3', null, 'new'],
    ['0-3', '', null, 'new'],
    ['int:-5', '', null, 'new'],
  ];

  test.each(CASES.map(([a, b, r, w]) => [JSON.stringify(a), JSON.stringify(b), w, a, b, r] as const))(
    '%s ∩ %s is %s', (_a, _b, which, aSpec, bSpec, result) => {
      const a = make(aSpec);
      const b = make(bSpec);
      const r = lp.perf_cpu_map__intersect(a, b);
      if (result === null) expect(r).toBeNull();
      else expect(cpus(r)).toEqual(result);
      if (which === 'orig') {
        expect(r).toBe(a);
        if (a !== null) expect(refcnt(a)).toBe(2);
        if (b !== null && b !== a) expect(refcnt(b)).toBe(1);
      } else if (which === 'other') {
        expect(r).toBe(b);
        if (b !== null) expect(refcnt(b)).toBe(2);
        if (a !== null) expect(refcnt(a)).toBe(1);
      } else {
        if (r !== null) {
          expect(r === a).toBe(false);
          expect(r === b).toBe(false);
          expect(refcnt(r)).toBe(1);
        }
        if (a !== null) expect(refcnt(a)).toBe(1);
        if (b !== null) expect(refcnt(b)).toBe(1);
      }
      // neither input is consumed, the result is one more reference to put
      putAll(r, a, b);
      if (r === a && a !== null) expect(() => refcnt(a)).toThrow(CpuMapError);
    });

  test('[-1] ∩ [-1] is the first [-1]', () => {
    const a = make('');
    const b = make('');
    const r = lp.perf_cpu_map__intersect(a, b);
    expect(r).toBe(a);
    expect(r === b).toBe(false);
    expect(refcnt(a)).toBe(2);
    putAll(r, a, b);
  });

  test('a map with itself is itself, one more reference', () => {
    const a = make('3-5');
    const r = lp.perf_cpu_map__intersect(a, a);
    expect(r).toBe(a);
    expect(refcnt(a)).toBe(2);
    putAll(r, a);
  });

  test('a strict subset: the result is the subset, in either order', () => {
    const big = make('0-7');
    const small = make('2,5');
    const r1 = lp.perf_cpu_map__intersect(big, small);
    const r2 = lp.perf_cpu_map__intersect(small, big);
    expect(r1).toBe(small);
    expect(r2).toBe(small);
    expect(refcnt(small)).toBe(3);
    expect(refcnt(big)).toBe(1);
    putAll(r1, r2, big, small);
  });
});

describe('§5 CpuMap.merge / CpuMap.intersect: new references, inputs untouched', () => {
  const snapshot = (m: CpuMap) => ({ cpus: m.toArray(), refcount: m.refcount });

  // [a, b, a ∪ b, a ∩ b]
  const CASES: [string, string, number[], number[]][] = [
    ['0-3', '1-2', [0, 1, 2, 3], [1, 2]],
    ['1-2', '0-3', [0, 1, 2, 3], [1, 2]],
    ['0-3', '0-3', [0, 1, 2, 3], [0, 1, 2, 3]],
    ['1,2,4', '4,5,7', [1, 2, 4, 5, 7], [4]],
    ['0-7', '8-15', [...Array(16).keys()], []],
    ['4,2,1', '1', [1, 2, 4], [1]],
  ];
  test.each(CASES)('%s and %s', (aList, bList, union, common) => {
    using a = CpuMap.parse(aList);
    using b = CpuMap.parse(bList);
    const before = [snapshot(a), snapshot(b)];
    const u = a.merge(b);
    expect(u.toArray()).toEqual(union);
    const i = a.intersect(b);
    expect(i.toArray()).toEqual(common);
    expect(a.toArray()).toEqual(before[0]!.cpus);
    expect(b.toArray()).toEqual(before[1]!.cpus);
    // the results are references of their own: put them and the inputs are as before
    u.put();
    i.put();
    expect([snapshot(a), snapshot(b)]).toEqual(before);
  });

  test('the result is an input (one more reference) when one holds the other', () => {
    using a = CpuMap.parse('0-3');
    using b = CpuMap.parse('1-2');
    using u = a.merge(b);
    expect(u).toBe(a);
    expect(a.refcount).toBe(2);
    using u2 = b.merge(a);
    expect(u2).toBe(a);
    expect(a.refcount).toBe(3);
    using i = a.intersect(b);
    expect(i).toBe(b);
    expect(b.refcount).toBe(2);
    using i2 = b.intersect(a);
    expect(i2).toBe(b);
    expect(b.refcount).toBe(3);
  });

  test('a new result has refcount 1 and does not alias the inputs', () => {
    using a = CpuMap.parse('1,2,4');
    using b = CpuMap.parse('4,5,7');
    using u = a.merge(b);
    expect(u === a).toBe(false);
    expect(u === b).toBe(false);
    expect(u.refcount).toBe(1);
    expect([a.refcount, b.refcount]).toEqual([1, 1]);
  });

  test('intersect with nothing common is the empty map (nr 0, a real map)', () => {
    using a = CpuMap.parse('0-7');
    using b = CpuMap.parse('8-15');
    const i = a.intersect(b);
    expect(i.nr).toBe(0);
    expect(i.isEmpty()).toBe(true);
    expect(i.refcount).toBe(1);
    expect(i.toString()).toBe('');
    i.put();
    using anyMap = CpuMap.anyCpu();
    using j = anyMap.intersect(a);
    expect(j.isEmpty()).toBe(true);
  });

  test('the empty map is contained in every map', () => {
    using a = CpuMap.parse('0-3');
    using e = CpuMap.empty();
    using u = a.merge(e);
    expect(u).toBe(a);
    using u2 = e.merge(a);
    expect(u2).toBe(a);
    using i = a.intersect(e);
    expect(i.isEmpty()).toBe(true);
    using i2 = e.intersect(a);
    expect(i2.isEmpty()).toBe(true);
  });

  test('merge with the any-CPU map puts -1 first', () => {
    using a = CpuMap.parse('0-3');
    using anyMap = CpuMap.anyCpu();
    using u = a.merge(anyMap);
    expect(u.toArray()).toEqual([-1, 0, 1, 2, 3]);
    expect(u.hasAnyCpu()).toBe(true);
    expect(u.toString()).toBe('-1-3');
  });

  test('using an input after its last put throws EPUT', () => {
    const a = CpuMap.parse('1');
    using b = CpuMap.parse('2');
    a.put();
    expect(() => a.merge(b)).toThrow(expect.objectContaining({ code: 'EPUT' }));
    expect(() => b.merge(a)).toThrow(expect.objectContaining({ code: 'EPUT' }));
    expect(() => b.intersect(a)).toThrow(expect.objectContaining({ code: 'EPUT' }));
  });
});

describe('§5 out of memory: merge returns -ENOMEM with nothing changed', () => {
  /** Fills the wasm memory (capped just above its current size) with maps; returns them. */
  function exhaust(): M[] {
    const filler: M[] = [];
    for (const n of [32767, 4096, 512, 64, 8, 1]) {
      for (;;) {
        const m = lp.perf_cpu_map__new(`0-${n - 1}`);
        if (m === null) break;
        filler.push(m);
      }
    }
    return filler;
  }

  test('merge, intersect and their CpuMap forms when no new map can be made', () => {
    const a = make('1');
    const b = make('2');
    const c = make('1-2');
    const d = make('2-3');
    using ca = CpuMap.parse('5');
    using cb = CpuMap.parse('6');
    configure({ maxMemory: defaultCore.ex.memory.buffer.byteLength + 2 * 65536 });
    const filler = exhaust();
    try {
      expect(filler.length).toBeGreaterThan(0);
      const orig: { map: M } = { map: a };
      expect(lp.perf_cpu_map__merge(orig, b)).toBe(lp.ENOMEM);
      expect(orig.map).toBe(a);
      expect(cpus(a)).toEqual([1]);
      expect([refcnt(a), refcnt(b)]).toEqual([1, 1]);
      // the shortcuts need no memory
      const o2: { map: M } = { map: lp.perf_cpu_map__get(c) };
      expect(lp.perf_cpu_map__merge(o2, b)).toBe(0);
      expect(o2.map).toBe(c);
      lp.perf_cpu_map__put(o2.map);
      // intersect: NULL on allocation failure
      expect(lp.perf_cpu_map__intersect(c, d)).toBeNull();
      // the class throws ENOMEM instead
      expect(() => ca.merge(cb)).toThrow(expect.objectContaining({ code: 'ENOMEM' }));
      expect([ca.refcount, cb.refcount]).toEqual([1, 1]);
    } finally {
      putAll(...filler);
      configure({ maxMemory: 2 ** 30 });
    }
    // and with memory again, the same merge works
    const orig: { map: M } = { map: a };
    expect(lp.perf_cpu_map__merge(orig, b)).toBe(0);
    expect(cpus(orig.map)).toEqual([1, 2]);
    putAll(orig.map, b, c, d);
  });
});
