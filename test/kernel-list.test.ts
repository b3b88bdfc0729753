// The kernel's cpu list dialect: CpuMap.parse(text, { dialect: 'kernel' }).
// The first table is the kernel's own (lib/test_bitmap.c, parselist_tests),
// restated as facts: input, nbits, and the bits set or the errno returned.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpuMap, CpuMapError, parseKernelCpus, readKernelCpuList, configure, refcheck } from '../src/index.js';
import { failOnLeaks } from '../src/refcheck/vitest.js';
import fc from 'fast-check';

configure({ refcheck: { leaksAtExit: false } });
failOnLeaks();
afterEach(() => expect(refcheck.errors()).toEqual([]));

/** The cpus of a bitmask given as a (big) integer. */
function bitsOf(mask: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; mask > 0n; i++, mask >>= 1n) if (mask & 1n) out.push(i);
  return out;
}

const E = 0n; // the empty bitmap
// [input, nbits, expected bits | errno]
const KERNEL_TABLE: [string, number, bigint | 'EINVAL' | 'ERANGE' | 'EOVERFLOW'][] = [
  ['0', 8, 0x1n], ['1', 8, 0x2n], ['0-15', 32, 0xffffn], ['16-31', 32, 0xffff0000n],
  ['0-31:1/2', 32, 0x55555555n], ['1-31:1/2', 32, 0xaaaaaaaan], ['0-31:1/4', 32, 0x11111111n],
  ['1-31:1/4', 32, 0x22222222n], ['0-31:4/4', 32, 0xffffffffn], ['1-31:4/4', 32, 0xfffffffen],
  ['0-31:1/4,32-63:2/4', 64, 0x3333333311111111n], ['0-31:3/4,32-63:4/4', 64, 0xffffffff77777777n],
  ['  ,,  0-31:3/4  ,, 32-63:4/4  ,,  ', 64, 0xffffffff77777777n],
  ['0-31:1/4,32-63:2/4,64-95:3/4,96-127:4/4', 128, 0xffffffff777777773333333311111111n],
  ['', 8, E], ['\n', 8, E], [',,  ,,  , ,  ,', 8, E], [' ,  ,,  , ,   ', 8, E], [' ,  ,,  , ,   \n', 8, E],
  ['0-0', 32, 0x1n], ['1-1', 32, 0x2n], ['15-15', 32, 0x8000n], ['31-31', 32, 0x80000000n],
  ['0-0:0/1', 32, E], ['0-0:1/1', 32, 0x1n], ['0-0:1/31', 32, 0x1n], ['0-0:31/31', 32, 0x1n],
  ['1-1:1/1', 32, 0x2n], ['0-15:16/31', 32, 0xffffn], ['15-15:1/2', 32, 0x8000n], ['15-15:31/31', 32, 0x8000n],
  ['15-31:1/31', 32, 0x8000n], ['16-31:16/31', 32, 0xffff0000n], ['31-31:31/31', 32, 0x80000000n],
  ['N-N', 32, 0x80000000n], ['0-0:1/N', 32, 0x1n], ['0-0:N/N', 32, 0x1n], ['0-15:16/N', 32, 0xffffn],
  ['15-15:N/N', 32, 0x8000n], ['15-N:1/N', 32, 0x8000n], ['16-N:16/N', 32, 0xffff0000n], ['N-N:N/N', 32, 0x80000000n],
  ['0-N:1/3,1-N:1/3,2-N:1/3', 32, 0xffffffffn], ['0-31:1/3,1-31:1/3,2-31:1/3', 32, 0xffffffffn],
  ['1-10:8/12,8-31:24/29,0-31:0/3', 32, 0xfffffffen],
  ['all', 32, 0xffffffffn], ['0, 1, all,  ', 32, 0xffffffffn], ['all:1/2', 32, 0x55555555n], ['ALL:1/2', 32, 0x55555555n],
  ['al', 8, 'EINVAL'], ['alll', 8, 'EINVAL'],
  ['-1', 8, 'EINVAL'], ['-0', 8, 'EINVAL'], ['10-1', 8, 'EINVAL'], ['8-8', 8, 'ERANGE'], ['0-31', 8, 'ERANGE'],
  ['0-31:', 32, 'EINVAL'], ['0-31:0', 32, 'EINVAL'], ['0-31:0/', 32, 'EINVAL'], ['0-31:0/0', 32, 'EINVAL'],
  ['0-31:1/0', 32, 'EINVAL'], ['0-31:10/1', 32, 'EINVAL'], ['0-98765432123456789:10/1', 8, 'EOVERFLOW'],
  ['a-31', 8, 'EINVAL'], ['0-a1', 8, 'EINVAL'], ['a-31:10/1', 8, 'EINVAL'], ['0-31:a/1', 8, 'EINVAL'], ['0-\n', 8, 'EINVAL'],
];

