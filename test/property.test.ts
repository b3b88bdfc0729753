// Properties: both layers of the port against the plain model in
// test/model.ts (written from docs/contract.md; § numbers are its sections), on random cpu sets, random
// spellings of them, random strings, and random payloads.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CpuMap, CpuMapError } from '../src/index.js';
import * as lp from '../src/libperf.js';
import * as model from './model.js';
import { hex } from './model.js';

type M = lp.perf_cpu_map | null;
const RUNS = { numRuns: 500 };

const cpusOf = (m: M): number[] | null => (m === null ? null : m.toArray());

/** lp layer: the parsed cpus or null (the map is put). */
function lpParse(s: string): number[] | null {
  const m = lp.perf_cpu_map__new(s);
  const cpus = cpusOf(m);
  lp.perf_cpu_map__put(m);
  return cpus;
}

/** class layer: the parsed cpus, or null for a CpuMapError. */
function classParse(s: string, strict: boolean): number[] | null {
  let m: CpuMap;
  try {
    m = CpuMap.parse(s, { strict });
  } catch (e) {
    if (e instanceof CpuMapError) {
      expect(e.input).toBe(s);
      expect(e.position).toBeGreaterThanOrEqual(0);
      expect(e.position).toBeLessThanOrEqual(s.length);
      return null;
    }
    throw e;
  }
  const cpus = m.toArray();
  m.put();
  return cpus;
}

// ---- arbitraries ----

/** A cpu: mostly small, sometimes anywhere, sometimes a multiple of 32 (the MASK edge). */
const cpuArb = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 130 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 32766 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }).map((k) => 32 * k) },
);

/** A non-empty set of cpus, sorted: scattered values, or one contiguous range. */
const cpuSetArb = fc.oneof(
  { weight: 3, arbitrary: fc.uniqueArray(cpuArb, { minLength: 1, maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 32766 }), fc.integer({ min: 0, max: 300 }))
      .map(([start, len]) => model.range(start, Math.min(32766, start + len))),
  },
).map((a) => [...a].sort((x, y) => x - y));

/** How one number is spelled: decimal, hex (0x/0X, either case) or octal. */
const spellingArb = fc.constantFrom('dec', 'dec', 'dec', 'hex', 'HEX', 'Hex', 'oct');
function spell(v: number, how: string): string {
  switch (how) {
    case 'hex': return `0x${v.toString(16)}`;
    case 'HEX': return `0X${v.toString(16).toUpperCase()}`;
    case 'Hex': return `0x${v.toString(16).toUpperCase()}`;
    case 'oct': return `0${v.toString(8)}`;
    default: return `${v}`;
  }
}

interface Piece { style: string; endStyle: string; endPrefix: string; sep: string; key: number }
const pieceArb: fc.Arbitrary<Piece> = fc.record({
  style: spellingArb,
  endStyle: spellingArb,
  // what strtoul lets through before a range end (lenient only)
  endPrefix: fc.constantFrom('', '', '', '', '', '', ' ', '\t', '+', '\n', ' +', '\t\n '),
  sep: fc.constantFrom(',', ',', ',', '\n'),
  key: fc.nat(),
});

/** A spelling of a cpu set as a list, with what libperf must make of it. */
interface Spelled { set: number[]; list: string; lenient: number[] | null; strictOk: boolean }

const spelledArb: fc.Arbitrary<Spelled> = fc.record({
  set: cpuSetArb,
  breaks: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
  pieces: fc.array(pieceArb, { minLength: 64, maxLength: 64 }),
  shuffle: fc.boolean(),
  trailing: fc.constantFrom('', '', '', '\n', ',', ',x', ', 5', '\n\n', ',,3', ',-1', ',\n'),
  duplicate: fc.option(fc.nat(), { freq: 5 }),
}).map(({ set, breaks, pieces, shuffle, trailing, duplicate }) => {
  // cut the set into runs of consecutive values, some runs cut further
  const runs: [number, number][] = [];
  for (let i = 0; i < set.length; i++) {
    const v = set[i]!;
    const last = runs[runs.length - 1];
    if (last && last[1] + 1 === v && !breaks[i % breaks.length]) last[1] = v;
    else runs.push([v, v]);
  }
  if (duplicate !== null) {
    const v = set[duplicate % set.length]!;
    runs.splice(duplicate % (runs.length + 1), 0, [v, v]);
  }
  const keyed = runs.map((r, i) => ({ r, p: pieces[i % pieces.length]! }));
  if (shuffle) keyed.sort((x, y) => x.p.key - y.p.key);
  let list = '';
  let prefixUsed = false;
  keyed.forEach(({ r: [a, b], p }, i) => {
    if (i > 0) list += keyed[i - 1]!.p.sep;
    list += spell(a, p.style);
    if (b !== a) {
      list += `-${p.endPrefix}${spell(b, p.endStyle)}`;
      if (p.endPrefix !== '') prefixUsed = true;
    }
  });
  list += trailing;
  return {
    set,
    list,
    lenient: duplicate === null ? set : null,
    strictOk: duplicate === null && !prefixUsed && (trailing === '' || trailing === '\n'),
  };
});

