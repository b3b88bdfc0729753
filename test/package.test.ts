// The published package, as its users get it: `npm pack`, installed into an
// empty project, then used from CommonJS and ES modules, type-checked by
// Node-only and bundler TypeScript projects (no DOM, no skipLibCheck),
// bundled by esbuild in every output format and run, and its CLI run.
//
// The tarball packs dist/ as `npm test` has just built it (building it here
// would rewrite dist/ while other test files run); run alone, the test builds
// dist/ first only when it is missing.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { skipReason } from './systemTools.js';

const root = join(import.meta.dirname, '..');
const TIMEOUT = 120_000;
const TSC = join(root, 'node_modules/typescript/bin/tsc');
const ESBUILD = join(root, 'node_modules/.bin/esbuild');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let work = '';
let consumer = '';
let tarball = '';
let installOutput = '';

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

/** Runs a file of the consumer project with node; expects a clean exit and returns stdout. */
function node(file: string, ...args: string[]): string {
  const r = run(process.execPath, [...args, file], consumer);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist/cjs/index.js'))) mustRun('npm', ['run', 'build', '--silent'], root);
  work = mkdtempSync(join(tmpdir(), 'cpumap-pkg-'));
  const packs = join(work, 'packs');
  mkdirSync(packs);
  mustRun('npm', ['pack', '--pack-destination', packs], root);
  const tgz = readdirSync(packs).filter((f) => f.endsWith('.tgz'));
  expect(tgz).toHaveLength(1);
  tarball = join(packs, tgz[0]!);

  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  // no "type": .js files are CommonJS, as in a project that never heard of ESM
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }, null, 2));
  const r = run('npm', ['install', '--no-audit', '--no-fund', tarball], consumer);
  installOutput = r.stdout + r.stderr;
  if (r.status !== 0) throw new Error(`npm install failed:\n${installOutput}`);
  copyFileSync(join(root, 'test/fixtures/perf-data/stat-cpu1.data'), join(consumer, 'stat-cpu1.data'));
  // the type checks below use the project's TypeScript and Node types, and
  // vitest for the types of cpumap-wasm/vitest
  mkdirSync(join(consumer, 'node_modules/@types'), { recursive: true });
  symlinkSync(join(root, 'node_modules/@types/node'), join(consumer, 'node_modules/@types/node'), 'dir');
  for (const dep of ['vitest', '@vitest', 'vite', 'tinyrainbow', '@standard-schema', 'expect-type', 'chai', '@types/chai', '@types/deep-eql']) {
    const from = join(root, 'node_modules', dep);
    if (existsSync(from) && !existsSync(join(consumer, 'node_modules', dep))) symlinkSync(from, join(consumer, 'node_modules', dep), 'dir');
  }
}, TIMEOUT);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// What every runtime check prints: the class API, the libperf layer, both on
// one instance (a libperf map compares equal to a CpuMap), and an error.
const USAGE_LINES = `
const m = CpuMap.parse('4,2,1');
out.push('class ' + m.toString() + ' ' + m.nr + ' ' + m.toMask());
m.put();
try { CpuMap.parse('1-2-3'); } catch (e) { out.push('error ' + (e instanceof CpuMapError) + ' ' + e.code + ' ' + e.position); }
const a = lp.perf_cpu_map__new('0-3');
const b = lp.perf_cpu_map__new('2-5');
const orig = { map: a };
out.push('merge ' + lp.perf_cpu_map__merge(orig, b) + ' ' + lp.cpu_map__snprint(orig.map) + ' ' + lp.perf_cpu_map__nr(orig.map));
const ev = lp.perf_event__synthesize_cpu_map(b);
out.push('event ' + Array.from(ev, (x) => x.toString(16).padStart(2, '0')).join(''));
const d = CpuMap.decode(ev);
out.push('decode ' + d.toString() + ' ' + d.equals(b));
d.put(); lp.perf_cpu_map__put(b); lp.perf_cpu_map__put(orig.map);
`;
const USAGE_OUTPUT = [
  'class 1-2,4 3 16',
  'error true ESYNTAX 3',
  'merge 0 0-5 6',
  'event 4a000000000010000200000002000500',
  'decode 2-5 true',
].join('\n');

const PERFDATA_LINES = `
const info = readPerfData(new Uint8Array(readFileSync('stat-cpu1.data')));
const found = info.cpuMapEvents[0];
const map = CpuMap.decode(found.payload);
out.push('perfdata ' + info.mode + ' ' + found.offset + ' ' + map.toString() + ' ' + info.problems.length);
map.put();
`;

