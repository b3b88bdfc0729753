// Topology from perf.data headers, checked against what perf stat report
// printed for the same files (fixtures/perf-data/topology/*.txt), and live
// against the installed perf when there is one.
import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpuMap, Topology, TopologyError, configure, refcheck } from '../src/index.js';
import type { AggrLevel } from '../src/index.js';
import { readPerfData, type PerfDataInfo } from '../src/perfdata.js';
import { failOnLeaks } from '../src/refcheck/vitest.js';

configure({ refcheck: { leaksAtExit: false } });
failOnLeaks();
afterEach(() => expect(refcheck.errors()).toEqual([]));

const dir = fileURLToPath(new URL('./fixtures/perf-data/', import.meta.url));
const load = (name: string): PerfDataInfo => readPerfData(new Uint8Array(readFileSync(join(dir, name))));

/** The label and cpu-count columns perf stat report prints (-A: label only, count 1). */
function reportRows(text: string): [string, number][] {
  const rows: [string, number][] = [];
  for (const line of text.split('\n')) {
    const m = /^(S\S*|N\d+|CPU\d+)\s+(\d+)?\s+[\d.,]+ msec/.exec(line);
    if (m !== null) rows.push([m[1]!, m[2] === undefined ? 1 : Number(m[2])]);
  }
  return rows;
}

/** Our rows for a file: its topology, its cpu map (the CPU_MAP event), the level. */
function ourRows(info: PerfDataInfo, level: AggrLevel): [string, number][] {
  const topo = Topology.fromPerfData(info);
  const map = CpuMap.decode(info.cpuMapEvents[0]!.payload);
  const agg = topo.aggregate(map, level);
  try {
    return agg.groups.map((g) => [g.label, g.cpus.nr]);
  } finally {
    agg.put();
    map.put();
  }
}

const MODES: [string, AggrLevel][] = [['per-socket', 'socket'], ['per-die', 'die'], ['per-core', 'core'], ['per-node', 'node'], ['no-aggr', 'cpu']];

describe('files recorded here, against perf stat report (perf 6.1.192)', () => {
  for (const file of ['stat-all', 'stat-cpu1', 'stat-all-no-die']) {
    for (const [mode, level] of MODES.filter(([m]) => file !== 'stat-all-no-die' || m !== 'no-aggr')) {
      it(`${file}.data --${mode}`, () => {
        const expected = reportRows(readFileSync(join(dir, 'topology', `${file}.${mode}.txt`), 'utf8'));
        expect(expected.length).toBeGreaterThan(0);
        expect(ourRows(load(`topology/${file}.data`), level)).toEqual(expected);
      });
    }
  }
});

