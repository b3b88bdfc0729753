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
  if (!existsSync(join(root, 'src/generated/wasm-binary.ts'))) {
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
function cpumap(...args: string[]): Result {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** A successful run: exit 0, nothing on stderr. */
function ok(...args: string[]): string {
  const r = cpumap(...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** A failed run: exit 1, nothing on stdout; returns stderr. */
function fails(...args: string[]): string {
  const r = cpumap(...args);
  expect(r.stdout).toBe('');
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/^cpumap: /);
  return r.stderr;
}

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

  test('an invalid list: the error with its caret on stderr, exit 1', () => {
    const err = fails('parse', '1-2-3');
    expect(err).toContain('position 3');
    expect(err).toContain('  1-2-3\n     ^\n');
    expect(fails('parse', '1,1')).toContain('1,1');
    expect(fails('parse', '32767')).toContain('32767');
  });

  test('--strict rejects what libperf drops', () => {
    const err = fails('parse', '--strict', '0, 1');
    expect(err).toContain('  0, 1\n    ^\n');
    expect(ok('parse', '0-3', '--strict')).toBe('list 0-3\ncount 4\nmask f\n');
    fails('parse', '--strict', '');
  });

  test('a list starting with "-" needs --', () => {
    expect(fails('parse', '-1')).toMatch(/unknown option -1/);
    expect(fails('parse', '--', '-1')).toContain('  -1\n  ^\n');
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
    expect(fails('merge', '0-3', '1;2')).toContain('  1;2\n   ^\n');
  });

  test('wrong number of lists', () => {
    expect(fails('merge', '0-3')).toMatch(/merge takes two LISTs, got 1 argument/);
    expect(fails('intersect', '1', '2', '3')).toMatch(/got 3 arguments/);
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
    fails('online', '0');
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
    expect(ok('decode', event)).toBe(expected);
    // the payload alone, too
    expect(ok('decode', event.slice(16))).toBe(expected);
  });

  test('real perf.data bytes (perf stat record -a, 2 cpus)', () => {
    expect(ok('decode', '4a000000000010000200000000000100')).toBe('encoding RANGE_CPUS\nlist 0-1\ncount 2\n');
    expect(ok('decode', '4a00 0000 0000 1000 0000 0100 ffff 0000')).toBe('encoding CPUS\nlist -1\ncount 1\n');
  });

  test('decoded maps keep perf\'s order', () => {
    expect(ok('decode', '0000030003000100010000')).toBe('encoding CPUS\nlist 3,1,1\ncount 3\n');
  });

  test('strict by default; --lenient reads like perf', () => {
    expect(fails('decode', '0200020004000500')).toMatch(/any_cpu/);
    expect(ok('decode', '--lenient', '0200020004000500')).toBe('encoding RANGE_CPUS\nlist -1,4-5,-1\ncount 4\n');
    expect(fails('decode', '010001000200000000000500000000000000')).toMatch(/long_size/);
  });

  test('a payload without cpus is the empty map', () => {
    expect(ok('decode', '00000000')).toBe('encoding CPUS\nlist (empty)\ncount 0\n');
  });

  test('bad payloads and bad hex fail', () => {
    expect(fails('decode', '0000030001000200')).toMatch(/nr/); // truncated
    expect(fails('decode', '0300')).toMatch(/type/);
    expect(fails('decode', 'xyz')).toMatch(/hex/);
    expect(fails('decode', '123')).toMatch(/odd/);
    expect(fails('decode', '')).toMatch(/hex/);
  });
});

describe('cpumap usage', () => {
  test('--help and -h print the usage on stdout', () => {
    const help = ok('--help');
    expect(help).toMatch(/^usage: cpumap/);
    for (const cmd of ['parse', 'merge', 'intersect', 'online', 'encode', 'decode', '--strict']) expect(help).toContain(cmd);
    expect(ok('-h')).toBe(help);
    expect(ok('parse', '--help')).toBe(help);
  });

  test('no command, unknown command, unknown option: exit 1, stdout empty', () => {
    expect(fails()).toMatch(/no command/);
    expect(fails('frobnicate')).toMatch(/unknown command/);
    expect(fails('parse', '--frob', '0')).toMatch(/unknown option --frob/);
    expect(fails('online', '--lenient')).toMatch(/--lenient/);
  });

  test('the built file starts with the node shebang and is an ES module', () => {
    const text = readFileSync(cliPath, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(text).toMatch(/from '\.\/index\.js'/);
  });
});
