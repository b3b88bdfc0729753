// Checks of what a topology says about shared caches: a cache's shared
// list must hold its cpu, and every cpu of the list must list the same
// cpus for that cache (same level and type).

import { parseKernelCpus } from '../kernel-list.js';
import type { CacheLevelData, CpuData } from './data.js';

export interface CacheProblem {
  cpu: number;
  message: string;
}

/** The cpus of a shared list (undefined if it is not one), parsed once per distinct text. */
function listReader(): (list: string) => number[] | undefined {
  const parsed = new Map<string, number[] | undefined>();
  return (list) => {
    if (!parsed.has(list)) {
      let cpus: number[] | undefined;
      try {
        cpus = parseKernelCpus(list);
      } catch {
        cpus = undefined;
      }
      parsed.set(list, cpus);
    }
    return parsed.get(list);
  };
}

/** Every contradiction between the cpus' cache lists, in cpu order. */
export function cacheSharingProblems(cpus: ReadonlyMap<number, CpuData>): CacheProblem[] {
  const problems: CacheProblem[] = [];
  const sharedCpus = listReader();
  const checked = new Set<string>(); // a (list, level, type) already found consistent
  const cachesOf = (cpu: number): CacheLevelData[] => {
    const c = cpus.get(cpu)?.caches;
    return Array.isArray(c) ? c : [];
  };
  for (const cpu of [...cpus.keys()].sort((a, b) => a - b)) {
    for (const k of cachesOf(cpu)) {
      const shared = sharedCpus(k.cpus);
      if (shared === undefined) {
        problems.push({ cpu, message: `cpu ${cpu}'s L${k.level} cache has the shared list ${JSON.stringify(k.cpus)}, which is not a cpu list` });
        continue;
      }
      if (!shared.includes(cpu)) {
        problems.push({ cpu, message: `cpu ${cpu}'s L${k.level} cache is shared by ${k.cpus}, which does not include cpu ${cpu}` });
        continue;
      }
      const key = `${k.level}/${k.type}/${k.cpus}`;
      if (checked.has(key)) continue;
      let consistent = true;
      for (const other of shared) {
        const same = cachesOf(other).filter((x) => x.level === k.level && x.type === k.type);
        if (same.length > 0 && !same.some((x) => x.cpus === k.cpus)) {
          problems.push({ cpu, message: `cpu ${cpu} shares its L${k.level} cache with cpus ${k.cpus}, but cpu ${other} says ${same.map((x) => x.cpus).join(' / ')}` });
          consistent = false;
          break;
        }
      }
      if (consistent) checked.add(key);
    }
  }
  return problems;
}
