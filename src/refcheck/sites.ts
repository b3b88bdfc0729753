// Call sites: captured cheaply when a reference is made or put, formatted
// only when a report needs them.
//
// Error.captureStackTrace stores V8's raw frames on a holder object and
// formats them on the first read of `.stack`, through whatever
// Error.prepareStackTrace is installed (vitest's and node's source maps
// included), so a report names the user's source file:line:column. The
// holder is a plain object: it never points back at a map handle.

/** A captured site; `stack` is formatted by V8 on first read. */
export interface Site {
  stack?: string;
}

/** One formatted frame of a site. */
export interface Frame {
  /** The function, as V8 names it ("" for anonymous code). */
  fn: string;
  /** file:line:column (the file as the stack names it: a path or a URL). */
  location: string;
  file: string;
  line: number;
  column: number;
}

export interface FormattedSite {
  /** The library call the user made (CpuMap.parse, CpuMap.get, perf_cpu_map__merge...). */
  api: string;
  /** The user's frames, innermost first; frames of this library are trimmed. */
  frames: Frame[];
}

/** V8's stack API (Node, Chromium); elsewhere sites are simply not captured. */
const V8Error = Error as unknown as {
  captureStackTrace?(holder: object, above?: Function): void;
  stackTraceLimit: number;
};

let depth = 4;
let putDepth = 2;
/** Frames of the library itself that may sit between the user and the capture. */
const SLACK = 3;

export function setStackDepth(frames: number, putFrames = Math.min(frames, 2)): void {
  depth = Math.max(0, Math.floor(frames));
  putDepth = Math.max(0, Math.floor(putFrames));
}
export function stackDepth(): number {
  return depth;
}

function capture(above: Function, frames: number): Site | undefined {
  if (frames === 0 || V8Error.captureStackTrace === undefined) return undefined;
  const holder: Site = {};
  const limit = V8Error.stackTraceLimit;
  V8Error.stackTraceLimit = frames + SLACK;
  V8Error.captureStackTrace(holder, above);
  V8Error.stackTraceLimit = limit;
  return holder;
}

/**
 * A site for the current call, cut at `above` (the checker's entry point:
 * it and what it called are not user code). Each capture costs about a
 * microsecond or two in V8, so sites where a reference is made keep
 * `stackDepth` frames (leaks are traced from them) and puts keep fewer.
 */
export function captureSite(above: Function): Site | undefined {
  return capture(above, depth);
}

export function capturePutSite(above: Function): Site | undefined {
  return capture(above, putDepth);
}

// ---- formatting ----

/** Files whose frames are the library's own (this folder's parent: src/ or dist/). */
const libraryRoot = ((): string => {
  const here = stripUrl(import.meta.url ?? ''); // a script bundle (iife) has no import.meta.url
  const cut = here.lastIndexOf('/refcheck/');
  // bundled (a demo page): the bundle is one file; judge frames by that file
  return cut >= 0 ? here.slice(0, cut + 1) : here;
})();

