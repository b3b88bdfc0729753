// `cpumap topology` in process (runTopologyCli), and `cpumap parse --kernel`
// through the built CLI when dist/ exists (npm test builds it first).
import { describe, it, expect, afterEach } from 'vitest';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runTopologyCli } from '../src/topology/cli.js';
import { configure, refcheck } from '../src/index.js';
import { failOnLeaks } from '../src/refcheck/vitest.js';

// every map the command makes is put, on success and on error
configure({ refcheck: { leaksAtExit: false } });
failOnLeaks();
afterEach(() => expect(refcheck.errors()).toEqual([]));

const fixture = (p: string): string => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));

function topology(...args: string[]): { out: string; err: string; code: number } {
  let out = '';
  let err = '';
  const io = {
    stdout: { write: (s: string) => { out += s; return true; } },
    stderr: { write: (s: string) => { err += s; return true; } },
    exitCode: 0 as number | string | undefined,
  };
  runTopologyCli(args, io);
  return { out, err, code: Number(io.exitCode ?? 0) };
}

describe('cpumap topology', () => {
  it('--per-core on a sysfs tree: label, count, cpus', () => {
    const r = topology('--sysfs', fixture('sysfs/two-socket'), '--per-core', '-C', '32-47');
    expect(r.out.split('\n').filter(Boolean)).toEqual([
      'S-2-D0-C-2    2  46-47',
      'S1-D0-C0      4  32,36,40,44',
      'S1-D0-C1      4  33,37,41,45',
      'S1-D1-C0      3  34,38,42',
      'S1-D1-C1      3  35,39,43',
    ]);
    expect([r.err, r.code]).toEqual(['', 0]);
  });

  it('--per-cache=L2 --json on a perf.data file uses its cpu map', () => {
    const r = topology(fixture('perf-data/topology/stat-cpu1.data'), '--per-cache=L2', '--json');
    const j = JSON.parse(r.out) as { origin: string; level: string; groups: { label: string; cpus: string; nr: number }[] };
    expect([j.origin, j.level]).toEqual(['perf.data', 'cache']);
    expect(j.groups.map((g) => [g.label, g.cpus, g.nr])).toEqual([['S0-D0-L2-ID1', '1', 1]]);
  });

  it('without a level: one line per cpu with its ids', () => {
    const r = topology('--sysfs', fixture('sysfs/legacy'));
    expect(r.out).toBe('cpu socket die cluster core node\n0 0 -2 -2 0 -1\n1 0 -2 -2 1 -1\n2 0 -2 -2 0 -1\n3 0 -2 -2 -1 -1\n');
  });

  it('errors: exit code 1, a message on stderr, nothing on stdout', () => {
    for (const args of [['--per-core', '--per-socket'], ['--per-cache=L9'], ['--bogus'], ['--sysfs', '/nonexistent-root'],
      [fixture('perf-data/stat-all-cpus-pipe.data')], ['a.data', 'b.data'], ['missing.data']]) {
      const r = topology(...args);
      expect([r.out, r.code]).toEqual(['', 1]);
      expect(r.err).toMatch(/^cpumap topology: /);
    }
  });

  it('--help', () => {
    expect(topology('--help').out).toContain('--per-cache[=LEVEL]');
  });
});

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
describe.skipIf(!existsSync(cli))('the built cpumap command', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  it('parse --kernel; the default parser points at it', () => {
    expect(run('parse', '--kernel', '0-7:1/4').stdout).toBe('list 0,4\ncount 2\nmask 11\n');
    const bad = run('parse', '0-7:1/4');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('cpumap parse --kernel');
  });
  it('topology is a command', () => {
    const r = run('topology', '--sysfs', fixture('sysfs/legacy'), '--per-socket');
    expect(r.stdout).toBe('S0    4  0-3\n');
  });
});
