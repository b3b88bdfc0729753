// docs/contract.md §3.1: perf_cpu_map__new's grammar, for both layers (the libperf
// functions, which return NULL, and CpuMap.parse, which throws), and the
// port's strict mode.

import { describe, expect, test, vi } from 'vitest';
import { CpuMap, CpuMapError } from '../src/index.js';
import * as lp from '../src/libperf.js';
import { range } from './model.js';

/** The cpus of a libperf map, or null; the map is put. */
function lpParse(list: string): number[] | null {
  const m = lp.perf_cpu_map__new(list);
  if (m === null) return null;
  const cpus: number[] = [];
  lp.perf_cpu_map__for_each_cpu(m, (c) => cpus.push(c));
  expect(lp.perf_cpu_map__refcnt(m)).toBe(1);
  lp.perf_cpu_map__put(m);
  return cpus;
}

/** The cpus CpuMap.parse gives, or the CpuMapError it throws. */
function classParse(list: string, strict = false): number[] | CpuMapError {
  let m: CpuMap;
  try {
    m = CpuMap.parse(list, { strict });
  } catch (e) {
    if (e instanceof CpuMapError) return e;
    throw e;
  }
  const cpus = m.toArray();
  expect(m.refcount).toBe(1);
  m.put();
  return cpus;
}

/** Printable ASCII only: the message then shows the input unescaped. */
const printable = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

/** The checks every parse error must pass: code, input, position, caret line. */
function expectParseError(e: unknown, input: string): asserts e is CpuMapError {
  expect(e).toBeInstanceOf(CpuMapError);
  const err = e as CpuMapError;
  expect(err.input).toBe(input);
  expect(typeof err.position).toBe('number');
  expect(err.position).toBeGreaterThanOrEqual(0);
  expect(err.position).toBeLessThanOrEqual(input.length);
  const lines = err.message.split('\n');
  const caret = lines[lines.length - 1]!;
  expect(caret).toMatch(/^ *\^$/);
  if (printable(input) && input.length < 40) {
    // "  <input>" then "  <spaces>^" with the caret under `position`
    expect(lines[lines.length - 2]).toBe(`  ${input}`);
    expect(caret.indexOf('^')).toBe(2 + err.position!);
    expect(err.message).toContain(input);
  }
}

const NULL = null;