describe('npm pack', () => {
  test('the tarball holds dist/ (ESM, CommonJS, types), LICENSE and README; no sources, tests or source maps', () => {
    const list = mustRun('tar', ['-tzf', tarball], work).split('\n').filter(Boolean);
    for (const f of ['package.json', 'LICENSE', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/libperf.js',
      'dist/libperf.d.ts', 'dist/perfdata.js', 'dist/perfdata.d.ts', 'dist/cli.js', 'dist/cjs/package.json',
      'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/libperf.js', 'dist/cjs/perfdata.js']) {
      expect(list).toContain(`package/${f}`);
    }
    expect(list.filter((f) => /^package\/(src|test|assembly|scripts)\//.test(f))).toEqual([]);
    expect(list.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(basename(tarball)).toMatch(/^cpumap-wasm-\d+\.\d+\.\d+.*\.tgz$/);
  });

  test('installing it runs no script and npm warns about none', () => {
    // (npm's other warnings, e.g. about the machine's own npm config, are not the package's)
    expect(installOutput).not.toMatch(/install.?scripts?|prepare|postinstall|preinstall|allowScripts/i);
  });
});

describe('installed into an empty project: Node', () => {
  const LOADERS: Array<[file: string, how: string, loads: string]> = [
    ['use.cjs', 'require() from CommonJS', `
const { readFileSync } = require('node:fs');
const { CpuMap, CpuMapError } = require('cpumap-wasm');
const lp = require('cpumap-wasm/libperf');
const { readPerfData } = require('cpumap-wasm/perfdata');`],
    ['use.mjs', 'import from an ES module', `
import { readFileSync } from 'node:fs';
import { CpuMap, CpuMapError } from 'cpumap-wasm';
import * as lp from 'cpumap-wasm/libperf';
import { readPerfData } from 'cpumap-wasm/perfdata';`],
  ];
  test.each(LOADERS)('%s, %s: both APIs on one instance, the perf.data reader', (file, _how, loads) => {
    writeFileSync(join(consumer, file), `${loads}\nconst out = [];\n${USAGE_LINES}\n${PERFDATA_LINES}\nconsole.log(out.join('\\n'));\n`);
    expect(node(file)).toBe(`${USAGE_OUTPUT}\nperfdata file 392 1 0\n`);
  });

  test('require and import in one process share one module (no second wasm instance)', () => {
    writeFileSync(join(consumer, 'both.cjs'), `
const viaRequire = require('cpumap-wasm');
import('cpumap-wasm').then((viaImport) => {
  console.log(viaImport.CpuMap === viaRequire.CpuMap, require('cpumap-wasm/libperf') === require('cpumap-wasm/libperf'));
});
`);
    expect(node('both.cjs')).toBe('true true\n');
  });

  test('the CommonJS files themselves (what bundlers and other tools pick for require) load and work', () => {
    writeFileSync(join(consumer, 'cjs-files.cjs'), `
const dist = require('node:path').join(__dirname, 'node_modules/cpumap-wasm/dist/cjs');
const { CpuMap, CpuMapError } = require(dist + '/index.js');
const lp = require(dist + '/libperf.js');
const out = [];
${USAGE_LINES}
console.log(out.join('\\n'));
`);
    expect(node('cjs-files.cjs')).toBe(`${USAGE_OUTPUT}\n`);
  });

  test('the "refcheck" condition turns the checker on through require too', () => {
    writeFileSync(join(consumer, 'checked.cjs'), `
const { CpuMap, refcheck } = require('cpumap-wasm');
const m = CpuMap.parse('0-1');
console.log(refcheck.report().references);
m.put();
`);
    expect(node('checked.cjs', '--conditions=refcheck')).toBe('1\n');
  });
});

describe('installed into an empty project: TypeScript without the DOM library or skipLibCheck', () => {
  const ENTRY_USES = (style: 'esm' | 'cjs'): string => `
import { CpuMap, CpuMapError, configure, type CpuMapErrorCode } from 'cpumap-wasm';
import { perf_cpu_map__new, perf_cpu_map__nr, type perf_cpu_map } from 'cpumap-wasm/libperf';
import { readPerfData, PerfDataError, type PerfDataInfo, type PerfDataProblem } from 'cpumap-wasm/perfdata';
${style === 'esm' ? "import { failOnLeaks } from 'cpumap-wasm/vitest';\nexport const f: () => void = failOnLeaks;" : ''}
const m: CpuMap = CpuMap.parse('0-3', { strict: true });
const n: number = m.nr;
const code: CpuMapErrorCode = 'ESYNTAX';
const p: perf_cpu_map | null = perf_cpu_map__new('1');
const k: number = perf_cpu_map__nr(p);
const e: CpuMapError | PerfDataError | undefined = undefined;
const info: PerfDataInfo = readPerfData(new Uint8Array(0), { strict: false });
const problems: PerfDataProblem[] = info.problems;
const mem: number | undefined = info.features.totalMem;
configure({ maxMemory: 1 << 20 });
// @ts-expect-error: parse takes a string
CpuMap.parse(5);
export { n, code, k, e, problems, mem };
`;

  function typecheck(dir: string, compilerOptions: object, files: Record<string, string>): void {
    const project = join(consumer, dir);
    mkdirSync(project, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(project, name), text);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', ...compilerOptions },
      files: Object.keys(files),
    }));
    const r = run(process.execPath, [TSC, '-p', 'tsconfig.json'], project);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }

  test('Node-only, nodenext: an .mts and a .cts consumer of every entry point', () => {
    typecheck('ts-node', { module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: ['node'] }, {
      'esm.mts': ENTRY_USES('esm'),
      'cjs.cts': ENTRY_USES('cjs'),
    });
  }, TIMEOUT);

  // CpuMap is Disposable (`using`): without @types/node that type comes from
  // the ESNext.Disposable library (TypeScript 5.2+), as the README says
  test('a bundler project (moduleResolution bundler), with and without the DOM library', () => {
    typecheck('ts-bundler', { module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'ESNext.Disposable'], types: [] }, {
      'app.ts': ENTRY_USES('esm'),
    });
    typecheck('ts-bundler-dom', { module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'ESNext.Disposable', 'DOM'], types: [] }, {
      'app.ts': ENTRY_USES('esm'),
    });
  }, TIMEOUT);
});

