// docs/contract.md §7: PERF_RECORD_CPU_MAP events — the writer's choice and exact bytes
// (perf_event__synthesize_cpu_map, CpuMap.encode), and the reader
// (cpu_map__new_data, lenient like perf; CpuMap.decode, strict by default).
// All expected bytes are written out by hand from the spec's layouts.

import { describe, expect, test } from 'vitest';
import { CpuMap, CpuMapError } from '../src/index.js';
import * as lp from '../src/libperf.js';
import { hex, range, unhex } from './model.js';

import { withMap } from './maps.js';

/** The cpus cpu_map__new_data reads from a payload, or null. */
function lpDecode(payload: string | Uint8Array): number[] | null {
  const m = lp.cpu_map__new_data(typeof payload === 'string' ? unhex(payload) : payload);
  if (m === null) return null;
  expect(lp.perf_cpu_map__refcnt(m)).toBe(1);
  const cpus = m.toArray();
  lp.perf_cpu_map__put(m);
  return cpus;
}

/** The cpus CpuMap.decode reads, or its CpuMapError. */
function classDecode(bytes: string | Uint8Array, lenient = false): number[] | CpuMapError {
  let m: CpuMap;
  try {
    m = CpuMap.decode(typeof bytes === 'string' ? unhex(bytes) : bytes, { lenient });
  } catch (e) {
    if (e instanceof CpuMapError) return e;
    throw e;
  }
  expect(m.refcount).toBe(1);
  const cpus = m.toArray();
  m.put();
  return cpus;
}

function expectDecodeError(got: unknown, code: string, field: string, offset: number, value?: number): void {
  expect(got).toBeInstanceOf(CpuMapError);
  const e = got as CpuMapError;
  expect({ code: e.code, field: e.field, offset: e.offset }).toEqual({ code, field, offset });
  if (value !== undefined) expect(e.value).toBe(value);
  expect(e.message).toContain(field);
}

const HEADER_16 = '4a000000 0000 1000';
const HEADER_24 = '4a000000 0000 1800';
const HEADER_32 = '4a000000 0000 2000';

