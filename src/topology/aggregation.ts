// The result of Topology.aggregate: perf stat's groups for one cpu map at
// one level. Each group's cpus is a CpuMap reference owned by the
// Aggregation until put() (or `using`), which puts them all.

import { CpuMap } from '../cpumap.js';
import type { AggrCpuId } from './aggr-id.js';
import { distinctAggrIds, aggrIdKey } from './aggr-map.js';
import { aggrLabel } from './labels.js';
import type { AggrLevel } from './levels.js';

export interface AggrGroup {
  id: AggrCpuId;
  /** What perf stat prints before the group's counts ('' for global). */
  label: string;
  /** The cpus of the map in this group (perf stat's second column is cpus.nr). */
  cpus: CpuMap;
}

export class Aggregation implements Iterable<AggrGroup> {
  readonly level: AggrLevel;
  readonly groups: readonly AggrGroup[];

  private constructor(level: AggrLevel, groups: AggrGroup[]) {
    this.level = level;
    this.groups = groups;
  }

  /** @internal */
  static build(entries: number[], level: AggrLevel, getId: (cpu: number) => AggrCpuId): Aggregation {
    const entryIds = entries.map(getId);
    const ids = distinctAggrIds(entryIds, level !== 'cpu');
    const index = new Map(ids.map((id, i) => [aggrIdKey(id), i]));
    const members: number[][] = ids.map(() => []);
    entries.forEach((cpu, i) => members[index.get(aggrIdKey(entryIds[i]!))!]!.push(cpu));
    const groups: AggrGroup[] = [];
    try {
      ids.forEach((id, i) => groups.push({ id, label: aggrLabel(id, level), cpus: CpuMap.fromCpus(members[i]!) }));
    } catch (e) {
      for (const g of groups) g.cpus.put();
      throw e;
    }
    return new Aggregation(level, groups);
  }

  get length(): number {
    return this.groups.length;
  }

  [Symbol.iterator](): Iterator<AggrGroup> {
    return this.groups[Symbol.iterator]();
  }

  /** Put every group's cpus: the Aggregation's one put (a second is a double put of each). */
  put(): void {
    for (const g of this.groups) g.cpus.put();
  }

  /** Plain data: level and groups with labels, ids and cpu lists. */
  toJSON(): { level: AggrLevel; groups: { label: string; id: AggrCpuId; cpus: string; nr: number }[] } {
    return {
      level: this.level,
      groups: this.groups.map((g) => ({ label: g.label, id: { ...g.id }, cpus: g.cpus.toString(), nr: g.cpus.nr })),
    };
  }
}

const dispose = (Symbol as { dispose?: symbol }).dispose;
if (dispose !== undefined) {
  Object.defineProperty(Aggregation.prototype, dispose, {
    value: function (this: Aggregation) { this.put(); },
    writable: true,
    configurable: true,
  });
}
export interface Aggregation extends Disposable {}
