// Reading a cpu list file the kernel wrote (sysfs online/offline/isolated,
// cgroup cpuset.cpus, cpuset.cpus.effective...) into a CpuMap, with the
// kernel's own grammar: an empty file or a lone newline is the empty map.

import { CpuMap } from './cpumap.js';
import { CpuMapError } from './errors.js';
import { nodeFs, errnoName } from './topology/node-fs.js';
import type { KernelListOptions } from './kernel-list.js';

export { parseKernelCpus, KERNEL_LIST_DEFAULT_NBITS } from './kernel-list.js';

/**
 * The cpus of a kernel cpu-list file as a new CpuMap (put it). Node only.
 * A file that cannot be read throws a plain Error naming the path and the
 * errno; text that is not a kernel cpu list throws CpuMapError.
 */
export function readKernelCpuList(path: string, options?: KernelListOptions): CpuMap {
  const fs = nodeFs();
  if (fs === undefined) throw new Error('readKernelCpuList needs Node (no file system here)');
  let text: string;
  try {
    text = new TextDecoder().decode(fs.readFileSync(path));
  } catch (e) {
    throw new Error(`cannot read the cpu list file ${path}: ${errnoName(e)}`);
  }
  try {
    return CpuMap.parse(text, { ...options, dialect: 'kernel' });
  } catch (e) {
    if (e instanceof CpuMapError) e.message = `${path}: ${e.message}`;
    throw e;
  }
}