// Every row of the §3.1 "Verified examples" table: [input, cpus or NULL, why].
const TABLE: [string, number[] | null, string][] = [
  ['', [-1], 'empty string gives the any-CPU map'],
  [' ', NULL, 'first character must be a digit'],
  [' 0', NULL, 'first character must be a digit'],
  ['\t1', NULL, 'first character must be a digit'],
  ['\n', NULL, 'first character must be a digit'],
  [',', NULL, 'first character must be a digit'],
  [',1', NULL, 'first character must be a digit'],
  ['-1', NULL, 'first character must be a digit'],
  ['-', NULL, 'first character must be a digit'],
  ['+1', NULL, 'first character must be a digit'],
  ['a', NULL, 'first character must be a digit'],
  ['0', [0], ''],
  ['0-0', [0], ''],
  ['00', [0], ''],
  ['5-5', [5], ''],
  ['3-1', NULL, 'end smaller than start'],
  ['5-', NULL, 'a missing end counts as 0'],
  ['1-', NULL, 'a missing end counts as 0'],
  ['1-\n', NULL, 'a missing end counts as 0'],
  ['0-', [0], 'missing end counts as 0, which equals the start'],
  ['0-\n', [0], 'missing end counts as 0, which equals the start'],
  ['0-,1', [0, 1], 'missing end 0, then the list continues'],
  ['1,1', NULL, 'duplicate value'],
  ['1,1,1', NULL, 'duplicate value'],
  ['0-3,2-5', NULL, 'duplicate value'],
  ['0-3,0', NULL, 'duplicate value'],
  ['1,2-3,3', NULL, 'duplicate value'],
  ['1-2,2-3', NULL, 'duplicate value'],
  ['1,001', NULL, 'duplicate value'],
  ['1-2,3-4', [1, 2, 3, 4], 'adjacent ranges are fine'],
  ['7,3,5', [3, 5, 7], 'sorted'],
  ['3,2,1', [1, 2, 3], 'sorted'],
  ['10-12,1-3', [1, 2, 3, 10, 11, 12], 'sorted'],
  ['1-2-3', NULL, 'bad character after a number'],
  ['1--3', NULL, 'bad character after a number'],
  ['1-x', NULL, 'bad character after a number'],
  ['1 - 3', NULL, 'bad character after a number'],
  ['0 ', NULL, 'bad character after a number'],
  ['1\t', NULL, 'bad character after a number'],
  ['0 ,1', NULL, 'bad character after a number'],
  ['1;2', NULL, 'bad character after a number'],
  ['1:2', NULL, 'bad character after a number'],
  ['1/2', NULL, 'bad character after a number'],
  ['1.5', NULL, 'bad character after a number'],
  ['1e3', NULL, 'bad character after a number'],
  ['1,,2', [1], 'text after a separator that does not start with a digit is dropped'],
  ['0,', [0], 'text after a separator that does not start with a digit is dropped'],
  ['0,a', [0], 'text after a separator that does not start with a digit is dropped'],
  ['0,-1', [0], 'text after a separator that does not start with a digit is dropped'],
  ['1,+2', [1], 'text after a separator that does not start with a digit is dropped'],
  ['0, 1', [0], 'text after a separator that does not start with a digit is dropped'],
  ['1, 2', [1], 'text after a separator that does not start with a digit is dropped'],
  ['0,\n1', [0], 'text after a separator that does not start with a digit is dropped'],
  ['1-3,', [1, 2, 3], 'trailing comma ignored'],
  ['1- 3', [1, 2, 3], 'the range end may have leading white space or a +'],
  ['1-\t3', [1, 2, 3], 'the range end may have leading white space or a +'],
  ['1-+3', [1, 2, 3], 'the range end may have leading white space or a +'],
  ['0\n', [0], 'as without the newline'],
  ['0-3\n', [0, 1, 2, 3], 'as without the newline'],
  ['0,1\n', [0, 1], 'as without the newline'],
  ['0\n\n', [0], 'as without the newline'],
  ['0\n1', [0, 1], 'newline works like a comma'],
  ['0x10', [16], 'hexadecimal'],
  ['0X10', [16], 'hexadecimal'],
  ['0x1f-0x22', [31, 32, 33, 34], 'hexadecimal range'],
  ['1-0x3', [1, 2, 3], 'hexadecimal range end'],
  ['010', [8], 'octal'],
  ['08', NULL, 'octal stops at 8'],
  ['0x', NULL, '0x without a hex digit reads as 0 followed by x'],
  ['0xg', NULL, '0x without a hex digit reads as 0 followed by x'],
  ['0b1', NULL, 'no binary prefix'],
  ['01', [1], 'octal'],
  ['0,01', [0, 1], 'octal'],
  ['32766', [32766], '32766 is the largest CPU'],
  ['0,32766', [0, 32766], '32766 is the largest CPU'],
  ['0-32766', range(0, 32766), '32767 elements'],
  ['0-0x7ffe', range(0, 32766), '32767 elements'],
  ['32767', NULL, 'at or above 32767'],
  ['65535', NULL, 'at or above 32767'],
  ['2147483647', NULL, 'at or above 32767'],
  ['18446744073709551616', NULL, 'at or above 32767 (strtoul saturates)'],
  ['0-0x7fff', NULL, 'at or above 32767'],
  ['0-4096', range(0, 4096), 'the 4096 warning is only a warning'],
];

const show = (s: string): string => JSON.stringify(s);