const ALPHABET = '0123456789,-x\n +\t'.split('');
const randomListArb = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 24 });

// ---- §3.1 the grammar ----

describe('§3.1 property: the grammar against the model', () => {
  test('the model agrees with how the random lists were built', () => {
    fc.assert(fc.property(spelledArb, ({ list, lenient, strictOk }) => {
      expect(model.parseLenient(list)).toEqual(lenient);
      expect(model.parseStrict(list) !== null).toBe(strictOk);
    }), RUNS);
  });

  test('spelled cpu sets: both layers, lenient and strict, give the model\'s answer', () => {
    fc.assert(fc.property(spelledArb, ({ list }) => {
      const expected = model.parseLenient(list);
      expect(lpParse(list)).toEqual(expected);
      expect(classParse(list, false)).toEqual(expected);
      expect(classParse(list, true)).toEqual(model.parseStrict(list));
    }), RUNS);
  });

  test('random strings over "0123456789,-x\\n +\\t": same accept/reject and same map', () => {
    fc.assert(fc.property(randomListArb, (s) => {
      const expected = model.parseLenient(s);
      expect(lpParse(s)).toEqual(expected);
      expect(classParse(s, false)).toEqual(expected);
      expect(classParse(s, true)).toEqual(model.parseStrict(s));
    }), { numRuns: 1000 });
  });

  test('random strings that start with a digit (most get past the first check)', () => {
    const arb = fc.tuple(fc.constantFrom(...'0123456789'.split('')), randomListArb).map(([d, s]) => d + s);
    fc.assert(fc.property(arb, (s) => {
      const expected = model.parseLenient(s);
      expect(lpParse(s)).toEqual(expected);
      expect(classParse(s, true)).toEqual(model.parseStrict(s));
    }), { numRuns: 1000 });
  });
});

// ---- §4/§5/§6/§7 on maps built from sets ----

/** A small set (lots of overlap between two of them), maybe with -1; [] stands for NULL / the empty map. */
const smallSetArb = fc.record({
  cpus: fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }),
  any: fc.boolean(),
}).map(({ cpus, any }) => [...(any ? [-1] : []), ...[...cpus].sort((x, y) => x - y)]);

/** A libperf map for a sorted set ([] is NULL). */
const lpMap = (cpus: number[]): M => (cpus.length === 0 ? null : CpuMap.fromCpus(cpus));
const asModel = (cpus: number[]): model.Model => (cpus.length === 0 ? null : cpus);

describe('§4/§5 property: queries and set operations against the model (libperf layer)', () => {
  test('merge: result, which object orig.map is, refcounts', () => {
    fc.assert(fc.property(smallSetArb, smallSetArb, (x, y) => {
      const a = lpMap(x);
      const b = lpMap(y);
      const want = model.merge(asModel(x), asModel(y));
      const orig = { map: a };
      expect(lp.perf_cpu_map__merge(orig, b)).toBe(0);
      expect(cpusOf(orig.map)).toEqual(want.result === null ? null : [...want.result]);
      const which = orig.map === a ? 'orig' : orig.map === b ? 'other' : 'new';
      expect(which).toBe(want.which);
      lp.perf_cpu_map__put(b);
      if (orig.map !== null) expect(lp.perf_cpu_map__refcnt(orig.map)).toBe(1);
      lp.perf_cpu_map__put(orig.map);
    }), RUNS);
  });

  test('intersect: result, which object, refcounts', () => {
    fc.assert(fc.property(smallSetArb, smallSetArb, (x, y) => {
      const a = lpMap(x);
      const b = lpMap(y);
      const want = model.intersect(asModel(x), asModel(y));
      const r = lp.perf_cpu_map__intersect(a, b);
      expect(cpusOf(r)).toEqual(want.result === null ? null : [...want.result]);
      if (r !== null) {
        const which = r === a ? 'orig' : r === b ? 'other' : 'new';
        expect(which).toBe(want.which);
        expect(lp.perf_cpu_map__refcnt(r)).toBe(which === 'new' ? 1 : 2);
      }
      for (const m of [r, a, b]) lp.perf_cpu_map__put(m);
    }), RUNS);
  });

  test('equal, is_subset both ways, and the queries', () => {
    fc.assert(fc.property(smallSetArb, smallSetArb, fc.integer({ min: -2, max: 42 }), (x, y, probe) => {
      const a = lpMap(x);
      const b = lpMap(y);
      const ma = asModel(x);
      const mb = asModel(y);
      expect(lp.perf_cpu_map__equal(a, b)).toBe(model.equal(ma, mb));
      expect(lp.perf_cpu_map__is_subset(a, b)).toBe(model.isSubset(ma, mb));
      expect(lp.perf_cpu_map__is_subset(b, a)).toBe(model.isSubset(mb, ma));
      expect(lp.perf_cpu_map__nr(a)).toBe(model.nr(ma));
      expect(lp.perf_cpu_map__cpu(a, probe)).toBe(model.cpu(ma, probe));
      expect(lp.perf_cpu_map__idx(a, probe)).toBe(model.idx(ma, probe));
      expect(lp.perf_cpu_map__has(a, probe)).toBe(model.has(ma, probe));
      expect(lp.perf_cpu_map__min(a)).toBe(model.min(ma));
      expect(lp.perf_cpu_map__max(a)).toBe(model.max(ma));
      lp.perf_cpu_map__put(a);
      lp.perf_cpu_map__put(b);
    }), RUNS);
  });
});

