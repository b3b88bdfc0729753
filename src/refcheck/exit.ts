// Leaks at exit, LeakSanitizer-like: when a Node thread ends with references
// still held, their report goes to stderr and the exit code becomes 1. A
// worker_threads worker's leaks fail the whole process: the worker tells the
// main thread on a BroadcastChannel, and the main thread (any process that
// imports this library, checking or not) sets its own exit code.

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
  /** Node >= 22.14; older workers have no name to read. */
  threadName?: string;
  workerData?: unknown;
}
interface WorkerLeak {
  type: 'leaks';
  threadId: number;
  name?: string;
  references: number;
}

const nodeProcess = (globalThis as { process?: NodeProcessLike }).process;
const threads = nodeProcess?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
const CHANNEL = 'cpumap-wasm:refcheck';

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
    if (where !== '' && typeof BroadcastChannel === 'function') {
      const channel = new BroadcastChannel(CHANNEL);
      const leak: WorkerLeak = { type: 'leaks', threadId: threads!.threadId, references: report.references };
      if (threads!.threadName) leak.name = threads!.threadName;
      channel.postMessage(leak);
      channel.close();
    }
  });
}

// The main thread listens for its workers' leaks (unref'd: it never keeps the process alive).
if (threads?.isMainThread === true && typeof BroadcastChannel === 'function') {
  const channel = new BroadcastChannel(CHANNEL) as BroadcastChannel & { unref?(): void };
  channel.onmessage = (e: MessageEvent<WorkerLeak>) => {
    const leak = e.data;
    if (leak?.type !== 'leaks') return;
    const who = `worker ${leak.threadId}${leak.name ? ` ("${leak.name}")` : ''}`;
    nodeProcess!.stderr?.write(`cpumap-wasm refcheck: ${who} exited holding ${leak.references} reference${leak.references === 1 ? '' : 's'} ` +
      '(its report is above); the process will exit with code 1\n');
    if (!nodeProcess!.exitCode) nodeProcess!.exitCode = 1;
  };
  channel.unref?.();
}
