// Where the online cpus come from: Node reads sysfs like libperf does; a
// browser only knows how many logical processors there are.

interface NodeProcess {
  getBuiltinModule?(id: string): unknown;
}
interface NodeFs { readFileSync(path: string, encoding: 'utf8'): string }
interface NodeOs { availableParallelism?(): number; cpus(): unknown[] }

function nodeModule<T>(id: string): T | undefined {
  // process.getBuiltinModule (Node >= 20.16) keeps node: imports out of the
  // browser bundle and needs no top-level await
  const proc = (globalThis as { process?: NodeProcess }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

export const SYSFS_ONLINE = '/sys/devices/system/cpu/online';

/** The sysfs online list with its newline, or undefined where there is none. */
export function readOnlineList(): string | undefined {
  const fs = nodeModule<NodeFs>('fs');
  if (fs === undefined) return undefined;
  try {
    return fs.readFileSync(SYSFS_ONLINE, 'utf8');
  } catch {
    return undefined;
  }
}

/** How many cpus to assume when there is no list: at least 1. */
export function fallbackOnlineCount(): number {
  const os = nodeModule<NodeOs>('os');
  let n = 0;
  if (os !== undefined) n = os.availableParallelism?.() ?? os.cpus().length;
  else n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(n, 32767));
}
