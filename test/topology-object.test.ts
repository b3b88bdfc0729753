// Topologies from plain objects, the libperf-named layer, and the reference
// rules of what aggregation hands out (checker on in this file).
import { describe, it, expect, afterEach } from 'vitest';
import { CpuMap, Topology, TopologyError, RefCheckError, configure, refcheck } from '../src/index.js';
import type { TopologyObject } from '../src/index.js';
import * as lp from '../src/libperf.js';
import { failOnLeaks } from '../src/refcheck/vitest.js';

configure({ refcheck: { leaksAtExit: false } });
failOnLeaks();
afterEach(() => expect(refcheck.errors()).toEqual([]));

// 2 sockets x 1 die x 2 cores x SMT 2, socket 1 numbered from 8; cpu 10 has
// no die and no core (fields left out read like missing files)
const machine: TopologyObject = {
  cpus: [
    { cpu: 0, socket: 0, die: 0, cluster: 0, core: 0, node: 0, caches: [{ level: 2, cpus: '0,2' }, { level: 3, cpus: '0-3' }] },
    { cpu: 1, socket: 0, die: 0, cluster: 0, core: 1, node: 0, caches: [{ level: 2, cpus: '1,3' }, { level: 3, cpus: '0-3' }] },
    { cpu: 2, socket: 0, die: 0, cluster: 0, core: 0, node: 0, caches: [{ level: 2, cpus: '0,2' }, { level: 3, cpus: '0-3' }] },
    { cpu: 3, socket: 0, die: 0, cluster: 0, core: 1, node: 0, caches: [{ level: 2, cpus: '1,3' }, { level: 3, cpus: '0-3' }] },
    { cpu: 8, socket: 1, die: 0, cluster: 0, core: 0, node: 1 },
    { cpu: 9, socket: 1, die: 0, cluster: 0, core: 0, node: 1 },
    { cpu: 10, socket: 1, node: 1 },
  ],
  online: '0-3,8-10', present: '0-3,8-11', possible: '0-15', nodes: [0, 1, 2], possibleNodes: '0-2',
};
const t = Topology.fromObject(machine);

describe('Topology.fromObject', () => {
  it('answers like sysfs: left-out fields are missing files', () => {
    expect(t.origin).toBe('object');
    expect([t.socketId(10), t.dieId(10), t.coreId(10), t.clusterId(10)]).toEqual([1, -2, -2, -2]);
    expect(t.aggrId(10, 'core')).toMatchObject({ socket: 1, die: 0, cluster: 0, core: -2 });
    expect([t.maxCpu(), t.maxPresentCpu(), t.maxNode()]).toEqual([16, 12, 3]);
    expect(t.nodes().map((n) => n.node)).toEqual([0, 1, 2]);
  });

  it('aggregates', () => {
    const map = CpuMap.parse('0-3,8-10');
    const rows = (level: 'core' | 'socket' | 'node' | 'cache', cacheLevel?: number): string[] => {
      const agg = t.aggregate(map, level, cacheLevel === undefined ? {} : { cacheLevel });
      const out = agg.groups.map((g) => `${g.label}:${g.cpus}`);
      agg.put();
      return out;
    };
    expect(rows('core')).toEqual(['S0-D0-C0:0,2', 'S0-D0-C1:1,3', 'S1-D0-C-2:10', 'S1-D0-C0:8-9']);
    expect(rows('socket')).toEqual(['S0:0-3', 'S1:8-10']);
    expect(rows('node')).toEqual(['N0:0-3', 'N1:8-10']);
    // cpus 8-10 have no caches: perf leaves the cache fields at -1
    expect(rows('cache', 2)).toEqual(['S0-D0-L2-ID0:0,2', 'S0-D0-L2-ID1:1,3', 'S1-D0-L-1-ID-1:8-10']);
    map.put();
  });

  it('rejects what is wrong, with TopologyError', () => {
    const bad = (o: unknown): TopologyError => {
      try {
        Topology.fromObject(o as TopologyObject);
      } catch (e) {
        return e as TopologyError;
      }
      throw new Error('no error');
    };
    expect(bad(null).code).toBe('EBADOBJECT');
    expect(bad({ cpus: [{ cpu: 1 }, { cpu: 1 }] }).message).toContain('cpu 1 is listed twice');
    expect(bad({ cpus: [{ cpu: 40000 }] }).message).toContain('outside 0..32766');
    expect(bad({ cpus: [{ cpu: 0, socket: -3 }] }).message).toContain('cpu 0 socket must be an integer from 0');
    expect(bad({ cpus: [{ cpu: 0 }], online: '0-' }).message).toContain('online: invalid kernel cpu list');
    const notShared = bad({ cpus: [{ cpu: 0, caches: [{ level: 2, cpus: '1' }] }] });
    expect([notShared.code, notShared.cpu]).toEqual(['EINCONSISTENT', 0]);
    const disagree = bad({ cpus: [{ cpu: 0, caches: [{ level: 2, cpus: '0-1' }] }, { cpu: 1, caches: [{ level: 2, cpus: '1' }] }] });
    expect(disagree.message).toContain('cpu 0 shares its L2 cache with cpus 0-1, but cpu 1 says 1');
    const empty = CpuMap.empty();
    expect(() => t.aggregate(empty, 'thread' as 'core')).toThrow(/unknown aggregation level "thread"/);
    empty.put();
    expect(() => t.aggrId(0, 'cache', { cacheLevel: 5 })).toThrow(/cache level must be 1 to 4/);
  });
});

