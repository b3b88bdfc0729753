// The published package: packed with `npm pack`, installed into an empty
// project, used from plain Node (both entry points, the types, the bin).
//
// The pack runs in a temporary copy of the project (its node_modules
// symlinked), because `npm pack` runs `prepare` (= `npm run build`), which
// rewrites dist/ and src/generated/: doing that in place would race with the
// other test files, which import src/ at the same time.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..');
const TIMEOUT = 120_000;

let work = '';
let consumer = '';
let tarball = '';

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: TIMEOUT, env: { ...process.env, NO_COLOR: '1' } });
  if (r.error) throw r.error;
  return r;
}

function mustRun(cmd: string, args: string[], cwd: string): string {
  const r = run(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const SKIP_TOP = new Set(['node_modules', '.git', 'dist', 'dist-demo', 'build', 'bench', 'test', 'test-results', '.ci']);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cpumap-pkg-'));
  const copy = join(work, 'project');
  cpSync(root, copy, {
    recursive: true,
    filter: (src) => {
      const rel = src.slice(root.length + 1);
      const top = rel.split('/')[0]!;
      return rel === '' || (!SKIP_TOP.has(top) && !rel.endsWith('.tgz'));
    },
  });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');

  const packs = join(work, 'packs');
  mkdirSync(packs);
  mustRun('npm', ['pack', '--pack-destination', packs], copy);
  const tgz = readdirSync(packs).filter((f) => f.endsWith('.tgz'));
  expect(tgz).toHaveLength(1);
  tarball = join(packs, tgz[0]!);

  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  mustRun('npm', ['install', '--no-audit', '--no-fund', tarball], consumer);
}, TIMEOUT);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  test('the tarball holds the built dist/ (js, d.ts, the cli) and no sources or tests', () => {
    const list = mustRun('tar', ['-tzf', tarball], work).split('\n').filter(Boolean);
    for (const f of ['package/package.json', 'package/dist/index.js', 'package/dist/index.d.ts',
      'package/dist/libperf.js', 'package/dist/libperf.d.ts', 'package/dist/cli.js']) {
      expect(list).toContain(f);
    }
    expect(list.filter((f) => f.startsWith('package/src/') || f.startsWith('package/test/') || f.startsWith('package/assembly/'))).toEqual([]);
    expect(basename(tarball)).toMatch(/^cpumap-wasm-\d+\.\d+\.\d+.*\.tgz$/);
  });
});

describe('installed into an empty project', () => {
  test('the .d.ts types exist', () => {
    const dist = join(consumer, 'node_modules/cpumap-wasm/dist');
    expect(existsSync(join(dist, 'index.d.ts'))).toBe(true);
    expect(existsSync(join(dist, 'libperf.d.ts'))).toBe(true);
  });

  test('plain Node imports cpumap-wasm and cpumap-wasm/libperf', () => {
    writeFileSync(join(consumer, 'check.mjs'), `
import { CpuMap, CpuMapError } from 'cpumap-wasm';
import * as lp from 'cpumap-wasm/libperf';

const m = CpuMap.parse('4,2,1');
console.log('class', m.toString(), m.nr, m.toMask());
m.put();
try {
  CpuMap.parse('1-2-3');
} catch (e) {
  console.log('error', e instanceof CpuMapError, e.code, e.position);
}
const a = lp.perf_cpu_map__new('0-3');
const b = lp.perf_cpu_map__new('2-5');
const orig = { map: a };
console.log('merge', lp.perf_cpu_map__merge(orig, b), lp.cpu_map__snprint(orig.map), lp.perf_cpu_map__nr(orig.map));
console.log('null', lp.perf_cpu_map__new('1,1') === null, lp.perf_cpu_map__nr(null));
const ev = lp.perf_event__synthesize_cpu_map(b);
console.log('event', Array.from(ev, (x) => x.toString(16).padStart(2, '0')).join(''));
const d = CpuMap.decode(ev);
console.log('decode', d.toString(), d.equals(b));
d.put();
lp.perf_cpu_map__put(b);
lp.perf_cpu_map__put(orig.map);
`);
    const r = run(process.execPath, ['check.mjs'], consumer);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe([
      'class 1-2,4 3 16',
      'error true ESYNTAX 3',
      'merge 0 0-5 6',
      'null true 1',
      'event 4a000000000010000200000002000500',
      'decode 2-5 true',
      '',
    ].join('\n'));
  });

  test('TypeScript resolves the types of both entry points (NodeNext)', () => {
    writeFileSync(join(consumer, 'check.ts'), `
import { CpuMap, CpuMapError, type CpuMapErrorCode } from 'cpumap-wasm';
import { perf_cpu_map__new, perf_cpu_map__nr, type perf_cpu_map } from 'cpumap-wasm/libperf';

const m: CpuMap = CpuMap.parse('0-3', { strict: true });
const n: number = m.nr;
const code: CpuMapErrorCode = 'ESYNTAX';
const p: perf_cpu_map | null = perf_cpu_map__new('1');
const k: number = perf_cpu_map__nr(p);
const e: CpuMapError | undefined = undefined;
// @ts-expect-error: parse takes a string
CpuMap.parse(5);
export { n, code, k, e };
`);
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true,
        lib: ['ES2022', 'ESNext.Disposable', 'DOM'], types: [], skipLibCheck: false,
      },
      files: ['check.ts'],
    }));
    const r = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('npx cpumap parse 0-3', () => {
    const r = run('npx', ['--no', 'cpumap', 'parse', '0-3'], consumer);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('list 0-3\ncount 4\nmask f\n');
  });

  test('the bin reports errors on stderr with exit code 1', () => {
    const r = run(join(consumer, 'node_modules/.bin/cpumap'), ['parse', '1;2'], consumer);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('  1;2\n   ^');
  });
});