describe('§4/§5 property: the CpuMap class against plain set arithmetic', () => {
  test('merge, intersect, equals, isSubsetOf; inputs untouched', () => {
    fc.assert(fc.property(smallSetArb, smallSetArb, (x, y) => {
      using a = x.length ? CpuMap.fromCpus(x) : CpuMap.empty();
      using b = y.length ? CpuMap.fromCpus(y) : CpuMap.empty();
      const union = [...new Set([...x, ...y])].sort((p, q) => p - q);
      const common = x.filter((c) => y.includes(c));
      using u = a.merge(b);
      using i = a.intersect(b);
      expect(u.toArray()).toEqual(union);
      expect(i.toArray()).toEqual(common);
      expect(a.equals(b)).toBe(model.equal(x, y));
      expect(a.isSubsetOf(b)).toBe(x.every((c) => y.includes(c)));
      expect(b.isSubsetOf(a)).toBe(y.every((c) => x.includes(c)));
      expect(a.toArray()).toEqual(x);
      expect(b.toArray()).toEqual(y);
    }), RUNS);
  });
});

describe('§6 property: list and mask formats against the model', () => {
  test('toString / cpu_map__snprint, and the round trip', () => {
    fc.assert(fc.property(fc.oneof(cpuSetArb, smallSetArb), (cpus) => {
      const m = lpMap(cpus);
      const text = lp.cpu_map__snprint(m);
      expect(text).toBe(model.snprint(asModel(cpus)));
      if (m !== null) {
        expect(m.toString()).toBe(text);
        if (!cpus.includes(-1)) expect(lpParse(text)).toEqual(cpus);
      }
      lp.perf_cpu_map__put(m);
    }), RUNS);
  });

  test('toMask / cpu_map__snprint_mask (ENEGATIVE where -1 is in the map)', () => {
    fc.assert(fc.property(fc.oneof(cpuSetArb, smallSetArb), (cpus) => {
      const m = lpMap(cpus);
      if (m === null || cpus.includes(-1)) {
        expect(() => lp.cpu_map__snprint_mask(m)).toThrow(expect.objectContaining({ code: 'ENEGATIVE' }));
      } else {
        expect(lp.cpu_map__snprint_mask(m)).toBe(model.snprintMask(cpus));
        expect(m.toMask()).toBe(model.snprintMask(cpus));
      }
      lp.perf_cpu_map__put(m);
    }), RUNS);
  });
});

