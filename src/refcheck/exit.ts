// Leaks at exit, LeakSanitizer-like: when a Node thread ends with references
// still held, their report goes to stderr and the exit code becomes 1. A
// worker_threads worker's leaks fail the whole process: the main thread
// (a process that imports this library, checking or not) shares a small
// SharedArrayBuffer with the workers it starts (worker_threads environment
// data, which nested workers inherit); a worker that exits holding
// references counts itself there, and the main thread reads it at its own
// exit, synchronously, so no message can arrive too late.

import { liveCellCount, liveCells } from './table.js';
import { buildReport, reportText } from './report.js';

interface NodeProcessLike {
  on?(event: 'exit', fn: () => void): void;
  stderr?: { write(s: string): void };
  exitCode?: number | string;
  getBuiltinModule?(id: string): unknown;
}
interface WorkerThreads {
  isMainThread: boolean;
  threadId: number;
  /** Node >= 22.20 and 24.6; older workers have no name to read. */
  threadName?: string;
  setEnvironmentData?(key: string, value: unknown): void;
  getEnvironmentData?(key: string): unknown;
}

const nodeProcess = (globalThis as { process?: NodeProcessLike }).process;
const threads = nodeProcess?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
const KEY = 'cpumap-wasm:refcheck:worker-leaks';

// [0] workers that exited holding references, [1] references they held, [2...] their thread ids
const SLOTS = 16;
const workerLeaks: Int32Array | undefined = ((): Int32Array | undefined => {
  if (threads === undefined || typeof SharedArrayBuffer !== 'function') return undefined;
  if (threads.isMainThread) {
    const shared = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
    threads.setEnvironmentData?.(KEY, shared);
    return shared;
  }
  const inherited = threads.getEnvironmentData?.(KEY);
  return inherited instanceof Int32Array ? inherited : undefined;
})();

/** "worker 2 (\"parser\")" for a worker thread, "" for the main thread or outside Node. */
export function threadLabel(): string {
  if (threads === undefined || threads.isMainThread) return '';
  const name = threads.threadName;
  return `worker ${threads.threadId}${name ? ` ("${name}")` : ''}`;
}

/** At exit: report held references and fail; `enabled()` reads leaksAtExit then. */
export function installExitReport(enabled: () => boolean): void {
  nodeProcess?.on?.('exit', () => {
    if (!enabled() || liveCellCount() === 0) return;
    const where = threadLabel();
    const report = buildReport(liveCells());
    nodeProcess.stderr?.write(`${reportText(report, where)}\n`);
    if (!nodeProcess.exitCode) nodeProcess.exitCode = 1;
    if (where !== '' && workerLeaks !== undefined) {
      const n = Atomics.add(workerLeaks, 0, 1);
      Atomics.add(workerLeaks, 1, report.references);
      if (2 + n < SLOTS) Atomics.store(workerLeaks, 2 + n, threads!.threadId);
    }
  });
}

// The main thread fails when one of its workers exited holding references.
if (threads?.isMainThread === true && workerLeaks !== undefined) {
  nodeProcess!.on?.('exit', () => {
    const workers = Atomics.load(workerLeaks, 0);
    if (workers === 0) return;
    const references = Atomics.load(workerLeaks, 1);
    const ids = Array.from(workerLeaks.subarray(2, 2 + Math.min(workers, SLOTS - 2)), (id) => `worker ${id}`);
    const who = `${ids.join(', ')}${workers > ids.length ? ` and ${workers - ids.length} more` : ''}`;
    nodeProcess!.stderr?.write(`cpumap-wasm refcheck: ${who} exited holding ${references} reference${references === 1 ? '' : 's'} ` +
      '(reports above); the process exits with code 1\n');
    if (!nodeProcess!.exitCode) nodeProcess!.exitCode = 1;
  });
}