describe("the kernel's parse table (lib/test_bitmap.c)", () => {
  for (const [input, nbits, want] of KERNEL_TABLE) {
    it(`${JSON.stringify(input)} nbits ${nbits}`, () => {
      if (typeof want === 'bigint') {
        expect(parseKernelCpus(input, { nbits })).toEqual(bitsOf(want));
      } else {
        let err: unknown;
        try {
          parseKernelCpus(input, { nbits });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(CpuMapError);
        expect((err as CpuMapError).message).toContain(`(the kernel returns -${want})`);
      }
    });
  }

  it('0-2047:128/256 (the timed case): 8 runs of 128', () => {
    const cpus = parseKernelCpus('0-2047:128/256', { nbits: 2048 });
    expect(cpus.length).toBe(1024);
    expect(cpus.filter((c) => c % 256 === 0)).toEqual([0, 256, 512, 768, 1024, 1280, 1536, 1792]);
    expect(cpus.includes(128)).toBe(false);
  });
});

describe('kernel dialect details', () => {
  it('a newline ends the list after a number or range, but is white space after a stride', () => {
    expect(parseKernelCpus('0\n5')).toEqual([0]);
    expect(parseKernelCpus('0-1\n5')).toEqual([0, 1]);
    expect(parseKernelCpus('0-3:1/2\n5')).toEqual([0, 2, 5]);
    expect(parseKernelCpus('1\u00002')).toEqual([1]); // NUL ends a C string
  });

  it('duplicates and overlaps are allowed (bits are ORed); leading zeros are decimal', () => {
    expect(parseKernelCpus('3,1-4,3')).toEqual([1, 2, 3, 4]);
    expect(parseKernelCpus('010')).toEqual([10]);
  });

  it('errors carry code, position and the kernel errno', () => {
    const cases: [string, string, number][] = [
      ['0-3,5;7', 'ESYNTAX', 5], ['0-3:1', 'ESYNTAX', 5], ['4-2', 'EREVERSED', 0], ['1,2,40000', 'ERANGE', 4],
      ['0x10', 'ESYNTAX', 1], ['0-31:0/0', 'ESYNTAX', 0], ['99999999999', 'ERANGE', 0], ['0,N-1', 'EREVERSED', 2],
    ];
    for (const [input, code, position] of cases) {
      try {
        parseKernelCpus(input);
        expect.unreachable(input);
      } catch (e) {
        expect([input, (e as CpuMapError).code, (e as CpuMapError).position]).toEqual([input, code, position]);
        expect((e as CpuMapError).input).toBe(input);
        expect((e as CpuMapError).message.split('\n').pop()).toMatch(/^ *\^$/);
      }
    }
  });

  it('nbits: N is nbits - 1, all is 0..nbits-1; 0 bits makes N the largest u32', () => {
    expect(parseKernelCpus('N', { nbits: 4 })).toEqual([3]);
    expect(parseKernelCpus('all', { nbits: 3 })).toEqual([0, 1, 2]);
    expect(parseKernelCpus('N').at(-1)).toBe(32766);
    expect(() => parseKernelCpus('N', { nbits: 0 })).toThrow(/4294967295 is out of range/);
    expect(() => parseKernelCpus('0', { nbits: 40000 })).toThrow(TypeError);
  });
});

describe('CpuMap.parse dialects', () => {
  it("{ dialect: 'kernel' } gives a CpuMap; the empty list is the empty map", () => {
    const m = CpuMap.parse('0-31:2/4', { dialect: 'kernel' });
    expect(m.toString()).toBe('0-1,4-5,8-9,12-13,16-17,20-21,24-25,28-29');
    const e = CpuMap.parse('\n', { dialect: 'kernel' });
    expect(e.nr).toBe(0);
    m.put();
    e.put();
  });

  it("libperf stays the default, and its errors on kernel syntax name the option", () => {
    for (const text of ['\n', '0-31:2/4', 'all', '0, 1', '0-N']) {
      expect(() => CpuMap.parse(text, { strict: true })).toThrow(/dialect: 'kernel'/);
    }
    expect(() => CpuMap.parse('0', { dialect: 'bsd' as 'kernel' })).toThrow(TypeError);
    expect(() => CpuMap.parse('0;1')).toThrow(CpuMapError);
    expect(() => CpuMap.parse('0;1')).not.toThrow(/dialect/);
    const m = CpuMap.parse('0-3,8');
    expect(m.toString()).toBe('0-3,8');
    m.put();
  });
});

describe('readKernelCpuList', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpumap-klist-'));
  it('reads sysfs and cgroup style files, including a lone newline', () => {
    const write = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const a = readKernelCpuList(write('isolated', '\n'));
    const b = readKernelCpuList(write('cpuset.cpus.effective', '0-3,8-11\n'));
    expect([a.nr, b.toString()]).toEqual([0, '0-3,8-11']);
    a.put();
    b.put();
    expect(() => readKernelCpuList(write('bad', '0-3;\n'))).toThrow(/bad: invalid kernel cpu list at position 3/);
    expect(() => readKernelCpuList(join(dir, 'missing'))).toThrow(/cannot read the cpu list file .*missing: ENOENT/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('properties', () => {
  it("perf's list output reads back the same in the kernel dialect, and libperf's reads agree", () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 60 }), (cpus) => {
      const m = CpuMap.fromCpus(cpus);
      const text = m.toString();
      m.put();
      const sorted = [...cpus].sort((a, b) => a - b);
      expect(parseKernelCpus(text)).toEqual(sorted);
      expect(parseKernelCpus(`${text}\n`)).toEqual(sorted);
    }));
  });

  it('a stride a-b:u/g sets, from a in steps of g, the first u cpus of each step up to b', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }),
      fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 40 }), (a, len, g, u) => {
        const b = a + len;
        const text = `${a}-${b}:${u}/${g}`;
        if (u > g) {
          expect(() => parseKernelCpus(text)).toThrow(/stride uses/);
          return;
        }
        const want: number[] = [];
        for (let c = a; c <= b; c++) if ((c - a) % g < u) want.push(c);
        expect(parseKernelCpus(text)).toEqual(want);
      }));
  });
});
