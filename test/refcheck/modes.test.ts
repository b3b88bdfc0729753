// How checking is switched on, what it prints at exit, and the report's
// shape: each case in a child process, since the mode is fixed per process.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = pathToFileURL(join(root, 'dist/index.js')).href;
let dir: string;

beforeAll(() => {
  expect(existsSync(join(root, 'dist/index.js')), 'npm test builds dist/ first').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'cpumap-refcheck-'));
});

function run(name: string, code: string, opts: { env?: Record<string, string>; args?: string[]; cwd?: string } = {}) {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, code);
  const env = { ...process.env, CPUMAP_REFCHECK: '', NODE_OPTIONS: '', ...opts.env };
  const r = spawnSync(process.execPath, [...(opts.args ?? []), file], { encoding: 'utf8', env, cwd: opts.cwd ?? dir });
  return { code: r.status, out: r.stdout, err: r.stderr, file };
}

const leaky = (how: string) => `
import { CpuMap, refcheck } from ${JSON.stringify(dist)};
${how}
const m = CpuMap.parse('0-3');
for (let i = 0; i < 3; i++) m.get();
console.log('enabled', refcheck.enabled);
`;

describe('switching it on', () => {
  it('is off by default: no report, exit 0', () => {
    const r = run('off', leaky(''));
    expect(r.out).toContain('enabled false');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('CPUMAP_REFCHECK=1: leaks at exit go to stderr, LeakSanitizer-like, and the exit code is 1', () => {
    const r = run('env', leaky(''), { env: { CPUMAP_REFCHECK: '1' } });
    expect(r.out).toContain('enabled true');
    expect(r.err).toContain('cpumap-wasm refcheck: 4 leaked references to 1 map, from 2 sites');
    expect(r.err).toContain('3 references made by CpuMap.get, never put');
    expect(r.err).toContain(`${r.file}:5:`);
    expect(r.code).toBe(1);
  });

  it('configure() wins over the environment', () => {
    const r = run('cfg-off', leaky(`import { configure } from ${JSON.stringify(dist)}; configure({ refcheck: false });`),
      { env: { CPUMAP_REFCHECK: '1' } });
    expect(r.out).toContain('enabled false');
    expect(r.code).toBe(0);
  });

  it('leaksAtExit: false keeps the exit quiet', () => {
    const r = run('quiet', leaky(`import { configure } from ${JSON.stringify(dist)}; configure({ refcheck: { leaksAtExit: false } });`));
    expect(r.out).toContain('enabled true');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('the "refcheck" export condition turns it on (node --conditions=refcheck)', () => {
    // self-reference: inside the package folder, 'cpumap-wasm' resolves through package.json exports
    const code = `import { CpuMap, refcheck } from 'cpumap-wasm';
import * as lp from 'cpumap-wasm/libperf';
const m = lp.perf_cpu_map__new('1');
console.log('enabled', refcheck.enabled, lp.perf_cpu_map__get(m) !== m);`;
    writeFileSync(join(root, 'test/.condition-probe.mjs'), code);
    try {
      const on = spawnSync(process.execPath, ['--conditions=refcheck', 'test/.condition-probe.mjs'],
        { encoding: 'utf8', cwd: root, env: { ...process.env, CPUMAP_REFCHECK: '' } });
      expect(on.stdout).toContain('enabled true true');
      expect(on.stderr).toContain('2 leaked references');
      expect(on.status).toBe(1);
      const off = spawnSync(process.execPath, ['test/.condition-probe.mjs'],
        { encoding: 'utf8', cwd: root, env: { ...process.env, CPUMAP_REFCHECK: '' } });
      expect(off.stdout).toContain('enabled false false');
      expect(off.status).toBe(0);
      const envOff = spawnSync(process.execPath, ['--conditions=refcheck', 'test/.condition-probe.mjs'],
        { encoding: 'utf8', cwd: root, env: { ...process.env, CPUMAP_REFCHECK: '0' } });
      expect(envOff.stdout).toContain('enabled false false');
    } finally {
      spawnSync('rm', ['-f', join(root, 'test/.condition-probe.mjs')]);
    }
  });

  it('configure() after the first map cannot switch modes (ECONFIG)', () => {
    const r = run('late', `
import { CpuMap, configure } from ${JSON.stringify(dist)};
CpuMap.parse('1').put();
try { configure({ refcheck: true }); } catch (e) { console.log(e.code, e.message); }
configure({ refcheck: false }); console.log('same mode is fine');`);
    expect(r.out).toContain('ECONFIG configure: refcheck must be set before the first map is made (it is off already)');
    expect(r.out).toContain('same mode is fine');
  });

  it('bad options are refused with ECONFIG', () => {
    const r = run('badopt', `
import { configure } from ${JSON.stringify(dist)};
for (const o of [{ stackDepth: -1 }, { onError: 'ignore' }, { stackDepth: 'x' }]) {
  try { configure({ refcheck: o }); } catch (e) { console.log(e.code); }
}
try { configure({ maxMemory: 10 }); } catch (e) { console.log(e.code); }`);
    expect(r.out.trim().split('\n')).toEqual(['ECONFIG', 'ECONFIG', 'ECONFIG', 'ECONFIG']);
  });
});

describe('with checking off: plain handles', () => {
  it('get returns the same object; use and put after the last put are caught (EPUT)', () => {
    const r = run('fast', `
import { CpuMap } from ${JSON.stringify(dist)};
const m = CpuMap.parse('0-3');
const g = m.get();
console.log('same', g === m);
g.put(); m.put();
try { m.nr; } catch (e) { console.log(e.code); }
try { m.put(); } catch (e) { console.log(e.code); }`);
    expect(r.out.trim().split('\n')).toEqual(['same true', 'EPUT', 'EPUT']);
  });
});

describe('report shape', () => {
  it('JSON is versioned and grouped by site; stackDepth 0 keeps kinds and counts only', () => {
    const r = run('json', `
import { CpuMap, configure, refcheck } from ${JSON.stringify(dist)};
configure({ refcheck: { leaksAtExit: false } });
const m = CpuMap.parse('0-3');
const held = [];
for (let i = 0; i < 5; i++) held.push(m.get());
console.log(JSON.stringify(refcheck.report()));
configure({ refcheck: { stackDepth: 0 } });
const mark = refcheck.mark();
const x = CpuMap.parse('9');
console.log(JSON.stringify(refcheck.leaksSince(mark)));`);
    const [full, bare] = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(full.version).toBe(1);
    expect(full.references).toBe(6);
    expect(full.maps).toBe(1);
    expect(full.groups.map((g: { count: number; api: string }) => [g.count, g.api])).toEqual([[5, 'CpuMap.get'], [1, 'CpuMap.parse']]);
    const g0 = full.groups[0];
    expect(g0.kind).toBe('leak');
    expect(g0.site).toMatch(new RegExp(`${r.file.replace(/[.]/g, '\\.')}:6:\\d+$`));
    expect(g0.stack[0]).toMatchObject({ line: 6 });
    expect(g0.cells).toHaveLength(5);
    expect(new Set(g0.maps).size).toBe(1);
    expect(bare.groups).toHaveLength(1);
    expect(bare.groups[0].count).toBe(1);
    expect(bare.groups[0].stack).toEqual([]);
  });

  it('a refcount changed behind the checker\'s back is named by checkConsistency()', () => {
    const r = run('mismatch', `
import { CpuMap, configure, refcheck } from ${JSON.stringify(dist)};
import { defaultCore } from ${JSON.stringify(pathToFileURL(join(root, 'dist/instance.js')).href)};
configure({ refcheck: { leaksAtExit: false } });
const a = CpuMap.parse('0-3'), b = CpuMap.parse('4');
console.log(JSON.stringify(refcheck.checkConsistency()));
defaultCore.ex.get(a._cell.map.ptr);
console.log(JSON.stringify(refcheck.checkConsistency()));`);
    const [before, after] = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(before).toEqual([]);
    expect(after).toEqual([{ map: 1, references: 1, refcount: 2 }]);
  });
});