describe('installed into an empty project: bundled by esbuild', () => {
  const FORMATS: Array<[format: string, target: string, ext: string]> = [
    ['esm', 'es2020', 'mjs'],
    ['cjs', 'es2020', 'cjs'],
    ['iife', 'es2020', 'js'],
    ['esm', 'es2022', 'mjs'],
    ['cjs', 'esnext', 'cjs'],
  ];

  /** Bundles an entry using all three entry points with esbuild; returns the bundle's path. */
  function bundle(format: string, target: string, ext: string): string {
    const entry = join(consumer, `bundle-entry-${format}-${target}.${format === 'cjs' ? 'cjs' : 'mjs'}`);
    const imports = format === 'cjs'
      ? `const { CpuMap, CpuMapError } = require('cpumap-wasm');\nconst lp = require('cpumap-wasm/libperf');\nconst { readPerfData } = require('cpumap-wasm/perfdata');\n`
      : `import { CpuMap, CpuMapError } from 'cpumap-wasm';\nimport * as lp from 'cpumap-wasm/libperf';\nimport { readPerfData } from 'cpumap-wasm/perfdata';\n`;
    writeFileSync(entry, `${imports}
const out = [];
${USAGE_LINES}
out.push('reader ' + readPerfData(new Uint8Array([0x50, 0x45, 0x52, 0x46, 0x49, 0x4c, 0x45, 0x32, 16, 0, 0, 0, 0, 0, 0, 0])).mode);
console.log(out.join('\\n'));
`);
    const outfile = join(consumer, `bundle-${format}-${target}.${ext}`);
    mustRun(ESBUILD, [entry, '--bundle', `--format=${format}`, `--target=${target}`, '--platform=browser',
      `--outfile=${outfile}`, '--log-level=warning'], consumer);
    return outfile;
  }

  test.each(FORMATS)('--format=%s --target=%s builds and the bundle runs', (format, target, ext) => {
    expect(node(basename(bundle(format, target, ext)))).toBe(`${USAGE_OUTPUT}\nreader pipe\n`);
  }, TIMEOUT);

  const noBrowser = skipReason([CHROMIUM], 'running the IIFE bundle in Chromium');
  test.skipIf(noBrowser !== undefined)(`the IIFE bundle runs in a classic <script> on a Chromium page's main thread${noBrowser ? ` (${noBrowser})` : ''}`, async () => {
    const script = readFileSync(bundle('iife', 'es2020', 'js'), 'utf8');
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      const logged: string[] = [];
      page.on('console', (m) => logged.push(m.text()));
      page.on('pageerror', (e) => logged.push(`page error: ${e.message}`));
      await page.setContent('<!doctype html><title>iife</title>');
      await page.addScriptTag({ content: script }); // main thread: the wasm compiles synchronously here
      expect(logged.join('\n')).toBe(`${USAGE_OUTPUT}\nreader pipe`);
    } finally {
      await browser.close();
    }
  }, TIMEOUT);
});

describe('installed into an empty project: the cpumap command', () => {
  test('npx cpumap parse 0-3; a list on standard input', () => {
    const r = run('npx', ['--no', 'cpumap', 'parse', '0-3'], consumer);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('list 0-3\ncount 4\nmask f\n');
    const piped = spawnSync(join(consumer, 'node_modules/.bin/cpumap'), ['parse', '--count'], { input: '0-3,8\n', encoding: 'utf8' });
    expect(piped.stdout).toBe('5\n');
  });

  test('the bin reports bad input on stderr with exit code 1', () => {
    const r = run(join(consumer, 'node_modules/.bin/cpumap'), ['parse', '1;2'], consumer);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("cpumap: invalid cpu list at position 1: unexpected ';'\n");
  });
});
