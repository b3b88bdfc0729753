// A topology from a plain object, for tests and for tools that have the
// data elsewhere. A field left out behaves like the sysfs file that is not
// there (perf reads -ENOENT); everything given is checked.

import { parseKernelCpus } from '../kernel-list.js';
import { CpuMapError } from '../errors.js';
import { TopologyError } from './error.js';
import { cacheSharingProblems } from './consistency.js';
import { MISSING_FILE, type CacheLevelData, type CpuData, type NumaNodeData, type TopologyData } from './data.js';

export interface TopologyObjectCache {
  level: number;
  /** The shared cpu list, libperf syntax ("0-3"). */
  cpus: string;
  type?: string;
  size?: string;
}

export interface TopologyObjectCpu {
  cpu: number;
  socket?: number;
  die?: number;
  cluster?: number;
  core?: number;
  /** NUMA node; left out: the cpu is in no node. */
  node?: number;
  caches?: TopologyObjectCache[];
}

export interface TopologyObject {
  cpus: TopologyObjectCpu[];
  /** Kernel cpu lists, as sysfs has them ("0-7"). possible also sizes perf's node map (default 4096). */
  online?: string;
  present?: string;
  possible?: string;
  /** NUMA nodes that exist, cpus or not (default: the nodes named by cpus). */
  nodes?: number[];
  /** devices/system/node/possible (default: perf's 8). */
  possibleNodes?: string;
}

const MAX_CPU = 32766;

function bad(message: string, cpu?: number): TopologyError {
  return new TopologyError('EBADOBJECT', `topology object: ${message}`, cpu === undefined ? {} : { cpu });
}

function intField(where: string, v: unknown, min: number, cpu?: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 0x7fffffff) {
    throw bad(`${where} must be an integer from ${min}, got ${JSON.stringify(v)}`, cpu);
  }
  return v;
}

function kernelList(where: string, text: unknown): number[] {
  if (typeof text !== 'string') throw bad(`${where} must be a cpu list string, got ${JSON.stringify(text)}`);
  try {
    return parseKernelCpus(text);
  } catch (e) {
    if (e instanceof CpuMapError) throw bad(`${where}: ${e.message.split('\n')[0]}`);
    throw e;
  }
}

function lastPlusOne(list: number[] | undefined): number | undefined {
  return list === undefined || list.length === 0 ? undefined : list[list.length - 1]! + 1;
}

export function readObjectTopology(obj: TopologyObject): TopologyData {
  if (obj === null || typeof obj !== 'object' || !Array.isArray(obj.cpus)) {
    throw bad('expected { cpus: [...] }');
  }
  const cpus = new Map<number, CpuData>();
  const nodeOf = new Map<number, number>();
  const nodeCpus = new Map<number, number[]>();
  obj.cpus.forEach((c, i) => {
    if (c === null || typeof c !== 'object') throw bad(`cpus[${i}] must be an object`);
    const cpu = intField(`cpus[${i}].cpu`, c.cpu, 0);
    if (cpu > MAX_CPU) throw bad(`cpus[${i}].cpu ${cpu} is outside 0..${MAX_CPU}`, cpu);
    if (cpus.has(cpu)) throw bad(`cpu ${cpu} is listed twice`, cpu);
    const field = (name: 'socket' | 'die' | 'cluster' | 'core'): number =>
      c[name] === undefined ? MISSING_FILE : intField(`cpu ${cpu} ${name}`, c[name], 0, cpu);
    let caches: CacheLevelData[] = [];
    if (c.caches !== undefined) {
      if (!Array.isArray(c.caches)) throw bad(`cpu ${cpu} caches must be an array`, cpu);
      caches = c.caches.map((k, j) => {
        const level = intField(`cpu ${cpu} caches[${j}].level`, k?.level, 1, cpu);
        if (typeof k.cpus !== 'string') throw bad(`cpu ${cpu} caches[${j}].cpus must be a cpu list string`, cpu);
        kernelList(`cpu ${cpu} caches[${j}].cpus`, k.cpus);
        return { level, cpus: k.cpus, type: k.type ?? '', size: k.size ?? '' };
      });
    }
    cpus.set(cpu, { socket: field('socket'), die: field('die'), cluster: field('cluster'), core: field('core'), caches });
    if (c.node !== undefined) {
      const node = intField(`cpu ${cpu} node`, c.node, 0, cpu);
      nodeOf.set(cpu, node);
      nodeCpus.set(node, [...(nodeCpus.get(node) ?? []), cpu]);
    }
  });

  const [problem] = cacheSharingProblems(cpus);
  if (problem !== undefined) throw new TopologyError('EINCONSISTENT', `topology object: ${problem.message}`, { cpu: problem.cpu });

  for (const n of obj.nodes ?? []) {
    const node = intField('nodes[]', n, 0);
    if (!nodeCpus.has(node)) nodeCpus.set(node, []);
  }
  const nodes: NumaNodeData[] = [...nodeCpus].map(([node, list]) => ({ node, cpus: list.sort((a, b) => a - b) }))
    .sort((a, b) => a.node - b.node);

  const online = obj.online === undefined ? undefined : kernelList('online', obj.online);
  const present = obj.present === undefined ? undefined : kernelList('present', obj.present);
  const possible = obj.possible === undefined ? undefined : kernelList('possible', obj.possible);
  const possibleNodes = obj.possibleNodes === undefined ? undefined : kernelList('possibleNodes', obj.possibleNodes);
  const maxCpu = lastPlusOne(possible) ?? 4096;
  const data: TopologyData = {
    origin: 'object', source: 'object', cpus, nodeOf, nodeMapSize: maxCpu, nodes,
    maxCpu,
    maxPresentCpu: possible === undefined ? 4096 : lastPlusOne(present) ?? 4096,
    maxNode: lastPlusOne(possibleNodes) ?? 8,
    problems: [],
  };
  if (online !== undefined) data.online = online;
  if (present !== undefined) data.present = present;
  if (possible !== undefined) data.possible = possible;
  return data;
}
