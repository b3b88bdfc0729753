// Topology from sysfs trees: the synthetic machines in fixtures/sysfs
// (their README says what they hold), trees that are broken, and this
// machine's own /sys.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpuMap, Topology, TopologyError, configure, refcheck } from '../src/index.js';
import type { AggrLevel } from '../src/index.js';
import { failOnLeaks } from '../src/refcheck/vitest.js';

configure({ refcheck: { leaksAtExit: false } });
failOnLeaks();
afterEach(() => expect(refcheck.errors()).toEqual([]));

const fixtures = fileURLToPath(new URL('./fixtures/sysfs/', import.meta.url));
const twoSocket = Topology.fromSysfs(join(fixtures, 'two-socket'));
const legacy = Topology.fromSysfs(join(fixtures, 'legacy'));

/** label -> cpu list, in perf's order. */
function groups(t: Topology, list: string, level: AggrLevel, cacheLevel?: number): [string, string][] {
  const map = CpuMap.parse(list);
  const agg = t.aggregate(map, level, cacheLevel === undefined ? {} : { cacheLevel });
  try {
    return agg.groups.map((g) => [g.label, g.cpus.toString()]);
  } finally {
    agg.put();
    map.put();
  }
}

describe('two-socket tree: 2 sockets, 2 dies each, clusters, SMT 2 and 4, holes, offline cpus', () => {
  it('reads per-cpu ids, with -ENOENT where the files are missing', () => {
    expect(twoSocket.origin).toBe('sysfs');
    expect([twoSocket.socketId(9), twoSocket.dieId(9), twoSocket.clusterId(9), twoSocket.coreId(9)]).toEqual([0, 0, 0, 1]);
    expect([twoSocket.socketId(42), twoSocket.dieId(42), twoSocket.coreId(42)]).toEqual([1, 1, 0]);
    expect(twoSocket.clusterId(42)).toBe(-2); // no cluster_id on socket 1
    expect(twoSocket.socketId(46)).toBe(-2);  // offline: no topology directory
    expect(twoSocket.socketId(20)).toBe(-2);  // a hole: no cpu20 at all
    expect(twoSocket.cpus()).toEqual([...Array.from({ length: 16 }, (_, i) => i), ...Array.from({ length: 16 }, (_, i) => 32 + i)]);
  });

  it('online, present and possible are CpuMaps from the kernel lists', () => {
    const maps = [twoSocket.online()!, twoSocket.present()!, twoSocket.possible()!];
    expect(maps.map(String)).toEqual(['0-15,32-45', '0-15,32-47', '0-63']);
    for (const m of maps) m.put();
    expect([twoSocket.maxCpu(), twoSocket.maxPresentCpu(), twoSocket.maxNode()]).toEqual([64, 48, 4]);
  });

  it('NUMA nodes, including a node without cpus', () => {
    expect(twoSocket.node(7)).toBe(0);
    expect(twoSocket.node(33)).toBe(1);
    expect(twoSocket.node(46)).toBe(-1);
    expect(twoSocket.node(-1)).toBe(-1);
    expect(twoSocket.nodes().map((n) => [n.node, n.cpus.length])).toEqual([[0, 16], [1, 14], [2, 0]]);
    expect(twoSocket.problems()).toEqual([]);
  });

  const online = '0-15,32-45';
  it('--per-socket / --per-die', () => {
    expect(groups(twoSocket, online, 'socket')).toEqual([['S0', '0-15'], ['S1', '32-45']]);
    expect(groups(twoSocket, online, 'die')).toEqual([
      ['S0-D0', '0-3,8-11'], ['S0-D1', '4-7,12-15'],
      ['S1-D0', '32-33,36-37,40-41,44-45'], ['S1-D1', '34-35,38-39,42-43'],
    ]);
  });

  it('--per-cluster: a missing cluster_id is cluster 0', () => {
    expect(groups(twoSocket, online, 'cluster')).toEqual([
      ['S0-D0-CLS0', '0-1,8-9'], ['S0-D0-CLS1', '2-3,10-11'], ['S0-D1-CLS2', '4-5,12-13'], ['S0-D1-CLS3', '6-7,14-15'],
      ['S1-D0-CLS0', '32-33,36-37,40-41,44-45'], ['S1-D1-CLS0', '34-35,38-39,42-43'],
    ]);
  });

  it('--per-core: SMT 2 and SMT 4, core ids made unique by die', () => {
    expect(groups(twoSocket, online, 'core')).toEqual([
      ['S0-D0-C0', '0,8'], ['S0-D0-C1', '1,9'], ['S0-D0-C2', '2,10'], ['S0-D0-C3', '3,11'],
      ['S0-D1-C4', '4,12'], ['S0-D1-C5', '5,13'], ['S0-D1-C6', '6,14'], ['S0-D1-C7', '7,15'],
      ['S1-D0-C0', '32,36,40,44'], ['S1-D0-C1', '33,37,41,45'],
      ['S1-D1-C0', '34,38,42'], ['S1-D1-C1', '35,39,43'],
    ]);
  });

  it('--per-cache: L2 per cluster or core; the last level shared across clusters, and across dies on socket 1', () => {
    expect(groups(twoSocket, online, 'cache', 2)).toEqual([
      ['S0-D0-L2-ID0', '0-1,8-9'], ['S0-D0-L2-ID2', '2-3,10-11'], ['S0-D1-L2-ID4', '4-5,12-13'], ['S0-D1-L2-ID6', '6-7,14-15'],
      ['S1-D0-L2-ID32', '32,36,40,44'], ['S1-D0-L2-ID33', '33,37,41,45'],
      ['S1-D1-L2-ID34', '34,38,42'], ['S1-D1-L2-ID35', '35,39,43'],
    ]);
    expect(groups(twoSocket, online, 'cache')).toEqual([
      ['S0-D0-L3-ID0', '0-3,8-11'], ['S0-D1-L3-ID4', '4-7,12-15'],
      ['S1-D0-L3-ID32', '32-33,36-37,40-41,44-45'], ['S1-D1-L3-ID32', '34-35,38-39,42-43'],
    ]);
  });

  it('--per-node, -A (unsorted, map order), global', () => {
    expect(groups(twoSocket, online, 'node')).toEqual([['N0', '0-15'], ['N1', '32-45']]);
    expect(groups(twoSocket, '9,1,33', 'cpu')).toEqual([['CPU1', '1'], ['CPU9', '9'], ['CPU33', '33']]);
    expect(groups(twoSocket, online, 'global')).toEqual([['', '0-15,32-45']]);
  });

  it('cpus the tree does not know (offline, holes) read -ENOENT, and sort first', () => {
    expect(groups(twoSocket, '0,8,20,46-47', 'core')).toEqual([['S-2-D0-C-2', '20,46-47'], ['S0-D0-C0', '0,8']]);
    expect(groups(twoSocket, '20,46', 'node')).toEqual([['N-1', '20,46']]);
  });

  it('the any-cpu map: cpu -1 reads like a cpu without files', () => {
    const any = CpuMap.anyCpu();
    const agg = twoSocket.aggregate(any, 'socket');
    expect(agg.groups.map((g) => [g.label, [...g.cpus]])).toEqual([['S-2', [-1]]]);
    agg.put();
    any.put();
    expect(twoSocket.aggrId(-1, 'node').node).toBe(-1);
    expect(twoSocket.aggrId(-1, 'global').cpu).toBe(0);
  });
});

