// Hostile input, generated: random bytes, random Unicode and mutations of
// valid lists for the parser; random and truncated payloads for the decoder.
// Every input is compared with the plain model (test/model.ts) and must
// leave no wasm block behind. Runs are short here; scripts/fuzz.mjs runs long.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fc from 'fast-check';
import { CpuMap, CpuMapError } from '../src/index.js';
import * as lp from '../src/libperf.js';
import { defaultCore } from '../src/instance.js';
import { parseLenient, newData, isSubset as modelIsSubset, equal as modelEqual, intersect as modelIntersect, type Model } from './model.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

let blocks = 0;
beforeEach(() => {
  lp.cpu_map__snprint(null); // make sure the scratch block exists
  blocks = defaultCore.ex.liveBlockCount();
});
afterEach(() => {
  expect(defaultCore.ex.liveBlockCount(), 'wasm blocks left behind').toBe(blocks);
});

function libperfParse(s: string): Model {
  const m = lp.perf_cpu_map__new(s);
  if (m === null) return null;
  const out: number[] = [];
  lp.perf_cpu_map__for_each_cpu(m, (c) => out.push(c));
  lp.perf_cpu_map__put(m);
  return out;
}

/** The class must agree with the libperf layer: the same map, or a CpuMapError where it gives NULL. */
function classParse(s: string): Model {
  try {
    const m = CpuMap.parse(s);
    const out = m.toArray();
    m.put();
    return out;
  } catch (e) {
    expect(e).toBeInstanceOf(CpuMapError);
    const err = e as CpuMapError;
    expect(err.position).toBeGreaterThanOrEqual(0);
    expect(err.position).toBeLessThanOrEqual(s.length);
    return null;
  }
}

function agree(s: string): void {
  const want = parseLenient(s);
  expect(libperfParse(s), JSON.stringify(s)).toEqual(want);
  expect(classParse(s), JSON.stringify(s)).toEqual(want);
}

// pieces that matter to the grammar, and noise
const pieces = ['0', '1', '7', '8', '9', '00', '010', '08', '0x', '0X1f', '0xg', '32766', '32767', '4096', '65536',
  '18446744073709551616', '99999999999999999999999', ',', ',', '-', '-', '\n', ' ', '\t', '+', '-+', '\u0000', 'é', '€',
  '😀', '\ud800', 'x', ';', '1-3', '0-32766', '3-1'];
const mutatedArb = fc.array(fc.constantFrom(...pieces), { maxLength: 16 }).map((a) => a.join(''));

describe('parser fuzzing against the model', () => {
  it('random bytes (as Latin-1 text)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 32 }), (bytes) => {
      agree(String.fromCharCode(...bytes));
    }), { numRuns: RUNS });
  });

  it('random bytes that start with a digit (past the first check)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9 }), fc.uint8Array({ maxLength: 32 }), (d, bytes) => {
      agree(String(d) + String.fromCharCode(...bytes));
    }), { numRuns: RUNS });
  });

  it('random Unicode, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 24 }), (s) => {
      agree(s);
      agree(`1,${s}`);
      agree(`0-${s}`);
    }), { numRuns: RUNS });
  });

  it('mutations of valid lists: signs, prefixes, white space, huge numbers', () => {
    fc.assert(fc.property(mutatedArb, (s) => agree(s)), { numRuns: RUNS * 4 });
  });

  it('mutations of canonical lists: a character inserted, deleted or replaced', () => {
    const listArb = fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 40 }).map((cpus) => {
      const m = CpuMap.fromCpus(cpus);
      const text = m.toString();
      m.put();
      return text;
    });
    const editArb = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...'0123456789,-\n +x\u0000'.split('')));
    fc.assert(fc.property(listArb, fc.array(editArb, { maxLength: 3 }), (text, edits) => {
      let s = text;
      for (const [at, op, ch] of edits) {
        const i = at % (s.length + 1);
        s = op === 'insert' ? s.slice(0, i) + ch + s.slice(i) : op === 'delete' ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + ch + s.slice(i + 1);
      }
      agree(s);
    }), { numRuns: RUNS * 2 });
  });
});

