// docs/contract.md §6: the text forms of a map — the cpu list (cpu_map__snprint,
// CpuMap.toString) and the hex mask (cpu_map__snprint_mask, CpuMap.toMask).

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CpuMap, CpuMapError } from '../src/index.js';
import * as lp from '../src/libperf.js';
import { range } from './model.js';

import { withMap, type M } from './maps.js';

describe('§6.1 cpu_map__snprint: the cpu list', () => {
  // [map, printed]
  const CASES: [string, string][] = [
    ['0', '0'],
    ['0-3', '0-3'],
    ['4,2,1', '1-2,4'],
    ['1,3,5', '1,3,5'],
    ['0-1,3', '0-1,3'],
    ['0,2-3', '0,2-3'],
    ['0x10-0x12,010', '8,16-18'],
    ['32766', '32766'],
    ['0-32766', '0-32766'],
    ['1-10,12-20,22-30,32-40', '1-10,12-20,22-30,32-40'],
    // quirks of printing signed values
    ['NULL', '-1'],
    ['', '-1'],
    ['cpus:-1,0,1,2,3', '-1-3'],
    ['cpus:-1,0,5', '-1-0,5'],
    ['hex:0000 0300 0300 0100 0100', '3,1,1'], // decoded, unsorted
    ['hex:0000 0200 0500 ffff', '5,-1'],
    ['hex:0000 0300 0100 0200 0300', '1-3'],
    ['hex:0000 0200 0300 0200', '3,2'], // a step of -1 is no run
    ['hex:0200 0200 0400 0500', '-1,4-5,-1'], // any_cpu 2
    ['int:-5', '-5'],
    ['int:40000', '-25536'],
  ];
  test.each(CASES)('%s prints %s', (spec, text) => {
    withMap(spec, (m) => {
      expect(lp.cpu_map__snprint(m)).toBe(text);
      if (m !== null) expect(m.toString()).toBe(text);
    });
  });

  test('[-2,-1,0] is one run: "-2-0"', () => {
    const orig: { map: M } = { map: lp.perf_cpu_map__new_int(-2) };
    const any = lp.perf_cpu_map__new_any_cpu();
    const zero = lp.perf_cpu_map__new('0');
    lp.perf_cpu_map__merge(orig, any);
    lp.perf_cpu_map__merge(orig, zero);
    expect(lp.cpu_map__snprint(orig.map)).toBe('-2-0');
    for (const m of [orig.map, any, zero]) lp.perf_cpu_map__put(m);
  });

  test('no spaces, no trailing newline, the full string however long', () => {
    const list = range(0, 2000).filter((c) => c % 2 === 0).join(',');
    withMap(list, (m) => {
      const text = lp.cpu_map__snprint(m);
      expect(text).toBe(list);
      expect(text.length).toBeGreaterThan(1024); // perf's buffer size: the port is not limited by it
    });
  });

  test('the empty CpuMap prints as the empty string', () => {
    using e = CpuMap.empty();
    expect(e.toString()).toBe('');
    expect(`${e}`).toBe('');
  });

  test('round trip: parsing the printed list gives the same map (fast-check)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 32766 })), { minLength: 1, maxLength: 60 }), (values) => {
        using a = CpuMap.fromCpus(values);
        const text = a.toString();
        using b = CpuMap.parse(text, { strict: true });
        expect(b.equals(a)).toBe(true);
        expect(b.toString()).toBe(text); // canonical
        expect(text).toMatch(/^\d+(-\d+)?(,\d+(-\d+)?)*$/);
      }),
      { numRuns: 300 },
    );
  });

  test('the printed form of a parsed list is canonical ("4,2,1" prints "1-2,4")', () => {
    for (const [input, canonical] of [['4,2,1', '1-2,4'], ['0x3,0-2\n', '0-3'], ['7,5-6,1-3', '1-3,5-7'], ['0-,1', '0-1']]) {
      using m = CpuMap.parse(input!);
      expect(m.toString()).toBe(canonical);
    }
  });
});