describe('§7.1/§7.2 the writer: choice of encoding and exact bytes', () => {
  // [map, encoding, whole event (header: type 74, misc 0, size)]
  const EXAMPLES: [string, string, string][] = [
    // the spec's worked examples
    ['0,2-20', 'MASK', `${HEADER_24} 0100 0100 0400 fdff1f00 000000000000`],
    ['1,256', 'CPUS', `${HEADER_16} 0000 0200 0100 0001`],
    ['1-256', 'RANGE', `${HEADER_16} 0200 00 00 0100 0001`],
    ['', 'CPUS', `${HEADER_16} 0000 0100 ffff 0000`], // [-1]
    ['NULL', 'CPUS', `${HEADER_16} 0000 0100 ffff 0000`],
    ['cpus:-1,0,1,2,3', 'RANGE', `${HEADER_16} 0200 01 00 0000 0300`],
    ['5', 'RANGE', `${HEADER_16} 0200 00 00 0500 0500`],
    // other edge cases of §7.2
    ['0-1', 'RANGE', `${HEADER_16} 0200 00 00 0000 0100`],
    ['0-32766', 'RANGE', `${HEADER_16} 0200 00 00 0000 fe7f`],
    ['int:-5', 'RANGE', `${HEADER_16} 0200 00 00 fbff fbff`], // stored as u16, unreadable
    ['int:32767', 'RANGE', `${HEADER_16} 0200 00 00 ff7f ff7f`],
    ['cpus:-1,0,5', 'CPUS', `${HEADER_24} 0000 0300 ffff 0000 0500 000000000000`], // any forces CPUS
    ['0,2,4,62', 'CPUS', `${HEADER_24} 0000 0400 0000 0200 0400 3e00 00000000`], // 12 < 14
    ['0,2,4,6,63', 'MASK', `${HEADER_24} 0100 0200 0400 55000000 00000080 0000`], // 14 = 14: MASK
    ['0,32', 'CPUS', `${HEADER_16} 0000 0200 0000 2000`],
    // the port's MASK carries ceil((max+1)/32) words (upstream: ceil(max/32), §7.2 bug)
    ['0,1,32', 'MASK', `${HEADER_24} 0100 0200 0400 03000000 01000000 0000`],
    ['0,2,4,6,64', 'MASK', `${HEADER_32} 0100 0300 0400 55000000 00000000 01000000 000000000000`],
    ['0-31,64', 'MASK', `${HEADER_32} 0100 0300 0400 ffffffff 00000000 01000000 000000000000`],
    // ... but the choice keeps upstream's formula: CPUS 18 bytes vs MASK 6+4*ceil(96/32) = 18,
    // so MASK (not strictly smaller), written with 4 words where a fixed formula would pick CPUS
    ['0,2,4,6,8,10,96', 'MASK', `${HEADER_32} 0100 0400 0400 55050000 00000000 00000000 01000000 0000`],
    // the port's empty map: CPUS with nr 0
    ['empty', 'CPUS', `${HEADER_16} 0000 0000 00000000`],
  ];

  test.each(EXAMPLES)('%s → %s', (spec, _encoding, event) => {
    const expected = hex(unhex(event));
    withMap(spec, (m) => {
      const got = lp.perf_event__synthesize_cpu_map(m);
      expect(hex(got)).toBe(expected);
      if (m !== null) expect(hex(m.encode())).toBe(expected);
      // the header
      const view = new DataView(got.buffer, got.byteOffset, got.byteLength);
      expect(view.getUint32(0, true)).toBe(74);
      expect(view.getUint16(4, true)).toBe(0);
      expect(view.getUint16(6, true)).toBe(got.length);
      expect(got.length % 8).toBe(0);
    });
  });

  test('on unsorted decoded maps the choice follows §7.2 literally (lo = first entry, hi = last entry)', () => {
    // [1,5,3]: hi - lo + 1 = 3 = nr, so RANGE 1..3 (perf loses 5 and invents 2)
    const m = lp.cpu_map__new_data(unhex('0000 0300 0100 0500 0300'));
    expect(hex(lp.perf_event__synthesize_cpu_map(m))).toBe(hex(unhex(`${HEADER_16} 0200 0000 0100 0300`)));
    lp.perf_cpu_map__put(m);
    // [3,1,1]: CPUS 10 bytes, MASK 6 + 4 * ceil(1/32) = 10: MASK, bits 1 and 3
    const u = lp.cpu_map__new_data(unhex('0000 0300 0300 0100 0100'));
    expect(hex(lp.perf_event__synthesize_cpu_map(u))).toBe(hex(unhex(`${HEADER_24} 0100 0100 0400 0a000000 000000000000`)));
    lp.perf_cpu_map__put(u);
    // [5,1]: CPUS 8 < MASK 10: CPUS in stored order
    const v = lp.cpu_map__new_data(unhex('0000 0200 0500 0100'));
    expect(hex(lp.perf_event__synthesize_cpu_map(v))).toBe(hex(unhex(`${HEADER_16} 0000 0200 0500 0100`)));
    lp.perf_cpu_map__put(v);
  });

  test('encoding does not change the reference count', () => {
    withMap('0-3', (m) => {
      lp.perf_event__synthesize_cpu_map(m);
      m!.encode();
      expect(lp.perf_cpu_map__refcnt(m)).toBe(1);
    });
  });

  test('an event too big for its u16 size field throws ETOOLARGE', () => {
    // -1 forces CPUS; 32766 more entries need 4 + 2 * 32767 payload bytes
    const cpus = [-1, ...range(0, 32766).filter((c) => c !== 5)];
    using m = CpuMap.fromCpus(cpus);
    expect(() => m.encode()).toThrow(expect.objectContaining({ code: 'ETOOLARGE' }));
  });
});

describe('§7.2 the off-by-one fix: a largest cpu that is a multiple of 32 survives', () => {
  const LISTS = ['0,1,32', '0,2,4,6,64', '0-31,64', '0,5,7,9,11,13,15,96', '1-30,32', '0,2-4,6,8-10,12,14-18,20,22-24,26,28-31,33-35,128'];
  test.each(LISTS)('%s round-trips through MASK', (list) => {
    using m = CpuMap.parse(list);
    const event = m.encode();
    expect(event[8]).toBe(1); // MASK
    using back = CpuMap.decode(event);
    expect(back.equals(m)).toBe(true);
    expect(back.toString()).toBe(m.toString());
    expect(lpDecode(event.subarray(8))).toEqual(m.toArray());
  });

  test("upstream's own payload for 0,1,32 (nr 1) reads back as 0,1, as perf reads it", () => {
    expect(lpDecode('0100 0100 0400 03000000 01000000 0000')).toEqual([0, 1]);
    expect(classDecode('0100 0100 0400 03000000 01000000 0000')).toEqual([0, 1]);
  });
});