describe('§7 property: encode → decode', () => {
  test('the event is the model writer\'s, byte for byte, and decodes back to the map', () => {
    fc.assert(fc.property(fc.oneof(cpuSetArb, smallSetArb), (cpus) => {
      const m = lpMap(cpus);
      const event = lp.perf_event__synthesize_cpu_map(m);
      expect(hex(event)).toBe(hex(model.synthesize(asModel(cpus))));
      const back = lp.cpu_map__new_data(event.subarray(8));
      expect(cpusOf(back)).toEqual(m === null ? [-1] : cpus);
      expect(cpusOf(back)).toEqual(model.newData(event.subarray(8)));
      if (m !== null) {
        using again = CpuMap.decode(m.encode());
        expect(again.equals(m)).toBe(true);
      }
      for (const x of [m, back]) lp.perf_cpu_map__put(x);
    }), RUNS);
  });

  // CPUS payloads with any order, duplicates and 0xffff: the search artefacts of §4
  const unsortedArb = fc.array(fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constant(0xffff)), { minLength: 1, maxLength: 8 });
  const cpusPayload = (values: number[]): Uint8Array => {
    const p = new Uint8Array(4 + 2 * values.length);
    const v = new DataView(p.buffer);
    v.setUint16(2, values.length, true);
    values.forEach((c, i) => v.setUint16(4 + 2 * i, c, true));
    return p;
  };

  test('decoded unsorted maps: queries, equal, is_subset, merge, intersect as the model says', () => {
    fc.assert(fc.property(unsortedArb, unsortedArb, fc.integer({ min: -1, max: 9 }), (x, y, probe) => {
      const a = lp.cpu_map__new_data(cpusPayload(x))!;
      const b = lp.cpu_map__new_data(cpusPayload(y))!;
      const ma = model.newData(cpusPayload(x))!;
      const mb = model.newData(cpusPayload(y))!;
      expect(a.toArray()).toEqual(ma);
      expect(lp.perf_cpu_map__idx(a, probe)).toBe(model.idx(ma, probe));
      expect(lp.perf_cpu_map__has(a, probe)).toBe(model.has(ma, probe));
      expect(lp.perf_cpu_map__min(a)).toBe(model.min(ma));
      expect(lp.perf_cpu_map__max(a)).toBe(model.max(ma));
      expect(lp.perf_cpu_map__equal(a, b)).toBe(model.equal(ma, mb));
      expect(lp.perf_cpu_map__is_subset(a, b)).toBe(model.isSubset(ma, mb));
      expect(lp.cpu_map__snprint(a)).toBe(model.snprint(ma));

      const i = lp.perf_cpu_map__intersect(a, b);
      const wantI = model.intersect(ma, mb);
      expect(cpusOf(i)).toEqual(wantI.result === null ? null : [...wantI.result]);
      lp.perf_cpu_map__put(i);

      const orig = { map: lp.perf_cpu_map__get(a) };
      const wantM = model.merge(ma, mb);
      lp.perf_cpu_map__merge(orig, b);
      expect(cpusOf(orig.map)).toEqual(wantM.result === null ? null : [...wantM.result]);
      expect(orig.map === a ? 'orig' : orig.map === b ? 'other' : 'new').toBe(wantM.which);
      for (const m of [orig.map, a, b]) lp.perf_cpu_map__put(m);
    }), RUNS);
  });

  test('random payload bytes: cpu_map__new_data matches the model; the port rejects what perf would over-read', () => {
    const payloadArb = fc.tuple(fc.constantFrom(0, 1, 2, 3), fc.uint8Array({ maxLength: 24 }), fc.constantFrom(4, 8, 2))
      .map(([type, rest, longSize]) => {
        const p = new Uint8Array(2 + rest.length);
        p[0] = type;
        p.set(rest, 2);
        // keep nr small so some payloads are complete, and long_size mostly sensible
        if (p.length > 2) p[2] = p[2]! % 5;
        if (p.length > 3) p[3] = 0;
        if (type === 1 && p.length > 5) { p[4] = longSize; p[5] = 0; }
        return p;
      });
    fc.assert(fc.property(payloadArb, (p) => {
      const want = model.newData(p);
      const m = lp.cpu_map__new_data(p);
      if (want === undefined) expect(m).toBeNull();
      else expect(cpusOf(m)).toEqual(want);
      lp.perf_cpu_map__put(m);
      // CpuMap.decode, lenient: the same cpus, the empty map for "no cpus", or a CpuMapError
      let got: number[] | 'error';
      try {
        const c = CpuMap.decode(p, { lenient: true });
        got = c.toArray();
        c.put();
      } catch (e) {
        expect(e).toBeInstanceOf(CpuMapError);
        got = 'error';
      }
      if (want) expect(got).toEqual(want);
      else if (want === undefined) expect(got).toBe('error');
      else expect(got === 'error' || got.length === 0).toBe(true);
    }), { numRuns: 1000 });
  });
});

describe('§3.1 property: NUL bytes', () => {
  test('lenient mode stops at the first NUL; strict mode rejects any NUL', () => {
    const arb = fc.string({ unit: fc.constantFrom(...ALPHABET, '\0'), maxLength: 16 });
    fc.assert(fc.property(arb, (s) => {
      expect(lpParse(s)).toEqual(model.parseLenient(s));
      expect(classParse(s, false)).toEqual(model.parseLenient(s));
      expect(classParse(s, true)).toEqual(model.parseStrict(s));
    }), { numRuns: 1000 });
  });
});