describe('legacy tree: no die_id or cluster_id, an unreadable core_id, no NUMA', () => {
  it('missing die and cluster read -ENOENT and aggregate as 0; a directory reads -1', () => {
    expect([legacy.dieId(0), legacy.clusterId(0), legacy.coreId(3)]).toEqual([-2, -2, -1]);
    expect(groups(legacy, '0-3', 'core')).toEqual([['S0-D0-C-1', '3'], ['S0-D0-C0', '0,2'], ['S0-D0-C1', '1']]);
    expect(groups(legacy, '0-3', 'cluster')).toEqual([['S0-D0-CLS0', '0-3']]);
  });

  it('no node directory: every cpu is in node -1; no possible list: perf defaults', () => {
    expect(groups(legacy, '0-3', 'node')).toEqual([['N-1', '0-3']]);
    expect([legacy.maxCpu(), legacy.maxPresentCpu(), legacy.maxNode()]).toEqual([4096, 4096, 8]);
    expect(legacy.possible()).toBeNull();
  });

  it('caches: the last level is L2; a level the cpus lack keeps the level with instance -1', () => {
    expect(groups(legacy, '0-3', 'cache')).toEqual([['S0-D0-L2-ID0', '0,2'], ['S0-D0-L2-ID1', '1,3']]);
    expect(groups(legacy, '0-3', 'cache', 3)).toEqual([['S0-D0-L3-ID-1', '0-3']]);
  });
});