describe('§6.2 cpu_map__snprint_mask: the hex mask', () => {
  const CASES: [string, string][] = [
    ['0', '1'],
    ['0,1,32', '1,00000003'],
    ['0-31,64', '1,00000000,ffffffff'],
    ['0,2,4,6,64', '1,00000000,00000055'],
    ['1-256', '1' + ',ffffffff'.repeat(7) + ',fffffffe'],
    // more of the layout: one digit per 4 cpus, a comma every 8 digits from the right
    ['1', '2'],
    ['3', '8'],
    ['4', '10'],
    ['0-3', 'f'],
    ['0-7', 'ff'],
    ['31', '80000000'],
    ['32', '1,00000000'],
    ['0,35', '8,00000001'],
    ['63', '80000000,00000000'],
    ['0-63', 'ffffffff,ffffffff'],
    ['4,2,1', '16'],
    ['hex:0000 0300 0300 0100 0100', 'a'], // decoded [3,1,1]
  ];
  test.each(CASES)('%s → %s', (spec, mask) => {
    withMap(spec, (m) => {
      expect(lp.cpu_map__snprint_mask(m)).toBe(mask);
      expect(m!.toMask()).toBe(mask);
    });
  });

  // top is max(map), the LAST entry (§4): on an unsorted decoded map the digits
  // stop at the nibble of the last entry, even if a larger cpu comes earlier
  // (well defined upstream while the larger cpu lies in the same bitmap byte)
  const UNSORTED: [string, string][] = [
    ['0000 0200 0500 0100', '2'], // [5,1]: top 1, one digit, bit 5 not shown
    ['0000 0200 0700 0000', '1'], // [7,0]: top 0
    ['0000 0200 0900 0800', '300'], // [9,8]: top 8, cpu 9 is in its nibble
  ];
  test.each(UNSORTED)('decoded %s: top is the last entry → %s', (payload, mask) => {
    withMap(`hex:${payload}`, (m) => {
      expect(lp.cpu_map__snprint_mask(m)).toBe(mask);
      expect(m!.toMask()).toBe(mask);
    });
  });

  test('length = floor(top/4)+1 digits plus floor(top/32) commas', () => {
    for (const top of [0, 1, 3, 4, 31, 32, 33, 63, 64, 100, 255, 256, 1000, 4095, 32766]) {
      withMap(`${top}`, (m) => {
        const mask = lp.cpu_map__snprint_mask(m);
        expect(mask.replace(/,/g, '').length).toBe(Math.floor(top / 4) + 1);
        expect(mask.split(',').length - 1).toBe(Math.floor(top / 32));
        expect(mask).toMatch(/^[1248](0*)(,0{8})*$/);
        expect(mask).toBe(mask.toLowerCase());
      });
    }
  });

  // Undefined upstream (a negative shift); the port throws ENEGATIVE (deliberate)
  const NEGATIVE: [string, number][] = [
    ['NULL', -1],
    ['', -1],
    ['cpus:-1,0,1,2,3', -1],
    ['int:-5', -5],
    ['hex:0000 0200 0500 ffff', -1],
  ];
  test.each(NEGATIVE)('%s has no mask: CpuMapError ENEGATIVE', (spec, value) => {
    withMap(spec, (m) => {
      let e: unknown;
      try {
        lp.cpu_map__snprint_mask(m);
      } catch (err) {
        e = err;
      }
      expect(e).toBeInstanceOf(CpuMapError);
      expect((e as CpuMapError).code).toBe('ENEGATIVE');
      expect((e as CpuMapError).value).toBe(value);
      if (m !== null) expect(() => m.toMask()).toThrow(expect.objectContaining({ code: 'ENEGATIVE' }));
    });
  });

  test('the empty CpuMap has the mask "0"', () => {
    using e = CpuMap.empty();
    expect(e.toMask()).toBe('0');
  });

  test('formatting changes no reference count', () => {
    withMap('0-3', (m) => {
      lp.cpu_map__snprint(m);
      lp.cpu_map__snprint_mask(m);
      expect(lp.perf_cpu_map__refcnt(m)).toBe(1);
    });
  });
});
