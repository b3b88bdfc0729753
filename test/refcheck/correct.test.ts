// Correct programs, every merge/intersect shortcut included: with checking
// on they must produce no report at all (no false positives).
import { describe, it, expect, afterEach } from 'vitest';
import { CpuMap, configure, refcheck } from '../../src/index.js';
import * as lp from '../../src/libperf.js';
import { failOnLeaks } from '../../src/refcheck/vitest.js';

configure({ refcheck: { leaksAtExit: false } });
failOnLeaks();

afterEach(() => {
  expect(refcheck.errors()).toEqual([]);
  expect(refcheck.checkConsistency()).toEqual([]);
});

describe('CpuMap class', () => {
  it('checking is on and every reference is a handle of its own', () => {
    expect(refcheck.enabled).toBe(true);
    const m = CpuMap.parse('0-3');
    const g = m.get();
    expect(g).not.toBe(m);
    expect(g.equals(m)).toBe(true);
    expect(m.refcount).toBe(2);
    g.put();
    expect(m.refcount).toBe(1);
    m.put();
  });

  it('merge: other adds nothing / this inside other / disjoint', () => {
    const big = CpuMap.parse('0-7');
    const small = CpuMap.parse('2-3');
    const far = CpuMap.parse('16-17');
    const same = big.merge(small);   // result is big's map, a new reference
    const grown = small.merge(big);  // result is big's map
    const fresh = big.merge(far);    // a new map
    expect(same.toString()).toBe('0-7');
    expect(grown.toString()).toBe('0-7');
    expect(fresh.toString()).toBe('0-7,16-17');
    expect(big.refcount).toBe(3);
    for (const m of [same, grown, fresh, big, small, far]) m.put();
  });

  it('intersect: contained / containing / partial / none', () => {
    const a = CpuMap.parse('0-7');
    const b = CpuMap.parse('2-3');
    const c = CpuMap.parse('6-9');
    const d = CpuMap.parse('20');
    const results = [a.intersect(b), b.intersect(a), a.intersect(c), a.intersect(d), a.intersect(a)];
    expect(results.map(String)).toEqual(['2-3', '2-3', '6-7', '', '0-7']);
    for (const m of [...results, a, b, c, d]) m.put();
  });

  it('decode, encode, fromCpus, anyCpu, empty, online, iteration and formatting', () => {
    const m = CpuMap.fromCpus([3, 1, 2]);
    const back = CpuMap.decode(m.encode());
    expect([...back]).toEqual([1, 2, 3]);
    expect(m.toMask()).toBe('e');
    const maps = [m, back, CpuMap.anyCpu(), CpuMap.empty(), CpuMap.online()];
    for (const x of maps) x.put();
  });

  it('Symbol.dispose puts the reference', () => {
    const m = CpuMap.parse('1');
    const r = m.get();
    r[Symbol.dispose]();
    expect(m.refcount).toBe(1);
    m[Symbol.dispose]();
  });
});

describe('libperf layer under checking', () => {
  it('identity is decided by object, not by cell: equal(get(a), a)', () => {
    const a = lp.perf_cpu_map__new('0-3');
    const g = lp.perf_cpu_map__get(a);
    expect(g).not.toBe(a);
    expect(lp.perf_cpu_map__equal(g, a)).toBe(true);
    expect(lp.perf_cpu_map__refcnt(a)).toBe(2);
    lp.perf_cpu_map__put(g);
    lp.perf_cpu_map__put(a);
  });

  it('merge: every shortcut path', () => {
    const cases: [string | null, string | null, string][] = [
      ['0-7', '2-3', '0-7'],     // other adds nothing: orig kept
      ['2-3', '0-7', '0-7'],     // orig inside other: replaced by a reference to other
      [null, '0-3', '0-3'],      // NULL orig: a reference to other
      ['0-3', null, '0-3'],      // NULL other: nothing changes
      ['1,3', '2,4', '1-4'],     // a new map
      ['1', '1', '1'],           // equal contents
    ];
    for (const [a, b, want] of cases) {
      const orig = { map: a === null ? null : lp.perf_cpu_map__new(a) };
      const other = b === null ? null : lp.perf_cpu_map__new(b);
      expect(lp.perf_cpu_map__merge(orig, other)).toBe(0);
      expect(lp.cpu_map__snprint(orig.map)).toBe(want);
      lp.perf_cpu_map__put(other);
      if (orig.map !== null) expect(lp.perf_cpu_map__refcnt(orig.map)).toBe(1);
      lp.perf_cpu_map__put(orig.map);
    }
  });

  it('merge of a map with itself keeps it', () => {
    const a = lp.perf_cpu_map__new('5');
    const orig = { map: a };
    expect(lp.perf_cpu_map__merge(orig, a)).toBe(0);
    expect(orig.map).toBe(a);
    lp.perf_cpu_map__put(a);
  });

  it('intersect: every shortcut path, NULL included', () => {
    const a = lp.perf_cpu_map__new('0-7');
    const b = lp.perf_cpu_map__new('2-3');
    const c = lp.perf_cpu_map__new('6-9');
    const d = lp.perf_cpu_map__new('20');
    const results = [
      lp.perf_cpu_map__intersect(a, b), lp.perf_cpu_map__intersect(b, a), lp.perf_cpu_map__intersect(a, c),
      lp.perf_cpu_map__intersect(a, d), lp.perf_cpu_map__intersect(null, a), lp.perf_cpu_map__intersect(a, null),
      lp.perf_cpu_map__intersect(a, a),
    ];
    expect(results.map((r) => (r === null ? null : lp.cpu_map__snprint(r)))).toEqual(['2-3', '2-3', '6-7', null, null, null, '0-7']);
    for (const r of [...results, a, b, c, d]) lp.perf_cpu_map__put(r);
  });

  it('the upstream any-cpu test, written with the reference get returns', () => {
    const m = lp.perf_cpu_map__new_any_cpu();
    expect(m).not.toBeNull();
    const g = lp.perf_cpu_map__get(m);
    lp.perf_cpu_map__put(g);
    lp.perf_cpu_map__put(m);
  });

  it('the upstream any-cpu test taken literally is a bug under checking, as under RC_CHK', () => {
    // test-cpumap.c ignores get's result and puts `cpus` twice: with libperf's
    // checker that is a leaked handle plus a double put of the other one
    configure({ refcheck: { onError: 'report' } });
    const mark = refcheck.mark();
    try {
      const m = lp.perf_cpu_map__new_any_cpu();
      lp.perf_cpu_map__get(m);
      lp.perf_cpu_map__put(m);
      lp.perf_cpu_map__put(m);
      expect(refcheck.errors().map((e) => e.kind)).toEqual(['double-put']);
      const leaks = refcheck.leaksSince(mark);
      expect(leaks.groups.map((g) => [g.kind, g.api])).toEqual([['leak', 'perf_cpu_map__get']]);
      // the double put never reached wasm: the map is still held by the leaked reference
      expect(refcheck.checkConsistency()).toEqual([]);
    } finally {
      configure({ refcheck: { onError: 'throw' } });
      refcheck.reset();
    }
  });
});