describe('the libperf names', () => {
  it('cpu__get_* and cpu__max_*', () => {
    expect([lp.cpu__get_socket_id(8, t), lp.cpu__get_die_id(10, t), lp.cpu__get_cluster_id(0, t), lp.cpu__get_core_id(3, t), lp.cpu__get_node(9, t)])
      .toEqual([1, -2, 0, 1, 1]);
    expect([lp.cpu__max_cpu(t), lp.cpu__max_present_cpu(t), lp.cpu__max_node(t)]).toEqual([16, 12, 3]);
    expect(() => lp.cpu__get_socket_id(0, {} as Topology)).toThrow(TypeError);
  });

  it('aggr_cpu_id__* and the empty id', () => {
    expect(lp.aggr_cpu_id__socket(9, t)).toEqual({ ...lp.aggr_cpu_id__empty(), socket: 1 });
    expect(lp.aggr_cpu_id__die(9, t)).toEqual({ ...lp.aggr_cpu_id__empty(), socket: 1, die: 0 });
    expect(lp.aggr_cpu_id__cluster(9, t)).toEqual({ ...lp.aggr_cpu_id__empty(), socket: 1, die: 0, cluster: 0 });
    expect(lp.aggr_cpu_id__core(9, t)).toEqual({ ...lp.aggr_cpu_id__empty(), socket: 1, die: 0, cluster: 0, core: 0 });
    expect(lp.aggr_cpu_id__cpu(9, t)).toEqual({ ...lp.aggr_cpu_id__empty(), socket: 1, die: 0, cluster: 0, core: 0, cpu: 9 });
    expect(lp.aggr_cpu_id__node(9, t)).toEqual({ ...lp.aggr_cpu_id__empty(), node: 1 });
    expect(lp.aggr_cpu_id__global(9, t)).toEqual({ ...lp.aggr_cpu_id__empty(), cpu: 0 });
    expect(lp.aggr_cpu_id__is_empty(lp.aggr_cpu_id__empty())).toBe(true);
    expect(lp.aggr_cpu_id__is_empty(lp.aggr_cpu_id__node(11, t))).toBe(true);
    expect(lp.aggr_cpu_id__equal(lp.aggr_cpu_id__core(8, t), lp.aggr_cpu_id__core(9, t))).toBe(true);
    expect(lp.aggr_cpu_id__equal(lp.aggr_cpu_id__cpu(8, t), lp.aggr_cpu_id__cpu(9, t))).toBe(false);
  });

  it('cpu_aggr_map__new: distinct ids in map order, sorted when asked; NULL is one -1', () => {
    const map = lp.perf_cpu_map__new('0-3,8-10')!;
    const unsorted = lp.cpu_aggr_map__new(map, lp.aggr_cpu_id__core, t, false);
    expect(unsorted.nr).toBe(4);
    expect(unsorted.map.map((id) => `${id.socket}/${id.core}`)).toEqual(['0/0', '0/1', '1/0', '1/-2']);
    const sorted = lp.cpu_aggr_map__new(map, lp.aggr_cpu_id__core, t, true);
    expect(sorted.map.map((id) => `${id.socket}/${id.core}`)).toEqual(['0/0', '0/1', '1/-2', '1/0']);
    expect(lp.perf_cpu_map__refcnt(map)).toBe(1); // only read
    const none = lp.cpu_aggr_map__new(null, lp.aggr_cpu_id__socket, t, true);
    expect(none.map).toEqual([{ ...lp.aggr_cpu_id__empty(), socket: -2 }]);
    expect(lp.cpu_aggr_map__new(map, lp.aggr_cpu_id__global, t, true).nr).toBe(1);
    lp.perf_cpu_map__put(map);
  });

  it('cpu_map__is_dummy', () => {
    const any = lp.perf_cpu_map__new_any_cpu()!;
    const one = lp.perf_cpu_map__new('0')!;
    const empty = CpuMap.empty();
    expect([lp.cpu_map__is_dummy(null), lp.cpu_map__is_dummy(any), lp.cpu_map__is_dummy(one), lp.cpu_map__is_dummy(empty)])
      .toEqual([true, true, false, false]);
    for (const m of [any, one, empty]) m.put();
  });
});

describe('reference rules of aggregation results', () => {
  it('each group holds one reference until the Aggregation is put; leaks are reported at their site', () => {
    const map = CpuMap.parse('0-3');
    const mark = refcheck.mark();
    const agg = t.aggregate(map, 'core');
    expect(refcheck.leaksSince(mark).references).toBe(2);
    expect(agg.groups.every((g) => g.cpus.refcount === 1)).toBe(true);
    agg.put();
    expect(refcheck.leaksSince(mark).references).toBe(0);
    map.put();
  });

  it('a second put is a double put; a group used after the put is a use after put', () => {
    const map = CpuMap.parse('0-1');
    const agg = t.aggregate(map, 'socket');
    agg.put();
    expect(() => agg.put()).toThrow(RefCheckError);
    expect(() => agg.groups[0]!.cpus.nr).toThrow(/use after put/);
    map.put();
  });

  it('online/present/possible hand out new references', () => {
    const a = t.online()!;
    const b = t.online()!;
    expect(a).not.toBe(b);
    expect(a.equals(b)).toBe(true);
    a.put();
    b.put();
  });
});