describe('what the header holds', () => {
  it('per-cpu ids, caches, nodes; no clusters and no cpu lists in perf.data', () => {
    const t = Topology.fromPerfData(load('topology/stat-all.data'));
    expect(t.origin).toBe('perf.data');
    expect(t.cpus()).toEqual([0, 1]);
    expect([0, 1].map((c) => [t.socketId(c), t.dieId(c), t.clusterId(c), t.coreId(c), t.node(c)])).toEqual([[0, 0, 0, 0, 0], [0, 0, 0, 1, 0]]);
    expect(t.socketId(2)).toBe(-1);
    const l3 = t.caches(1);
    expect(typeof l3 === 'number' ? l3 : l3.map((c) => `L${c.level} ${c.type} ${c.cpus}`)).toEqual([
      'L1 Data 1', 'L1 Instruction 1', 'L2 Unified 1', 'L3 Unified 0-1',
    ]);
    expect([t.maxCpu(), t.maxPresentCpu(), t.maxNode()]).toEqual([2, 2, 1]);
    expect(t.online()).toBeNull();
    expect(t.possible()).toBeNull();
  });

  it('perf stat report --per-cache: the last level that lists the cpu, searched from the last', () => {
    const info = load('topology/stat-all.data');
    const t = Topology.fromPerfData(info);
    const map = CpuMap.parse('0-1');
    const rows = (cacheLevel?: number): string[] => {
      const agg = t.aggregate(map, 'cache', cacheLevel === undefined ? {} : { cacheLevel });
      const out = agg.groups.map((g) => `${g.label} ${g.cpus}`);
      agg.put();
      return out;
    };
    expect(rows()).toEqual(['S0-D0-L3-ID0 0-1']);
    expect(rows(2)).toEqual(['S0-D0-L2-ID0 0', 'S0-D0-L2-ID1 1']);
    expect(rows(4)).toEqual(['S0-D0-L4-ID-1 0-1']);
    map.put();
  });

  it('every real fixture with a topology reads, and agrees with its own sibling lists', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.data'));
    let checked = 0;
    for (const f of files) {
      const info = load(f);
      if (info.features.cpuTopology?.cpus === undefined) continue;
      const t = Topology.fromPerfData(info);
      const all = CpuMap.fromCpus(t.cpus());
      const agg = t.aggregate(all, 'core');
      // perf's "sibling threads" are the cpus of each core
      expect(agg.groups.map((g) => g.cpus.toString()).sort()).toEqual([...info.features.cpuTopology!.threadSiblings].sort());
      agg.put();
      all.put();
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('the any-cpu map of a task-bound file: the empty id (perf stat report warns and does not aggregate task data)', () => {
    const t = Topology.fromPerfData(load('stat-task.data'));
    const any = CpuMap.decode(load('stat-task.data').cpuMapEvents[0]!.payload);
    const agg = t.aggregate(any, 'core');
    expect(agg.groups.map((g) => [g.label, [...g.cpus], g.id.socket])).toEqual([['S-1-D-1-C-1', [-1], -1]]);
    agg.put();
    any.put();
  });
});

describe('older and odd headers', () => {
  it('a real file without the die section: the decoder sees none, and every die is 0', () => {
    const info = load('topology/stat-all-no-die.data');
    expect(info.features.cpuTopology!.dieSiblings).toBeUndefined();
    expect(info.features.cpuTopology!.cpus!.map((c) => c.dieId)).toEqual([undefined, undefined]);
    const t = Topology.fromPerfData(info);
    expect([t.dieId(0), t.dieId(1)]).toEqual([0, 0]);
  });

  it('a decoded header without die ids (perf before 5.2): die 0 for every cpu', () => {
    const info = load('topology/stat-all.data');
    const topo = info.features.cpuTopology!;
    delete topo.dieSiblings;
    for (const c of topo.cpus!) delete c.dieId;
    const t = Topology.fromPerfData(info);
    expect(t.dieId(1)).toBe(0);
    expect(ourRows(info, 'core')).toEqual([['S0-D0-C0', 1], ['S0-D0-C1', 1]]);
  });

  it('NUMA nodes: perf.data lookups give the index of the node in the header, not its number', () => {
    const info = load('topology/stat-all.data');
    info.features.numaTopology = [
      { node: 3, memTotal: 0, memFree: 0, cpus: '1' },
      { node: 5, memTotal: 0, memFree: 0, cpus: '' },   // a node without cpus ("" reads as [-1])
      { node: 7, memTotal: 0, memFree: 0, cpus: '0' },
    ];
    const t = Topology.fromPerfData(info);
    expect([t.node(0), t.node(1), t.node(2)]).toEqual([2, 0, -1]);
    expect(ourRows(info, 'node')).toEqual([['N0', 1], ['N2', 1]]);
    expect(t.nodes().map((n) => [n.node, n.cpus])).toEqual([[3, [1]], [5, []], [7, [0]]]);
  });

  it('no CPU_TOPOLOGY (pipe files from perf stat record -o -): ENOFEATURE', () => {
    expect(() => Topology.fromPerfData(load('stat-all-cpus-pipe.data'))).toThrow(expect.objectContaining({ code: 'ENOFEATURE' }));
  });

  it('no per-cpu ids: ENOFEATURE; a socket id perf rejects: EINCONSISTENT', () => {
    const old = load('topology/stat-all.data');
    delete old.features.cpuTopology!.cpus;
    expect(() => Topology.fromPerfData(old)).toThrow(TopologyError);
    const bad = load('topology/stat-all.data');
    bad.features.cpuTopology!.cpus![1]!.socketId = 9;
    expect(() => Topology.fromPerfData(bad)).toThrow(/cpu 1 has socket id 9, above the 2 cpus/);
  });
});

function hasPerf(): boolean {
  try {
    execFileSync('perf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('live: perf here, recording now', () => {
  it.skipIf(!hasPerf())('perf stat report --per-core and --per-socket agree with Topology.aggregate', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'cpumap-perf-'));
    try {
      const file = join(tmp, 'stat.data');
      execFileSync('perf', ['stat', 'record', '-o', file, '-a', '-e', 'task-clock', '--', 'sleep', '0.02'], { stdio: 'ignore' });
      const info = readPerfData(new Uint8Array(readFileSync(file)));
      for (const [mode, level] of [['--per-core', 'core'], ['--per-socket', 'socket'], ['--per-node', 'node']] as const) {
        // perf stat report prints its counts on stderr
        const run = spawnSync('perf', ['stat', 'report', '-i', file, mode], { encoding: 'utf8' });
        const expected = reportRows(`${run.stdout}${run.stderr}`);
        expect(expected.length).toBeGreaterThan(0);
        expect(ourRows(info, level)).toEqual(expected);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
