// docs/contract.md §8: the cases perf's own cpumap tests check (libperf's and perf's
// tools/perf/tests), as data: the same inputs and expected results, asserted
// here through the libperf layer. test/upstream-refcheck.test.ts runs this
// file again with the reference checker on.
//
// Besides each expectation, every test must leave the number of live wasm
// blocks where it found it: every reference taken is given back.

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as lp from '../src/libperf.js';
import { defaultCore } from '../src/instance.js';

type MapRef = lp.perf_cpu_map | null;

let blocksAtStart = 0;
beforeEach(() => {
  lp.cpu_map__snprint(null); // allocates the scratch block before counting
  blocksAtStart = defaultCore.ex.liveBlockCount();
});
afterEach(() => {
  expect(defaultCore.ex.liveBlockCount(), 'wasm blocks still alive').toBe(blocksAtStart);
});

/** Parses `list` (which must be valid), runs `body`, then puts the map. */
function usingList<T>(list: string, body: (m: MapRef) => T): T {
  const m = lp.perf_cpu_map__new(list);
  expect(m, `"${list}" parses`).not.toBeNull();
  try {
    return body(m);
  } finally {
    lp.perf_cpu_map__put(m);
  }
}

/** The cpus of a map, in its order, read one index at a time. */
function cpusOf(m: MapRef): number[] {
  return Array.from({ length: lp.perf_cpu_map__nr(m) }, (_, i) => lp.perf_cpu_map__cpu(m, i));
}

/**
 * The fields of a synthesized PERF_RECORD_CPU_MAP's payload (after the
 * 8-byte event header), little endian, by encoding.
 */
function payloadFields(event: Uint8Array): { payload: Uint8Array; encoding: number; view: DataView } {
  const payload = event.subarray(8);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  return { payload, encoding: view.getUint16(0, true), view };
}

/** Bit `cpu` of a MASK payload: u16 type, u16 nr words, u16 long_size, then the words. */
function maskBit(view: DataView, cpu: number): boolean {
  const longSize = view.getUint16(4, true);
  const wordBits = longSize * 8;
  const words = view.getUint16(2, true);
  const firstWord = longSize === 4 ? 6 : 10; // 64-bit words are 8-byte aligned
  const word = Math.floor(cpu / wordBits);
  if (word >= words) return false;
  const bit = cpu % wordBits;
  return ((view.getUint8(firstWord + word * longSize + (bit >> 3)) >> (bit & 7)) & 1) === 1;
}

const ENCODING_CPUS = 0;
const ENCODING_MASK = 1;
const ENCODING_RANGE = 2;

describe('§8.1 the any-cpu and online maps', () => {
  test('a get is given back with its own put; the online map holds no -1', () => {
    const any = lp.perf_cpu_map__new_any_cpu();
    expect(any).not.toBeNull();
    // a second reference, used through the value get returned
    const second = lp.perf_cpu_map__get(any);
    lp.perf_cpu_map__put(second);
    lp.perf_cpu_map__put(any);

    const online = lp.perf_cpu_map__new_online_cpus();
    expect(online).not.toBeNull();
    const seen: number[] = [];
    lp.perf_cpu_map__for_each_cpu(online, (cpu) => { seen.push(cpu); });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain(-1);
    lp.perf_cpu_map__put(online);
  });
});

describe('§8.2 the encoding perf picks when it writes a map, and reading it back', () => {
  test('"0,2-20" is written as a one-word mask', () => {
    usingList('0,2-20', (m) => {
      const { payload, encoding, view } = payloadFields(lp.perf_event__synthesize_cpu_map(m));
      expect(encoding).toBe(ENCODING_MASK);
      expect([4, 8]).toContain(view.getUint16(4, true));
      expect(view.getUint16(2, true)).toBe(1);
      const set = Array.from({ length: 22 }, (_, cpu) => cpu).filter((cpu) => maskBit(view, cpu));
      expect(set).toEqual([0, ...Array.from({ length: 19 }, (_, i) => i + 2)]);

      const back = lp.cpu_map__new_data(payload);
      expect(lp.perf_cpu_map__nr(back)).toBe(20);
      expect(cpusOf(back)).toEqual(set);
      lp.perf_cpu_map__put(back);
    });
  });

  test('"1,256" is written as a list of cpu values', () => {
    usingList('1,256', (m) => {
      const { payload, encoding, view } = payloadFields(lp.perf_event__synthesize_cpu_map(m));
      expect(encoding).toBe(ENCODING_CPUS);
      expect(view.getUint16(2, true)).toBe(2);
      expect([view.getUint16(4, true), view.getUint16(6, true)]).toEqual([1, 256]);

      const back = lp.cpu_map__new_data(payload);
      expect(cpusOf(back)).toEqual([1, 256]);
      expect(lp.perf_cpu_map__refcnt(back)).toBe(1);
      lp.perf_cpu_map__put(back);
    });
  });

  test('"1-256" is written as a range', () => {
    usingList('1-256', (m) => {
      const { payload, encoding, view } = payloadFields(lp.perf_event__synthesize_cpu_map(m));
      expect(encoding).toBe(ENCODING_RANGE);
      expect({ anyCpu: view.getUint8(2), first: view.getUint16(4, true), last: view.getUint16(6, true) })
        .toEqual({ anyCpu: 0, first: 1, last: 256 });

      const back = lp.cpu_map__new_data(payload);
      expect(lp.perf_cpu_map__nr(back)).toBe(256);
      expect(lp.perf_cpu_map__cpu(back, 0)).toBe(1);
      expect(lp.perf_cpu_map__max(back)).toBe(256);
      expect(lp.perf_cpu_map__refcnt(back)).toBe(1);
      lp.perf_cpu_map__put(back);
    });
  });
});