describe('bad trees give a TopologyError', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const scratch = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'cpumap-sysfs-'));
    made.push(d);
    return d;
  };

  it('a directory that is not a sysfs tree', () => {
    const root = scratch();
    expect(() => Topology.fromSysfs(root)).toThrow(TopologyError);
    expect(() => Topology.fromSysfs(join(root, 'nowhere'))).toThrow(expect.objectContaining({
      code: 'ENOTREE', message: expect.stringContaining('not a sysfs tree'),
    }));
  });

  it('a cpu number a CpuMap cannot hold', () => {
    const root = scratch();
    mkdirSync(join(root, 'devices/system/cpu/cpu40000'), { recursive: true });
    expect(() => Topology.fromSysfs(root)).toThrow(/cpu 40000 is outside 0\.\.32766/);
  });

  it('a list file that is not a cpu list', () => {
    const root = scratch();
    mkdirSync(join(root, 'devices/system/cpu/cpu0'), { recursive: true });
    writeFileSync(join(root, 'devices/system/cpu/online'), '0-x\n');
    expect(() => Topology.fromSysfs(root)).toThrow(/online is not a cpu list/);
  });

  it('a cpu linked from two NUMA nodes is reported as a problem', () => {
    const root = scratch();
    mkdirSync(join(root, 'devices/system/cpu/cpu0'), { recursive: true });
    for (const n of ['node0', 'node1']) {
      mkdirSync(join(root, 'devices/system/node', n), { recursive: true });
      // a symlink is what perf looks for
      symlinkSync('../../cpu/cpu0', join(root, 'devices/system/node', n, 'cpu0'));
    }
    expect(Topology.fromSysfs(root).problems()).toEqual(['cpu 0 is in NUMA nodes 0 and 1']);
  });
});

describe('contradictions in a tree are listed by problems()', () => {
  it('cpus that disagree about a shared cache, and a cache list without its cpu', () => {
    const root = mkdtempSync(join(tmpdir(), 'cpumap-sysfs-'));
    try {
      const cache = (cpu: number, shared: string): void => {
        const d = join(root, `devices/system/cpu/cpu${cpu}/cache/index0`);
        mkdirSync(d, { recursive: true });
        for (const [f, v] of [['level', '2'], ['type', 'Unified'], ['size', '1M'], ['coherency_line_size', '64'],
          ['number_of_sets', '1'], ['ways_of_associativity', '1'], ['shared_cpu_list', shared]]) writeFileSync(join(d, f!), `${v}\n`);
      };
      cache(0, '0-1');
      cache(1, '1');
      cache(2, '3');
      expect(Topology.fromSysfs(root).problems()).toEqual([
        'cpu 0 shares its L2 cache with cpus 0-1, but cpu 1 says 1',
        "cpu 2's L2 cache is shared by 3, which does not include cpu 2",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("this machine's /sys", () => {
  const has = existsSync('/sys/devices/system/cpu/online');
  it.skipIf(!has)('agrees with the files, cpu by cpu', () => {
    const sys = Topology.fromSysfs('/sys');
    const online = sys.online()!;
    const onlineText = readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
    expect(online.toString()).toBe(onlineText);
    for (const cpu of online) {
      const topo = `/sys/devices/system/cpu/cpu${cpu}/topology`;
      const read = (f: string): number => (existsSync(`${topo}/${f}`) ? Number.parseInt(readFileSync(`${topo}/${f}`, 'utf8'), 10) : -2);
      expect([sys.socketId(cpu), sys.dieId(cpu), sys.coreId(cpu)]).toEqual([read('physical_package_id'), read('die_id'), read('core_id')]);
      const node = readdirSync('/sys/devices/system/node').find((n) => /^node\d+$/.test(n) && existsSync(`/sys/devices/system/node/${n}/cpu${cpu}`));
      expect(sys.node(cpu)).toBe(node === undefined ? -1 : Number(node.slice(4)));
    }
    // every cpu in exactly one core group, and core groups match thread_siblings_list
    const agg = sys.aggregate(online, 'core');
    expect(agg.groups.reduce((n, g) => n + g.cpus.nr, 0)).toBe(online.nr);
    for (const g of agg.groups) {
      const first = g.cpus.cpu(0);
      const siblings = readFileSync(`/sys/devices/system/cpu/cpu${first}/topology/thread_siblings_list`, 'utf8').trim();
      const sib = CpuMap.parse(siblings, { dialect: 'kernel' });
      const common = sib.intersect(online);
      expect(g.cpus.toString()).toBe(common.toString());
      common.put();
      sib.put();
    }
    agg.put();
    // the last-level cache groups hold the cpus of that cache's shared_cpu_list
    const llc = sys.aggregate(online, 'cache');
    for (const g of llc.groups) {
      const caches = sys.caches(g.cpus.cpu(0));
      if (typeof caches === 'number' || caches.length === 0) continue;
      const top = caches.reduce((a, b) => (b.level > a.level ? b : a));
      expect(g.label).toMatch(new RegExp(`-L${top.level}-ID\\d+$`));
      const shared = CpuMap.parse(top.cpus, { dialect: 'kernel' });
      const common = shared.intersect(online);
      expect(g.cpus.toString()).toBe(common.toString());
      common.put();
      shared.put();
    }
    llc.put();
    online.put();
  });
});
