// The `cpumap` command (src/cli.ts), run as a separate Node process.
//
// The CLI is compiled with the package's own build config into a temporary
// directory (not dist/), so this test neither depends on a previous
// `npm run build` nor rewrites dist/ while other test files run.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as lp from '../src/libperf.js';

const root = join(import.meta.dirname, '..');
let outDir = '';
let cliPath = '';

beforeAll(() => {
  if (!existsSync(join(root, 'src/generated/wasm-binary.ts')) || !existsSync(join(root, 'src/generated/package-version.ts'))) {
    const wasm = spawnSync(process.execPath, ['scripts/build-wasm.mjs'], { cwd: root, encoding: 'utf8' });
    if (wasm.status !== 0) throw new Error(`build-wasm failed:\n${wasm.stdout}${wasm.stderr}`);
  }
  outDir = mkdtempSync(join(tmpdir(), 'cpumap-cli-'));
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
    { cwd: root, encoding: 'utf8' });
  cliPath = join(outDir, 'cli.js');
  if (!existsSync(cliPath)) throw new Error(`tsc did not emit cli.js:\n${tsc.stdout}${tsc.stderr}`);
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n'); // dist/ is ESM, as in the package
}, 120_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

interface Result { stdout: string; stderr: string; status: number | null }
function cpumapWithStdin(stdin: string, ...args: string[]): Result {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', input: stdin, env: { ...process.env, NO_COLOR: '1' } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}
const cpumap = (...args: string[]): Result => cpumapWithStdin('', ...args);

/** A successful run: exit 0, nothing on stderr. */
function succeeded(r: Result): string {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}
const ok = (...args: string[]): string => succeeded(cpumap(...args));
const okWithStdin = (stdin: string, ...args: string[]): string => succeeded(cpumapWithStdin(stdin, ...args));

/** A failed run with the given exit status: nothing on stdout, one line on stderr; returns it. */
function failed(r: Result, status: number): string {
  expect(r.stdout).toBe('');
  expect(r.status).toBe(status);
  expect(r.stderr).toMatch(/^cpumap: [^\n]+\n$/);
  return r.stderr;
}
/** Bad input: exit 1. */
const fails = (...args: string[]): string => failed(cpumap(...args), 1);
/** A command line cpumap does not understand: exit 2. */
const misused = (...args: string[]): string => failed(cpumap(...args), 2);

describe('cpumap parse', () => {
  const CASES: [string, string][] = [
    ['0-3,8', 'list 0-3,8\ncount 5\nmask 10f\n'],
    ['4,2,1', 'list 1-2,4\ncount 3\nmask 16\n'],
    ['0,1,32', 'list 0-1,32\ncount 3\nmask 1,00000003\n'],
    ['0x10', 'list 16\ncount 1\nmask 10000\n'],
    ['0-3\n', 'list 0-3\ncount 4\nmask f\n'],
    ['0, 1', 'list 0\ncount 1\nmask 1\n'], // libperf drops " 1"
    ['1-256', `list 1-256\ncount 256\nmask 1${',ffffffff'.repeat(7)},fffffffe\n`],
  ];
  test.each(CASES)('parse %j', (list, out) => {
    expect(ok('parse', list)).toBe(out);
  });

  test('the any-cpu map: the mask line says why there is none', () => {
    const out = ok('parse', '');
    expect(out).toMatch(/^list -1\ncount 1\nmask none .*-1.*\n$/);
  });

  test('an invalid list: one line on stderr naming the position, exit 1', () => {
    expect(fails('parse', '1-2-3')).toBe("cpumap: invalid cpu list at position 3: unexpected '-'\n");
    expect(fails('parse', '1,1')).toMatch(/position 2: cpu 1 is listed twice/);
    expect(fails('parse', '32767')).toContain('32767');
  });

  test('--strict rejects what libperf drops', () => {
    const err = fails('parse', '--strict', '0, 1');
    expect(err).toMatch(/position 2/);
    expect(ok('parse', '0-3', '--strict')).toBe('list 0-3\ncount 4\nmask f\n');
    fails('parse', '--strict', '');
  });

  test('a list starting with "-" needs --', () => {
    expect(misused('parse', '-1')).toMatch(/unknown option -1/);
    expect(fails('parse', '--', '-1')).toMatch(/position 0/);
  });
});

describe('cpumap merge / intersect', () => {
  const CASES: [string, string, string, string][] = [
    ['merge', '0-3', '2-5', 'list 0-5\ncount 6\n'],
    ['merge', '4,2,1', '4,5,7', 'list 1-2,4-5,7\ncount 5\n'],
    ['merge', '1-8,12-20', '6-9,15', 'list 1-9,12-20\ncount 18\n'],
    ['merge', '0-3', '', 'list -1-3\ncount 5\n'],
    ['intersect', '1-8,12-20', '6-9,15', 'list 6-8,15\ncount 4\n'],
    ['intersect', '4,2,1', '1', 'list 1\ncount 1\n'],
    ['intersect', '0-3', '5-7', 'list (empty)\ncount 0\n'],
  ];
  test.each(CASES)('%s %j %j', (cmd, a, b, out) => {
    expect(ok(cmd, a, b)).toBe(out);
  });

  test('an invalid second list fails the whole command', () => {
    expect(fails('merge', '0-3', '1;2')).toMatch(/position 1: unexpected ';'/);
  });

  test('any number of lists: one is itself, three and more combine left to right', () => {
    expect(ok('merge', '3,1')).toBe('list 1,3\ncount 2\n');
    expect(ok('merge', '0-1', '4', '8-9', '2')).toBe('list 0-2,4,8-9\ncount 6\n');
    expect(ok('intersect', '0-9', '2-7', '4-20', '5,6,30')).toBe('list 5-6\ncount 2\n');
  });
});

describe('cpumap online', () => {
  test('the same map as perf_cpu_map__new_online_cpus', () => {
    const m = lp.perf_cpu_map__new_online_cpus()!;
    const expected = `list ${lp.cpu_map__snprint(m)}\ncount ${lp.perf_cpu_map__nr(m)}\nmask ${lp.cpu_map__snprint_mask(m)}\n`;
    lp.perf_cpu_map__put(m);
    expect(ok('online')).toBe(expected);
  });

  test('takes no arguments', () => {
    expect(misused('online', '0')).toMatch(/online takes no arguments, got 1/);
  });
});

describe('cpumap encode / decode', () => {
  const EVENTS: [string, string, string][] = [
    ['0,2-20', 'MASK', '4a00000000001800010001000400fdff1f00000000000000'],
    ['1,256', 'CPUS', '4a000000000010000000020001000001'],
    ['1-256', 'RANGE_CPUS', '4a000000000010000200000001000001'],
    ['', 'CPUS', '4a0000000000100000000100ffff0000'],
    ['0,1,32', 'MASK', '4a0000000000180001000200040003000000010000000000'],
  ];
  test.each(EVENTS)('encode %j: %s', (list, encoding, event) => {
    expect(ok('encode', list)).toBe(`encoding ${encoding}\nevent ${event}\n`);
  });

  test.each(EVENTS)('decode the event of %j (%s)', (list, encoding, event) => {
    const m = lp.perf_cpu_map__new(list)!;
    const expected = `encoding ${encoding}\nlist ${lp.cpu_map__snprint(m)}\ncount ${lp.perf_cpu_map__nr(m)}\n`;
    lp.perf_cpu_map__put(m);
    expect(ok('decode', event)).toBe(`event CPU_MAP\n${expected}`);
    // the payload alone, too
    expect(ok('decode', event.slice(16))).toBe(`event none (a bare payload)\n${expected}`);
  });

  test('real perf.data bytes (perf stat record -a, 2 cpus)', () => {
    expect(ok('decode', '4a000000000010000200000000000100')).toBe('event CPU_MAP\nencoding RANGE_CPUS\nlist 0-1\ncount 2\n');
    expect(ok('decode', '4a00 0000 0000 1000 0000 0100 ffff 0000')).toBe('event CPU_MAP\nencoding CPUS\nlist -1\ncount 1\n');
  });

  test('decoded maps keep perf\'s order', () => {
    expect(ok('decode', '0000030003000100010000')).toBe('event none (a bare payload)\nencoding CPUS\nlist 3,1,1\ncount 3\n');
  });

  test('strict by default; --lenient reads like perf', () => {
    expect(fails('decode', '0200020004000500')).toMatch(/any_cpu/);
    expect(ok('decode', '--lenient', '0200020004000500')).toBe('event none (a bare payload)\nencoding RANGE_CPUS\nlist -1,4-5,-1\ncount 4\n');
    expect(fails('decode', '010001000200000000000500000000000000')).toMatch(/long_size/);
  });

  test('a payload without cpus is the empty map', () => {
    expect(ok('decode', '00000000')).toBe('event none (a bare payload)\nencoding CPUS\nlist (empty)\ncount 0\n');
  });

  test('bad payloads and bad hex fail', () => {
    expect(fails('decode', '0000030001000200')).toMatch(/nr/); // truncated
    expect(fails('decode', '0300')).toMatch(/type/);
    expect(fails('decode', 'xyz')).toMatch(/hex/);
    expect(fails('decode', '123')).toMatch(/odd/);
    expect(fails('decode', '')).toMatch(/hex/);
  });
});


describe('cpumap decode: which event it was given', () => {
  // PERF_RECORD_EVENT_UPDATE (78), size 40: u64 kind 3 (CPUS), u64 id 5, then a RANGE_CPUS payload 0-1
  const UPDATE = '4e00000000002800' + '0300000000000000' + '0500000000000000' + '0200000000000100' + '0000000000000000';

  test('an EVENT_UPDATE carrying cpus is named, with its id', () => {
    expect(ok('decode', UPDATE)).toBe('event EVENT_UPDATE (CPUS, id 5)\nencoding RANGE_CPUS\nlist 0-1\ncount 2\n');
    expect(JSON.parse(ok('decode', '--json', UPDATE))).toEqual({
      event: 'EVENT_UPDATE', eventId: '5', encoding: 'RANGE_CPUS', list: '0-1', count: 2, cpus: [0, 1],
    });
  });

  test('an EVENT_UPDATE of another kind carries no map', () => {
    const scale = '4e00000000002000' + '0100000000000000' + '0500000000000000' + '0000000000000000';
    expect(fails('decode', scale)).toBe('cpumap: EVENT_UPDATE event of kind SCALE carries no cpu map (only kind CPUS, 3, does)\n');
  });

  test('a truncated event is named as such', () => {
    expect(fails('decode', '4a000000000018000200000000000100')).toBe(
      'cpumap: truncated CPU_MAP event: header.size says 24 bytes, only 16 given\n');
    expect(fails('decode', UPDATE.slice(0, 64))).toBe(
      'cpumap: truncated EVENT_UPDATE event: header.size says 40 bytes, only 32 given\n');
    expect(fails('decode', '4e0000000000280003000000')).toMatch(/^cpumap: truncated EVENT_UPDATE event: 12 bytes/);
  });
});

describe('cpumap from-mask / to-mask: taskset-style hex masks', () => {
  const MASKS: [mask: string, list: string][] = [
    ['1', '0'],
    ['ff', '0-7'],
    ['0x10', '4'],
    ['ff,00000001', '0,32-39'],
    ['1,00000000,00000000', '64'],
    ['0x1ff', '0-8'],
    ['100000000', '32'], // no commas: one number of any length
  ];
  test.each(MASKS)('%s is cpus %s', (mask, list) => {
    expect(ok('from-mask', mask, '--list')).toBe(`${list}\n`);
  });

  test.each(MASKS.filter(([m]) => /^[1-9a-f]/.test(m) && (m.includes(',') || m.length <= 8)))('to-mask %s: back to the mask', (mask, list) => {
    expect(ok('to-mask', list)).toBe(`${mask}\n`);
  });

  test('from-mask prints the map like parse; --json too', () => {
    expect(ok('from-mask', 'ff,00000001')).toBe('list 0,32-39\ncount 9\nmask ff,00000001\n');
    expect(JSON.parse(ok('from-mask', '--json', '5'))).toEqual({ list: '0,2', count: 2, cpus: [0, 2], mask: '5' });
    expect(JSON.parse(ok('to-mask', '--json', '4,2,1'))).toEqual({ mask: '16', list: '1-2,4' });
  });

  test('bad masks, and a list with -1, fail with exit 1', () => {
    expect(fails('from-mask', 'fg')).toMatch(/not a hex cpu mask/);
    expect(fails('from-mask', '123456789,0')).toMatch(/at most 8 hex digits/);
    expect(fails('from-mask', '')).toMatch(/not a hex cpu mask/);
    expect(fails('to-mask', '')).toMatch(/any cpu/);
  });
});

describe('cpumap with standard input', () => {
  test('no argument or "-" reads the list from stdin (one trailing newline dropped)', () => {
    expect(okWithStdin('0-3\n', 'parse')).toBe('list 0-3\ncount 4\nmask f\n');
    expect(okWithStdin('4,2,1', 'parse', '-', '--list')).toBe('1-2,4\n');
    expect(okWithStdin('ff,00000001\n', 'from-mask', '--count')).toBe('9\n');
    expect(okWithStdin('4a000000000010000200000000000100\n', 'decode', '--list')).toBe('0-1\n');
    expect(okWithStdin('0-3\n', 'encode')).toBe('encoding RANGE_CPUS\nevent 4a000000000010000200000000000300\n');
  });

  test('merge and intersect read one list per line; "-" mixes them with arguments', () => {
    expect(okWithStdin('0-3\n8\n\n10-11\n', 'merge', '--list')).toBe('0-3,8,10-11\n');
    expect(okWithStdin('0-9\n2-7\n', 'intersect', '-', '5-20', '--count')).toBe('3\n');
    expect(failed(cpumapWithStdin('\n', 'merge'), 1)).toMatch(/no lists on standard input/);
  });
});

describe('cpumap --json, --list, --count', () => {
  test('--json on every command: one JSON object', () => {
    expect(JSON.parse(ok('parse', '--json', '0-3,8'))).toEqual({ list: '0-3,8', count: 5, cpus: [0, 1, 2, 3, 8], mask: '10f' });
    expect(JSON.parse(ok('parse', '--json', ''))).toEqual({ list: '-1', count: 1, cpus: [-1], mask: null });
    expect(JSON.parse(ok('merge', '--json', '0-3', '2-5'))).toEqual({ list: '0-5', count: 6, cpus: [0, 1, 2, 3, 4, 5] });
    expect(JSON.parse(ok('intersect', '--json', '0-3', '5'))).toEqual({ list: '', count: 0, cpus: [] });
    expect(JSON.parse(ok('encode', '--json', '0,1,32'))).toEqual({
      encoding: 'MASK', event: '4a0000000000180001000200040003000000010000000000', payload: '01000200040003000000010000000000',
    });
    expect(JSON.parse(ok('decode', '--json', '0000030003000100010000'))).toEqual({
      event: null, encoding: 'CPUS', list: '3,1,1', count: 3, cpus: [3, 1, 1],
    });
    const online = JSON.parse(ok('online', '--json'));
    expect(online.count).toBe(online.cpus.length);
  });

  test('--list prints just the canonical list, --count just the number', () => {
    expect(ok('parse', '4,2,1,3', '--list')).toBe('1-4\n');
    expect(ok('parse', '4,2,1,3', '--count')).toBe('4\n');
    expect(ok('intersect', '0-3', '5', '--list')).toBe('\n');
  });

  test('options a command does not take, and options that exclude each other, are usage errors', () => {
    expect(misused('encode', '--count', '0')).toMatch(/--count is not an option of encode/);
    expect(misused('parse', '--json', '--list', '0')).toMatch(/--json and --list exclude each other/);
    expect(misused('online', '--lenient')).toMatch(/--lenient/);
  });
});

describe('cpumap usage', () => {
  test('--help, -h and help print the usage on stdout', () => {
    const help = ok('--help');
    expect(help).toMatch(/^usage: cpumap/);
    for (const cmd of ['parse', 'merge', 'intersect', 'online', 'encode', 'decode', 'to-mask', 'from-mask', '--json', '--strict', '--version']) {
      expect(help).toContain(cmd);
    }
    expect(ok('-h')).toBe(help);
    expect(ok('help')).toBe(help);
  });

  test('help COMMAND and COMMAND --help describe one command', () => {
    const decode = ok('help', 'decode');
    expect(decode).toMatch(/^usage: cpumap decode \[HEX\]/);
    expect(decode).toContain('--lenient');
    expect(ok('decode', '--help')).toBe(decode);
    expect(misused('help', 'frob')).toMatch(/no command "frob"/);
  });

  test('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(ok('--version')).toBe(`${version}\n`);
  });

  test('no command, unknown command, unknown option, wrong argument count: exit 2, one line', () => {
    expect(misused()).toMatch(/no command/);
    expect(misused('frobnicate')).toMatch(/unknown command "frobnicate"/);
    expect(misused('parse', '--frob', '0')).toMatch(/unknown option --frob/);
    expect(misused('parse', '0', '1')).toMatch(/parse takes at most 1 argument, got 2/);
  });

  test('the built file starts with the node shebang and is an ES module', () => {
    const text = readFileSync(cliPath, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(text).toMatch(/from '\.\/cli\/main\.js'/);
  });
});

describe('cpumap with kernel lists, and cpumap topology', () => {
  test('--kernel reads the kernel syntax in every command that reads lists', () => {
    expect(ok('parse', '--kernel', '0-31:2/4', '--list')).toBe('0-1,4-5,8-9,12-13,16-17,20-21,24-25,28-29\n');
    expect(ok('merge', '--kernel', '0-7:1/4', '9', '--list')).toBe('0,4,9\n');
    expect(ok('to-mask', '--kernel', '0-7:1/4')).toBe('11\n');
    expect(misused('decode', '--kernel', '00000000')).toMatch(/--kernel is not an option of decode/);
  });

  test('a kernel list given to the default parser: the one stderr line keeps the hint', () => {
    expect(fails('parse', '0-7:1/4')).toBe(
      "cpumap: invalid cpu list at position 3: unexpected ':' (libperf's cpu list syntax does not accept this kernel cpu list: " +
      "use CpuMap.parse(text, { dialect: 'kernel' }), or cpumap parse --kernel)\n");
  });

  test('topology gets its arguments untouched; help names it', () => {
    const sysfs = join(root, 'test/fixtures/sysfs/legacy');
    expect(ok('topology', '--sysfs', sysfs, '--per-socket')).toBe('S0    4  0-3\n');
    expect(ok('help', 'topology')).toMatch(/^usage: cpumap topology /);
    expect(ok('--help')).toMatch(/\n {2}topology \[\.\.\.\] +cpus grouped by socket/);
    expect(misused('--json', 'topology')).toMatch(/put options after topology/);
  });
});