describe('payload fuzzing', () => {
  function decoded(bytes: Uint8Array): Model | 'error' {
    const m = lp.cpu_map__new_data(bytes);
    if (m === null) return null;
    const out: number[] = [];
    lp.perf_cpu_map__for_each_cpu(m, (c) => out.push(c));
    lp.perf_cpu_map__put(m);
    return out;
  }

  const payloadArb = fc.tuple(fc.constantFrom(0, 1, 2, 3, 0xffff), fc.uint8Array({ maxLength: 48 }), fc.option(fc.integer({ min: 0, max: 0xffff }))).map(([type, rest, nr]) => {
    const p = new Uint8Array(2 + rest.length);
    p[0] = type & 0xff;
    p[1] = type >> 8;
    p.set(rest, 2);
    // often make nr small and long_size plausible, so decoding gets past the header
    if (nr !== null && p.length >= 4) { p[2] = nr % 24; p[3] = 0; }
    if (type === 1 && p.length >= 6 && (nr ?? 0) % 2 === 0) { p[4] = (nr ?? 0) % 3 === 0 ? 8 : 4; p[5] = 0; }
    return p;
  });

  it('random payloads: the libperf layer matches the model wherever the model is defined', () => {
    fc.assert(fc.property(payloadArb, (p) => {
      const want = newData(p);
      const got = decoded(p);
      if (want !== undefined) expect(got, Buffer.from(p).toString('hex')).toEqual(want);
      else expect(got).toBeNull(); // the port refuses what perf would read past the end of
    }), { numRuns: RUNS * 4 });
  });

  it('random payloads: CpuMap.decode gives a map or a CpuMapError naming a field inside the payload', () => {
    fc.assert(fc.property(payloadArb, fc.boolean(), (p, lenient) => {
      try {
        const m = CpuMap.decode(p, { lenient });
        expect(m.nr).toBeGreaterThanOrEqual(0);
        m.put();
      } catch (e) {
        expect(e).toBeInstanceOf(CpuMapError);
        const err = e as CpuMapError;
        expect(err.field).toBeTypeOf('string');
        expect(err.offset).toBeGreaterThanOrEqual(0);
        expect(err.offset).toBeLessThanOrEqual(Math.max(p.length, 10));
      }
    }), { numRuns: RUNS * 4 });
  });

  it('every truncation of real and written events is refused cleanly', () => {
    for (const list of ['0-1', '1', '0,2-20', '1,256', '1-256', '0,1,32', '0-31,64', '']) {
      const m = lp.perf_cpu_map__new(list);
      const event = lp.perf_event__synthesize_cpu_map(m);
      lp.perf_cpu_map__put(m);
      const payload = event.subarray(8);
      const whole = decoded(payload);
      expect(whole).not.toBeNull();
      for (let cut = 0; cut < payload.length; cut++) {
        const part = payload.slice(0, cut);
        const got = decoded(part);
        // a cut may still hold every byte the fields need (the zero padding): then the same map
        if (got !== null) expect(got).toEqual(whole);
        try {
          CpuMap.decode(part).put();
        } catch (e) {
          expect((e as CpuMapError).code).toMatch(/^E(TRUNCATED|BADTYPE)$/);
        }
      }
    }
  });

  it('unsorted decoded maps (duplicates too): is_subset, equal and intersect walk exactly as libperf', () => {
    const cpus = fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 40 });
    const payload = (list: number[]) => {
      const p = new Uint8Array(4 + 2 * list.length);
      p[2] = list.length;
      list.forEach((c, i) => { p[4 + 2 * i] = c; });
      return p;
    };
    fc.assert(fc.property(cpus, cpus, (x, y) => {
      const a = lp.cpu_map__new_data(payload(x));
      const b = lp.cpu_map__new_data(payload(y));
      expect(lp.perf_cpu_map__is_subset(a, b)).toBe(modelIsSubset(x, y));
      expect(lp.perf_cpu_map__is_subset(b, a)).toBe(modelIsSubset(y, x));
      expect(lp.perf_cpu_map__equal(a, b)).toBe(modelEqual(x, y));
      const r = lp.perf_cpu_map__intersect(a, b);
      const got: number[] = [];
      if (r !== null) lp.perf_cpu_map__for_each_cpu(r, (c) => got.push(c));
      expect(r === null ? null : got).toEqual(modelIntersect(x, y).result);
      for (const m of [a, b, r]) lp.perf_cpu_map__put(m);
    }), { numRuns: RUNS * 4 });
  });
});