describe('§3.1 perf_cpu_map__new: every verified example (libperf layer)', () => {
  test.each(TABLE.map(([input, cpus, why]) => [show(input), input, cpus, why] as const))(
    '%s', (_name, input, cpus) => {
      expect(lpParse(input)).toEqual(cpus);
    });

  test('the list is printed back in canonical form (cpu_map__snprint, §6.1 round trip)', () => {
    for (const [input, cpus] of TABLE) {
      // [-1] from "" prints "-1", which is no list: the round trip is for cpus >= 0
      if (cpus === null || cpus.includes(-1)) continue;
      const m = lp.perf_cpu_map__new(input)!;
      const text = lp.cpu_map__snprint(m);
      const again = lp.perf_cpu_map__new(text);
      expect(lp.perf_cpu_map__equal(m, again), `${show(input)} -> ${text}`).toBe(true);
      lp.perf_cpu_map__put(again);
      lp.perf_cpu_map__put(m);
    }
  });

  test('perf_cpu_map__new(NULL) is the online map (§3.2)', () => {
    const a = lp.perf_cpu_map__new(null);
    const b = lp.perf_cpu_map__new_online_cpus();
    expect(a).not.toBeNull();
    expect(lp.perf_cpu_map__equal(a, b)).toBe(true);
    lp.perf_cpu_map__put(a);
    lp.perf_cpu_map__put(b);
  });
});