describe('§8.2 canonical lists print back unchanged', () => {
  const CANONICAL = ['1', '1,5', '1,3,5,7,9,11,13,15,17,19,21-40', '2-5', '1,3-6,8-10,24,35-37', '1-10,12-20,22-30,32-40'];
  test.each(CANONICAL)('%s', (list) => {
    expect(usingList(list, (m) => lp.cpu_map__snprint(m))).toBe(list);
  });
});

describe('§8.2 merge into an existing map', () => {
  // [into, from, cpus after, printed]
  const UNIONS: [string, string, number, string][] = [
    ['4,2,1', '4,5,7', 5, '1-2,4-5,7'],
    ['1-8', '6-9', 9, '1-9'],
    ['1-8,12-20', '6-9,15', 18, '1-9,12-20'],
    ['4,2,1', '1', 3, '1-2,4'],
    ['1', '4,2,1', 3, '1-2,4'],
    ['1', '1', 1, '1'],
  ];
  test.each(UNIONS)('%s with %s: %i cpus, %s', (into, from, count, printed) => {
    const target = { map: lp.perf_cpu_map__new(into) };
    const other = lp.perf_cpu_map__new(from);
    lp.perf_cpu_map__merge(target, other);
    expect(lp.perf_cpu_map__nr(target.map)).toBe(count);
    expect(lp.cpu_map__snprint(target.map)).toBe(printed);
    lp.perf_cpu_map__put(other);
    // when `from` covers `into`, the result may be `other` itself: with
    // other's own reference given back, only the merge result's is left
    expect(lp.perf_cpu_map__refcnt(target.map)).toBe(1);
    lp.perf_cpu_map__put(target.map);
  });
});

describe('§8.2 intersect two maps', () => {
  // [left, right, cpus in common, printed]
  const COMMON: [string, string, number, string][] = [
    ['4,2,1', '4,5,7', 1, '4'],
    ['1-8', '6-9', 3, '6-8'],
    ['1-8,12-20', '6-9,15', 4, '6-8,15'],
    ['4,2,1', '1', 1, '1'],
    ['1', '4,2,1', 1, '1'],
    ['1', '1', 1, '1'],
  ];
  test.each(COMMON)('%s and %s: %i cpus, %s', (left, right, count, printed) => {
    usingList(left, (l) => usingList(right, (r) => {
      const both = lp.perf_cpu_map__intersect(l, r);
      expect(lp.perf_cpu_map__nr(both)).toBe(count);
      expect(lp.cpu_map__snprint(both)).toBe(printed);
      lp.perf_cpu_map__put(both);
    }));
  });
});

describe('§8.2 equality', () => {
  test('five different maps: each equals only itself; built maps equal parsed ones', () => {
    const any = lp.perf_cpu_map__new_any_cpu();
    const cpu1 = lp.perf_cpu_map__new('1');
    const cpu2 = { map: lp.perf_cpu_map__new('2') };
    const nothing = lp.perf_cpu_map__intersect(cpu1, cpu2.map);
    const both = lp.perf_cpu_map__new('1-2');
    expect(nothing).toBeNull(); // nothing in common: NULL

    const all: MapRef[] = [nothing, any, cpu1, cpu2.map, both];
    const verdicts = all.flatMap((a, i) => all.map((b, j) => [i, j, lp.perf_cpu_map__equal(a, b)] as const));
    expect(verdicts).toHaveLength(25);
    for (const [i, j, equal] of verdicts) expect(equal, `maps ${i} and ${j}`).toBe(i === j);

    lp.perf_cpu_map__merge(cpu2, cpu1); // {2} grows to {1,2}; its old reference is put by the merge
    expect(lp.perf_cpu_map__equal(both, cpu2.map)).toBe(true);
    const justOne = lp.perf_cpu_map__intersect(both, cpu1);
    expect(lp.perf_cpu_map__equal(cpu1, justOne)).toBe(true);
    lp.perf_cpu_map__put(justOne);

    for (const m of [nothing, any, cpu1, both, cpu2.map]) lp.perf_cpu_map__put(m);
  });
});