function stripUrl(file: string): string {
  let f = file;
  if (f.startsWith('file://')) f = decodeURIComponent(f.slice(7));
  const q = f.search(/[?#]/);
  return q >= 0 ? f.slice(0, q) : f;
}

export function isLibraryFile(file: string): boolean {
  const f = stripUrl(file);
  return f === libraryRoot || (libraryRoot.endsWith('/') && f.startsWith(libraryRoot));
}

function isRunnerFile(file: string): boolean {
  return file.startsWith('node:') || file.includes('/node_modules/');
}

/** "CheckedCpuMap.get nr [as nr]" -> "CpuMap.nr"; "Function.parse" -> "CpuMap.parse". */
function apiName(fn: string): string {
  return fn
    .replace(/ \[as [^\]]*\]$/, '')
    .replace(/^(?:Checked)?CpuMap\.(?:prototype\.)?(?:get |set )?/, 'CpuMap.')
    .replace(/^Function\./, 'CpuMap.')
    .replace(/^(?:Module|Object)\./, '');
}

const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

function parseFrame(line: string): Frame | undefined {
  const m = FRAME.exec(line);
  if (m === null) return undefined;
  const file = m[2]!;
  return {
    fn: m[1] ?? '',
    file,
    line: Number(m[3]),
    column: Number(m[4]),
    location: `${stripUrl(file)}:${m[3]}:${m[4]}`,
  };
}

/** A V8 CallSite, as much of it as is read here. */
interface CallSite {
  getFileName(): string | null | undefined;
  getScriptNameOrSourceURL?(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  getFunctionName(): string | null;
  getTypeName(): string | null;
  getMethodName(): string | null;
  isToplevel(): boolean;
  isConstructor(): boolean;
}

interface ResolvedSite extends Site {
  /** The exact user frames of this site, once read. */
  resolved?: FormattedSite;
  /** Its first user frame (interned), once read for a report. */
  key?: string;
}

/**
 * One formatted site per distinct first user frame: what a leak group shows.
 * Bounded by the number of places in the code that make references.
 */
const representatives = new Map<string, FormattedSite>();
const NO_STACK = '(no stack: stackDepth is 0)';

/**
 * Stacks are read as text through the installed Error.prepareStackTrace
 * when someone has installed one (vitest, source-map-support: their source
 * maps then apply) or when Node maps sources itself; otherwise as V8's
 * structured call sites, which skips formatting every frame to text (three
 * times faster, which counts for a report over a million references).
 */
function structured(): boolean {
  const v8 = Error as unknown as { prepareStackTrace?: unknown };
  const proc = (globalThis as { process?: { sourceMapsEnabled?: boolean } }).process;
  return v8.prepareStackTrace === undefined && proc?.sourceMapsEnabled !== true;
}

const asCallSites = (_error: unknown, sites: CallSite[]): CallSite[] => sites;

function frameOf(c: CallSite): Frame {
  const file = c.getFileName() ?? c.getScriptNameOrSourceURL?.() ?? '<anonymous>';
  const line = c.getLineNumber() ?? 0;
  const column = c.getColumnNumber() ?? 0;
  const name = c.getFunctionName();
  let fn = name ?? '';
  if (!c.isToplevel() && !c.isConstructor()) {
    const type = c.getTypeName();
    if (type !== null && type !== '' && name !== null) fn = `${type}.${name}`;
    else if (type !== null && name === null) fn = `${type}.${c.getMethodName() ?? '<anonymous>'}`;
  } else if (c.isConstructor()) {
    fn = `new ${name ?? '<anonymous>'}`;
  }
  return { fn, file, line, column, location: `${stripUrl(file)}:${line}:${column}` };
}

/** Library frames give the API name; user frames are kept until a runner's frames start. */
function userFrames(all: Iterable<Frame | undefined>): FormattedSite {
  let api = '';
  const frames: Frame[] = [];
  for (const frame of all) {
    if (frame === undefined) continue;
    if (isLibraryFile(frame.file)) {
      if (frames.length === 0) api = apiName(frame.fn);
      continue;
    }
    // past the user's code: a test runner's or node's own frames end the site
    if (frames.length > 0 && isRunnerFile(frame.file)) break;
    frames.push(frame);
  }
  return { api, frames };
}

function readSite(site: Site): FormattedSite {
  if (structured()) {
    const v8 = Error as unknown as { prepareStackTrace?: unknown };
    v8.prepareStackTrace = asCallSites;
    let sites: unknown;
    try {
      sites = site.stack;
    } finally {
      v8.prepareStackTrace = undefined;
    }
    return userFrames(Array.isArray(sites) ? (sites as CallSite[]).map(frameOf) : []);
  }
  return userFrames((site.stack ?? '').split('\n').map(parseFrame));
}

/** The exact user frames of a site (read once and kept on it), and the library call made there. */
export function formatSite(site: Site | undefined): FormattedSite {
  if (site === undefined) return { api: '', frames: [] };
  const held = site as ResolvedSite;
  if (held.resolved !== undefined) return held.resolved;
  if (held.key !== undefined) return representatives.get(held.key)!;
  const result = readSite(site);
  held.resolved = result;
  delete held.stack; // V8's frames are no longer needed
  return result;
}

/**
 * The first user frame's file:line:column. For the many sites of a leak
 * report only this key is kept on each (interned), and V8's frames are
 * dropped; the first site seen with a key keeps its frames for the group.
 */
export function siteKey(site: Site | undefined): string {
  if (site === undefined) return NO_STACK;
  const held = site as ResolvedSite;
  if (held.key !== undefined) return held.key;
  const full = held.resolved ?? readSite(site);
  const first = full.frames[0]?.location ?? NO_STACK;
  let rep = representatives.get(first);
  if (rep === undefined) {
    rep = full;
    representatives.set(first, full);
  }
  held.key = rep.frames[0]?.location ?? NO_STACK; // the interned string
  delete held.stack;
  return held.key;
}

/** "    at fn (file:line:col)" lines of the user's frames. */
export function siteLines(site: Site | undefined, indent = '    '): string {
  const { frames } = formatSite(site);
  if (frames.length === 0) return `${indent}(no stack captured)`;
  return frames.map((f) => `${indent}at ${f.fn ? `${f.fn} (${f.location})` : f.location}`).join('\n');
}
