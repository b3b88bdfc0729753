// configure(): the reference checker's switch and options, and the memory cap.
//
// Whether references are checked is decided once, when the first map is
// made. What decides it, strongest first:
//   1. configure({ refcheck }) called before that first map;
//   2. the environment variable CPUMAP_REFCHECK (1/true/on, 0/false/off) in Node,
//      Bun, and Deno where env access is already granted (never prompted for);
//   3. the package export condition "refcheck" (node --conditions=refcheck,
//      or vitest's resolve.conditions), which loads an entry that turns it on.
// Off (the default), handles are plain CpuMap objects and nothing is checked.

import { installFactoryChooser, type HandleFactory } from './cpumap.js';
import { CpuMap } from './cpumap.js';
import { defaultCore } from './instance.js';
import { CpuMapError, describeValue } from './errors.js';
import { checkedHandle } from './refcheck/handle.js';
import { setStackDepth, stackDepth } from './refcheck/sites.js';
import { setOnError } from './refcheck/table.js';
import { installExitReport } from './refcheck/exit.js';

export interface RefcheckOptions {
  /** User frames kept where a reference is made (default 4); 0 takes no stacks at all: kinds and counts only. */
  stackDepth?: number;
  /** User frames kept where a reference is put (default 1, or 0 when stackDepth is 0). */
  putStackDepth?: number;
  /** On a double put or a use after put: throw RefCheckError (default), or collect it (refcheck.errors()) and go on. */
  onError?: 'throw' | 'report';
  /** Node: at exit, print held references to stderr and make the exit code non-zero (default true). */
  leaksAtExit?: boolean;
}

export interface Config {
  /** Turn the reference checker on (true or options) or off; only before the first map is made. */
  refcheck?: boolean | RefcheckOptions;
  /** Cap on the wasm linear memory of the default instance, in bytes (default 1 GiB, at most 2 GiB). */
  maxMemory?: number;
}

const PAGE = 65536;
const MAX_PAGES = 32768;

let explicit: boolean | undefined;
let byCondition = false;
let decided: boolean | undefined;
let leaksAtExit = true;

interface NodeProcessLike {
  env?: Record<string, string | undefined>;
}
const nodeProcess = (globalThis as { process?: NodeProcessLike }).process;

const SWITCH = 'CPUMAP_REFCHECK';

interface DenoLike {
  permissions?: { querySync?(d: { name: 'env'; variable: string }): { state: string } };
  env?: { get(name: string): string | undefined };
}

/**
 * The switch's raw value, read without asking for a permission: Deno
 * (whose `process.env` needs --allow-env) is asked first whether reading it
 * is already granted, and a read that throws anyway counts as unset.
 */
function readSwitch(): string | undefined {
  const deno = (globalThis as { Deno?: DenoLike }).Deno;
  try {
    if (deno !== undefined) {
      const state = deno.permissions?.querySync?.({ name: 'env', variable: SWITCH }).state;
      if (state !== 'granted') return undefined;
      return deno.env?.get(SWITCH);
    }
    return nodeProcess?.env?.[SWITCH];
  } catch {
    return undefined;
  }
}

function fromEnvironment(): boolean | undefined {
  const v = readSwitch()?.trim().toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (v === '1' || v === 'true' || v === 'on' || v === 'yes') return true;
  if (v === '0' || v === 'false' || v === 'off' || v === 'no') return false;
  return undefined;
}

function applyOptions(o: RefcheckOptions): void {
  if (o.stackDepth !== undefined) {
    if (typeof o.stackDepth !== 'number' || !(o.stackDepth >= 0) || !Number.isFinite(o.stackDepth)) {
      throw new CpuMapError('ECONFIG', `configure: refcheck.stackDepth must be a number >= 0, got ${describeValue(o.stackDepth)}`);
    }
  }
  if (o.putStackDepth !== undefined && (typeof o.putStackDepth !== 'number' || !(o.putStackDepth >= 0))) {
    throw new CpuMapError('ECONFIG', `configure: refcheck.putStackDepth must be a number >= 0, got ${describeValue(o.putStackDepth)}`);
  }
  if (o.stackDepth !== undefined || o.putStackDepth !== undefined) {
    const get = o.stackDepth ?? stackDepth();
    setStackDepth(get, o.putStackDepth ?? Math.min(get, 1));
  }
  if (o.onError !== undefined) {
    if (o.onError !== 'throw' && o.onError !== 'report') {
      throw new CpuMapError('ECONFIG', `configure: refcheck.onError must be 'throw' or 'report', got ${describeValue(o.onError)}`);
    }
    setOnError(o.onError);
  }
  if (o.leaksAtExit !== undefined) leaksAtExit = Boolean(o.leaksAtExit);
}

/** Set options; see Config. Throws CpuMapError ECONFIG for bad options or a switch after the first map. */
export function configure(config: Config): void {
  if (config === null || typeof config !== 'object') {
    throw new TypeError(`configure: expected an options object, got ${describeValue(config)}`);
  }
  if (config.maxMemory !== undefined) {
    const bytes = config.maxMemory;
    if (typeof bytes !== 'number' || !(bytes >= PAGE)) {
      throw new CpuMapError('ECONFIG', `configure: maxMemory must be a number of bytes >= ${PAGE}, got ${describeValue(bytes)}`);
    }
    defaultCore.ex.setLimitPages(Math.min(MAX_PAGES, Math.ceil(bytes / PAGE)));
  }
  if (config.refcheck !== undefined) {
    const want = config.refcheck !== false;
    if (decided !== undefined && decided !== want) {
      throw new CpuMapError('ECONFIG',
        `configure: refcheck must be set before the first map is made (it is ${decided ? 'on' : 'off'} already)`);
    }
    explicit = want;
    if (typeof config.refcheck === 'object') applyOptions(config.refcheck);
  }
}

/** @internal The "refcheck" export condition's entry calls this. */
export function enableByCondition(): void {
  byCondition = true;
}

/** Whether the checker is on (decided at the first map; until then, what would be decided). */
export function isRefcheckEnabled(): boolean {
  return decided ?? explicit ?? fromEnvironment() ?? byCondition;
}

installFactoryChooser((): HandleFactory => {
  decided = isRefcheckEnabled();
  if (!decided) return (core, ptr) => new CpuMap(core, ptr);
  installExitReport(() => leaksAtExit);
  return checkedHandle;
});