describe('§3.1 step 3.4: the MAX_NR_CPUS warning is not printed (deliberate departure)', () => {
  test('ranges ending at 4096 or more parse silently', () => {
    const spies = [
      vi.spyOn(console, 'warn'), vi.spyOn(console, 'error'), vi.spyOn(console, 'log'),
      vi.spyOn(process.stderr, 'write'),
    ];
    try {
      expect(lpParse('0-4096')).toHaveLength(4097);
      expect(lpParse('5000')).toEqual([5000]);
      expect(classParse('4095-4100')).toEqual(range(4095, 4100));
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('§3.1 CpuMap.parse: the same table (throws where libperf returns NULL)', () => {
  test.each(TABLE.map(([input, cpus, why]) => [show(input), input, cpus, why] as const))(
    '%s', (_name, input, cpus) => {
      const got = classParse(input);
      if (cpus === null) expectParseError(got, input);
      else expect(got).toEqual(cpus);
    });

  // [input, code, position, value]: position is a UTF-16 index into the input
  const ERRORS: [string, string, number, number | undefined][] = [
    [' ', 'ESYNTAX', 0, undefined],
    ['a', 'ESYNTAX', 0, undefined],
    ['-1', 'ESYNTAX', 0, undefined],
    [',1', 'ESYNTAX', 0, undefined],
    ['1 - 3', 'ESYNTAX', 1, undefined],
    ['1-2-3', 'ESYNTAX', 3, undefined],
    ['0 ,1', 'ESYNTAX', 1, undefined],
    ['1;2', 'ESYNTAX', 1, undefined],
    ['1e3', 'ESYNTAX', 1, undefined],
    ['08', 'ESYNTAX', 1, undefined],
    ['0x', 'ESYNTAX', 1, undefined],
    ['0b1', 'ESYNTAX', 1, undefined],
    ['1-x', 'ESYNTAX', 2, undefined],
    ['3-1', 'EREVERSED', 0, 1],
    ['1-', 'EREVERSED', 0, 0],
    ['2,5-', 'EREVERSED', 2, 0],
    ['1,1', 'EDUPLICATE', 2, 1],
    ['0-3,2-5', 'EDUPLICATE', 4, 2],
    ['1,001', 'EDUPLICATE', 2, 1],
    ['32767', 'ERANGE', 0, 32767],
    ['0,65535', 'ERANGE', 2, 65535],
    ['0-0x7fff', 'ERANGE', 2, 32767],
    ['1--3', 'ERANGE', 2, undefined],
    ['18446744073709551616', 'ERANGE', 0, undefined],
  ];
  test.each(ERRORS.map(([input, code, pos, value]) => [show(input), code, pos, input, value] as const))(
    '%s fails with %s at position %i', (_n, code, position, input, value) => {
      const e = classParse(input);
      expectParseError(e, input);
      expect(e.code).toBe(code);
      expect(e.position).toBe(position);
      if (value !== undefined) expect(e.value).toBe(value);
      expect(e.name).toBe('CpuMapError');
      expect(e.message).toMatch(/position \d+/);
    });

  test('the message shows the input with a caret under the fault', () => {
    const e = classParse('0-3,5;7');
    expectParseError(e, '0-3,5;7');
    expect(e.message.split('\n').slice(-2)).toEqual(['  0-3,5;7', '       ^']);
  });

  test('white space in the input is shown escaped, the caret still under the fault', () => {
    const e = classParse('0\n1\t');
    expectParseError(e, '0\n1\t');
    expect(e.position).toBe(3);
    const [shown, caret] = e.message.split('\n').slice(-2);
    expect(shown).toBe('  0\\n1\\t');
    expect(caret!.indexOf('^')).toBe(shown!.indexOf('\\t'));
  });

  test('CpuMap.parse rejects non-strings with a TypeError', () => {
    expect(() => CpuMap.parse(5 as unknown as string)).toThrow(TypeError);
    expect(() => CpuMap.parse(null as unknown as string)).toThrow(TypeError);
  });
});

describe('§3.1 step 3.3: more range ends, derived from the strtoul rules', () => {
  // the second number skips all of C's white space and takes one sign; "-0" is 0
  const CASES: [string, number[] | null][] = [
    ['1-\v3', [1, 2, 3]],
    ['1-\f3', [1, 2, 3]],
    ['1-\r3', [1, 2, 3]],
    ['1-\n3', [1, 2, 3]],
    ['1- \t\n3', [1, 2, 3]],
    ['1- +3', [1, 2, 3]],
    ['0--0', [0]],
    ['0-+0', [0]],
    ['0- -0', [0]],
    ['1--0', NULL], // 0 < 1
    ['5--1', NULL], // -1 wraps to a huge value
    ['0-+-1', NULL], // no digits after the sign: the end is 0, then '+' is a bad character
    ['0-+', NULL],
    ['1-010', [1, 2, 3, 4, 5, 6, 7, 8]], // octal end
    ['1-08', NULL],
    ['1-3\r', NULL], // \r is no terminator
    ['0\r\n', NULL],
    ['0-18446744073709551616', NULL], // saturates
    ['0x0001f', [31]],
    ['0X1F-0x22', [31, 32, 33, 34]],
  ];
  test.each(CASES.map(([s, cpus]) => [show(s), s, cpus] as const))('%s', (_n, s, cpus) => {
    expect(lpParse(s)).toEqual(cpus);
    const got = classParse(s);
    if (cpus === null) expectParseError(got, s);
    else expect(got).toEqual(cpus);
  });
});

describe('§3.1 a NUL byte ends the C string (lenient mode)', () => {
  const NUL_CASES: [string, number[]][] = [
    ['0\u00001', [0]],
    ['0-3\u0000,5', [0, 1, 2, 3]],
    ['\u0000', [-1]], // the C string is empty: the any-CPU map
    ['\u00001', [-1]],
    ['0\u0000junk', [0]],
    ['5\u0000,5', [5]], // the duplicate is never seen
  ];
  test.each(NUL_CASES.map(([s, cpus]) => [show(s), s, cpus] as const))('%s', (_n, s, cpus) => {
    expect(lpParse(s)).toEqual(cpus);
    expect(classParse(s)).toEqual(cpus);
  });
});

describe('§3.1 non-ASCII input (positions in UTF-16 units)', () => {
  const CASES: [string, number][] = [
    ['é', 0],
    ['1é', 1],
    ['0-3,5é', 5],
    ['😀', 0],
    ['0,1😀', 3],
    ['1-é', 2],
    ['1-2\u00a0', 3],
  ];
  test.each(CASES.map(([s, pos]) => [show(s), s, pos] as const))('%s fails at %i', (_n, s, pos) => {
    expect(lpParse(s)).toBeNull();
    const e = classParse(s);
    expectParseError(e, s);
    expect(e.code).toBe('ESYNTAX');
    expect(e.position).toBe(pos);
    // the offending character is shown, not its UTF-8 bytes, with the caret under it
    expect(e.message).toContain(s);
    const caret = e.message.split('\n').pop()!;
    expect(caret.indexOf('^')).toBe(2 + pos);
  });

  test('non-ASCII text after a separator is dropped like any other non-digit', () => {
    expect(lpParse('0,é')).toEqual([0]);
    expect(classParse('0,😀1')).toEqual([0]);
  });

  test('strict mode points at the dropped non-ASCII text', () => {
    const e = classParse('0,😀', true);
    expectParseError(e, '0,😀');
    expect(e.code).toBe('ETRAILING');
    expect(e.position).toBe(2);
  });
});

describe('§3.1 strict mode (port extension): its extra rejections', () => {
  // [input, code, position]: what libperf accepts (often silently dropping text)
  const REJECTED: [string, string, number][] = [
    ['', 'EEMPTY', 0],
    ['0, 1', 'ETRAILING', 2],
    ['1, 2', 'ETRAILING', 2],
    ['1,,2', 'ETRAILING', 2],
    ['0,', 'ETRAILING', 1],
    ['1-3,', 'ETRAILING', 3],
    ['0,a', 'ETRAILING', 2],
    ['0,-1', 'ETRAILING', 2],
    ['1,+2', 'ETRAILING', 2],
    ['0,\n1', 'ETRAILING', 2],
    ['0\n\n', 'ETRAILING', 2],
    ['0-3,junk', 'ETRAILING', 4],
    ['1- 3', 'ESYNTAX', 2],
    ['1-\t3', 'ESYNTAX', 2],
    ['1-+3', 'ESYNTAX', 2],
    ['0-', 'ESYNTAX', 2],
    ['0-\n', 'ESYNTAX', 2],
    ['0-,1', 'ESYNTAX', 2],
  ];
  test.each(REJECTED.map(([s, code, pos]) => [show(s), code, pos, s] as const))(
    '%s: %s at %i', (_n, code, position, s) => {
      expect(Array.isArray(classParse(s, false))).toBe(true); // libperf accepts it
      const e = classParse(s, true);
      expectParseError(e, s);
      expect(e.code).toBe(code);
      expect(e.position).toBe(position);
    });

  // NUL bytes are rejected wherever they are (src/cpumap.ts ParseOptions)
  const NUL: [string, number][] = [
    ['\u0000', 0],
    ['0\u0000', 1],
    ['0\u00001', 1],
    ['0-1\u00002', 3],
    ['0-3\u0000,5', 3],
  ];
  test.each(NUL.map(([s, pos]) => [show(s), s, pos] as const))('NUL: %s', (_n, s, pos) => {
    const e = classParse(s, true);
    expectParseError(e, s);
    expect(e.position).toBe(pos);
  });

  const STRICT_REJECTS = new Set(REJECTED.map(([s]) => s));
  test('everything else from the table parses identically in strict mode', () => {
    for (const [input, cpus] of TABLE) {
      if (STRICT_REJECTS.has(input)) continue;
      const got = classParse(input, true);
      if (cpus === null) {
        // rejected too (the code can differ: "5-" is a missing range end first)
        expectParseError(got, input);
      } else {
        expect(got, show(input)).toEqual(cpus);
      }
    }
  });

  test('a single final newline stays allowed', () => {
    expect(classParse('0\n', true)).toEqual([0]);
    expect(classParse('0-3\n', true)).toEqual([0, 1, 2, 3]);
    expect(classParse('0,1\n', true)).toEqual([0, 1]);
    expect(classParse('0\n1\n', true)).toEqual([0, 1]);
  });

  test('strict: false is lenient', () => {
    expect(classParse('0, 1', false)).toEqual([0]);
    const m = CpuMap.parse('0, 1', {});
    expect(m.toArray()).toEqual([0]);
    m.put();
  });
});