describe('§7.4 the reader on hand-made payloads', () => {
  // [payload, cpu_map__new_data / lenient decode, strict CpuMap.decode: cpus or [code, field, offset, value]]
  type Err = [string, string, number, number];
  const CASES: [string, string, number[] | null, number[] | Err][] = [
    // CPUS
    ['CPUS in stored order, unsorted, duplicates kept', '0000 0300 0300 0100 0100', [3, 1, 1], [3, 1, 1]],
    ['CPUS 0xffff is -1', '0000 0200 0500 ffff', [5, -1], [5, -1]],
    ['CPUS only 0xffff', '0000 0100 ffff', [-1], [-1]],
    ['CPUS 0xffff twice', '0000 0300 ffff 0000 ffff', [-1, 0, -1], [-1, 0, -1]],
    ['CPUS 32766 is the largest', '0000 0100 fe7f', [32766], [32766]],
    ['CPUS 32767 rejects the whole map', '0000 0200 0100 ff7f', null, ['EBADCPU', 'cpu[1]', 6, 32767]],
    ['CPUS 65534 rejects the whole map', '0000 0100 feff', null, ['EBADCPU', 'cpu[0]', 4, 65534]],
    ['CPUS 40000', '0000 0300 0000 0100 409c', null, ['EBADCPU', 'cpu[2]', 8, 40000]],
    ['CPUS nr claims more entries than bytes', '0000 0300 0100 0200', null, ['ETRUNCATED', 'nr', 2, 3]],
    ['CPUS trailing bytes ignored', '0000 0100 0700 0000 0000', [7], [7]],
    // MASK, 32-bit words
    ['MASK 32-bit', '0100 0100 0400 fdff1f00', [0, ...range(2, 20)], [0, ...range(2, 20)]],
    ['MASK 32-bit, two words', '0100 0200 0400 01000080 01000000', [0, 31, 32], [0, 31, 32]],
    ['MASK words beyond nr are not read', '0100 0100 0400 01000000 01000000', [0], [0]],
    ['MASK nr claims more words than bytes', '0100 0200 0400 01000000', null, ['ETRUNCATED', 'nr', 2, 2]],
    // MASK, 64-bit words (older writers), at offset 10
    ['MASK 64-bit', '0100 0100 0800 00000000 fdff1f0000000000', [0, ...range(2, 20)], [0, ...range(2, 20)]],
    ['MASK 64-bit, two words', '0100 0200 0800 00000000 0100000000000080 0100000000000000', [0, 63, 64], [0, 63, 64]],
    ['MASK 64-bit, padding ignored', '0100 0100 0800 ffffffff 0600000000000000', [1, 2], [1, 2]],
    ['MASK 64-bit, nr claims more words than bytes', '0100 0200 0800 00000000 0100000000000000', null, ['ETRUNCATED', 'nr', 2, 2]],
    // long_size other than 4 or 8: refused by both layers in both modes, as newer perf
    // does (older perf read it as 8-byte words numbered i * long_size * 8; docs/contract.md §11)
    ['MASK long_size 2', '0100 0100 0200 00000000 0500000000000000', null, ['EBADLONGSIZE', 'long_size', 4, 2]],
    ['MASK long_size 0', '0100 0100 0000 00000000 0100000000000000', null, ['EBADLONGSIZE', 'long_size', 4, 0]],
    ['MASK long_size 16', '0100 0100 1000 00000000 0300000000000000', null, ['EBADLONGSIZE', 'long_size', 4, 16]],
    // the example: older perf [48, 64], the old port [48, 112]
    ['MASK long_size 2, two words', '0100020002000000000000000000000001000000000000000100000000000000', null, ['EBADLONGSIZE', 'long_size', 4, 2]],
    ['MASK cpu 32766 is the largest', `0100 0004 0400 ${'00000000'.repeat(1023)} 00000040`, [32766], [32766]],
    ['MASK cpu 32767 rejects the whole map', `0100 0004 0400 ${'00000000'.repeat(1023)} 00000080`, null, ['EBADCPU', 'mask word at offset 4098', 4098, 32767]],
    // RANGE_CPUS
    ['RANGE 0..1', '0200 0000 0000 0100', [0, 1], [0, 1]],
    ['RANGE 5..5', '0200 0000 0500 0500', [5], [5]],
    ['RANGE any_cpu 1', '0200 0100 0000 0300', [-1, 0, 1, 2, 3], [-1, 0, 1, 2, 3]],
    ['RANGE padding byte ignored', '0200 00ff 0200 0300', [2, 3], [2, 3]],
    ['RANGE any_cpu 2: extra -1 at the end', '0200 0200 0400 0500', [-1, 4, 5, -1], ['EBADANYCPU', 'any_cpu', 2, 2]],
    ['RANGE any_cpu 3', '0200 0300 0400 0400', [-1, 4, -1, -1], ['EBADANYCPU', 'any_cpu', 2, 3]],
    ['RANGE end = start-1, any_cpu 1', '0200 0100 0500 0400', [-1], [-1]],
    ['RANGE end < start-1', '0200 0000 0500 0300', null, ['EREVERSED', 'end_cpu', 6, 3]],
    ['RANGE end far below start', '0200 0100 0010 0000', null, ['EREVERSED', 'end_cpu', 6, 0]],
    ['RANGE start 32767', '0200 0000 ff7f ff7f', null, ['EBADCPU', 'start_cpu', 4, 32767]],
    ['RANGE end 32767', '0200 0000 0000 ff7f', null, ['EBADCPU', 'end_cpu', 6, 32767]],
    ['RANGE 0xffff is not -1', '0200 0000 ffff ffff', null, ['EBADCPU', 'start_cpu', 4, 65535]],
    ['RANGE from new_int(-5)', '0200 0000 fbff fbff', null, ['EBADCPU', 'start_cpu', 4, 65531]],
    ['RANGE 0..32766', '0200 0000 0000 fe7f', range(0, 32766), range(0, 32766)],
    // other types
    ['type 3', '0300 0100 0000 0000', null, ['EBADTYPE', 'type', 0, 3]],
    ['type 0xffff', 'ffff 0100 0000 0000', null, ['EBADTYPE', 'type', 0, 65535]],
  ];

  test.each(CASES)('%s', (_name, payload, lenient, strict) => {
    expect(lpDecode(payload)).toEqual(lenient);
    if (lenient !== null) expect(classDecode(payload, true)).toEqual(lenient);
    const got = classDecode(payload);
    if (Array.isArray(strict) && typeof strict[0] === 'string') {
      const [code, field, offset, value] = strict as Err;
      expectDecodeError(got, code, field, offset, value);
      if (lenient === null) expectDecodeError(classDecode(payload, true), code, field, offset, value);
    } else {
      expect(got).toEqual(strict);
    }
  });

  // Valid payloads without any cpu: libperf's NULL, the port's empty map
  const EMPTY: [string, string][] = [
    ['CPUS nr 0', '0000 0000'],
    ['CPUS nr 0 with padding', '0000 0000 00000000'],
    ['MASK nr 0', '0100 0000 0400'],
    ['MASK no bit set', '0100 0200 0400 00000000 00000000'],
    ['MASK 64-bit no bit set', '0100 0100 0800 00000000 0000000000000000'],
    ['RANGE end = start-1, any_cpu 0', '0200 0000 0500 0400'],
  ];
  test.each(EMPTY)('%s: NULL, or the empty CpuMap', (_name, payload) => {
    expect(lpDecode(payload)).toBeNull();
    for (const lenient of [false, true]) {
      using m = CpuMap.decode(unhex(payload), { lenient });
      expect(m.nr).toBe(0);
      expect(m.isEmpty()).toBe(true);
      expect(m.refcount).toBe(1);
    }
  });

  test('CpuMap.decode rejects what is not a Uint8Array', () => {
    expect(() => CpuMap.decode('0000' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => lp.cpu_map__new_data([0, 0] as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('§7.4 truncated payloads: every prefix of every type', () => {
  // [type, a full payload, field and offset reported for a prefix of `len` bytes]
  const FULL: [string, string, (len: number) => [string, number]][] = [
    ['CPUS', '0000 0200 0100 0001', (len) => (len < 2 ? ['type', 0] : ['nr', 2])],
    ['MASK 32-bit', '0100 0100 0400 fdff1f00', (len) => (len < 2 ? ['type', 0] : len < 4 ? ['nr', 2] : len < 6 ? ['long_size', 4] : ['nr', 2])],
    ['MASK 64-bit', '0100 0100 0800 00000000 fdff1f0000000000', (len) => (len < 2 ? ['type', 0] : len < 4 ? ['nr', 2] : len < 6 ? ['long_size', 4] : ['nr', 2])],
    ['RANGE', '0200 0000 0100 0001', (len) => (len < 2 ? ['type', 0] : len < 3 ? ['any_cpu', 2] : len < 6 ? ['start_cpu', 4] : ['end_cpu', 6])],
  ];
  test.each(FULL)('%s', (_type, payload, where) => {
    const full = unhex(payload);
    expect(lpDecode(full)).not.toBeNull();
    for (let len = 0; len < full.length; len++) {
      const prefix = full.slice(0, len);
      expect(lpDecode(prefix), `${len} bytes`).toBeNull();
      for (const lenient of [false, true]) {
        const got = classDecode(prefix, lenient);
        const [field, offset] = where(len);
        expect(got, `${len} bytes`).toBeInstanceOf(CpuMapError);
        const e = got as CpuMapError;
        expect([len, e.code, e.field, e.offset]).toEqual([len, 'ETRUNCATED', field, offset]);
      }
    }
  });
});

describe('§7 whole events and real perf.data bytes', () => {
  // From test/fixtures/perf-data/README.md (Debian linux-perf 6.1.192, x86_64)
  const REAL: [string, string, string][] = [
    ['stat-all-cpus.data / stat-cpu0-1.data / record-all-cpus.data (-a, 2 cpus)', '4a000000000010000200000000000100', '0-1'],
    ['stat-cpu1.data (-C 1)', '4a000000000010000200000001000100', '1'],
    ['stat-task.data (no cpu list: the any-CPU map)', '4a0000000000100000000100ffff0000', '-1'],
  ];
  test.each(REAL)('%s', (_file, event, list) => {
    const bytes = unhex(event);
    // the whole event, and its payload alone
    using whole = CpuMap.decode(bytes);
    using payload = CpuMap.decode(bytes.subarray(8));
    expect(whole.toString()).toBe(list);
    expect(payload.toString()).toBe(list);
    const m = lp.cpu_map__new_data(bytes.subarray(8));
    expect(lp.cpu_map__snprint(m)).toBe(list);
    // the port writes exactly what perf wrote
    expect(hex(lp.perf_event__synthesize_cpu_map(m))).toBe(event);
    expect(hex(whole.encode())).toBe(event);
    lp.perf_cpu_map__put(m);
  });

  test('a whole event: the header is skipped, the padding after the payload ignored', () => {
    using m = CpuMap.decode(unhex(`${HEADER_24} 0000 0300 0300 0100 0100 000000000000`));
    expect(m.toArray()).toEqual([3, 1, 1]);
  });

  test('encode → decode gives back the map (sorted maps, -1 included)', () => {
    for (const spec of ['0', '0-3', '1,256', '1-256', '0,2-20', '', 'cpus:-1,0,1,2,3', 'cpus:-1,0,5', '0,1,32', '0-32766', 'empty']) {
      withMap(spec, (m) => {
        using back = CpuMap.decode(m!.encode());
        expect(back.toArray()).toEqual(m!.toArray());
      });
    }
  });

  test('NULL is written like [-1] and reads back as [-1]', () => {
    expect(lpDecode(lp.perf_event__synthesize_cpu_map(null).subarray(8))).toEqual([-1]);
  });

  test('maps that cannot be read back: [-5] and [32767] from new_int', () => {
    for (const [spec, value] of [['int:-5', 65531], ['int:32767', 32767]] as const) {
      withMap(spec, (m) => {
        const event = lp.perf_event__synthesize_cpu_map(m);
        expect(lpDecode(event.subarray(8))).toBeNull();
        expectDecodeError(classDecode(event), 'EBADCPU', 'start_cpu', 4, value);
      });
    }
  });
});
