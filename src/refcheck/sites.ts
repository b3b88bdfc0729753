// Call sites: captured when a reference is made or put, formatted only
// when a report (or an event listener) needs them.
//
// Error.captureStackTrace stores V8's raw frames on a holder object and
// formats them on the first read of `.stack`, through whatever
// Error.prepareStackTrace is installed (vitest's and node's source maps
// included), so a report names the user's source file:line:column. The
// holder is a plain object: it never points back at a map handle.

/** A captured site; `stack` is formatted by V8 on first read. */
export interface Site {
  stack?: string;
  /** The library call made there when the stack cannot name it (a disposal). */
  api?: string;
  /** The call the capture was cut at, named when no library frame is left to name it. */
  entry?: string;
}

/** One formatted frame of a site. */
export interface Frame {
  /** The function, as V8 names it ("" for anonymous code). */
  fn: string;
  /** file:line:column (the file as a path when it is a file: URL). */
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

/** What a put by `[Symbol.dispose]` is called in reports; its site is the `using` declaration (or the direct call). */
export const DISPOSE_API = 'disposal of the `using` declaration ([Symbol.dispose])';

/** V8's stack API (Node, Chromium); elsewhere sites are simply not captured. */
const V8Error = Error as unknown as {
  captureStackTrace?(holder: object, above?: Function): void;
  stackTraceLimit: number;
};

let depth = 4;
let putDepth = 1;
/** Library frames that may sit between the user and a capture where a reference is made (libperf's are the deepest). */
const SLACK = 2;
/** ... and where one is put (libperf's put and merge call the handle's put). */
const PUT_SLACK = 1;
/** Error paths are rare: their sites keep more frames, whatever the settings. */
const ERROR_FRAMES = 12;

export function setStackDepth(frames: number, putFrames = Math.min(frames, 1)): void {
  depth = Math.max(0, Math.floor(frames));
  putDepth = Math.max(0, Math.floor(putFrames));
}
export function stackDepth(): number {
  return depth;
}

function capture(above: Function, frames: number): Site {
  const holder: Site = {};
  const limit = V8Error.stackTraceLimit;
  V8Error.stackTraceLimit = frames;
  V8Error.captureStackTrace!(holder, above);
  V8Error.stackTraceLimit = limit;
  return holder;
}

const canCapture = V8Error.captureStackTrace !== undefined;

/**
 * The site of a new reference, cut at `above` (the checker's entry point:
 * it and what it called are not user code): `stackDepth` user frames. A
 * capture is nearly all of a checked get's price: one to several
 * microseconds in V8, most of it fixed (V8 summarises the caller's frame,
 * which costs most when it is optimized code), so fewer frames save little
 * and only fewer captures save much (bench/refcheck/).
 */
export function captureSite(above: Function): Site | undefined {
  return depth === 0 || !canCapture ? undefined : capture(above, depth + SLACK);
}

/** Frames a compiler's `using` helpers may add between the user and a disposal. */
const USING_SLACK = 3;

/** The site of a put: `putStackDepth` user frames. */
export function capturePutSite(above: Function, api: string | undefined): Site | undefined {
  if (putDepth === 0 || !canCapture) return undefined;
  const site = capture(above, putDepth + (api === DISPOSE_API ? USING_SLACK : PUT_SLACK));
  if (api !== undefined) site.api = api;
  else site.entry = PUT_API;
  return site;
}

/** The site of a double put or a use after put: taken on the error path, with more frames. */
export function captureErrorSite(above: Function, api?: string, entry?: string): Site | undefined {
  if (!canCapture) return undefined;
  const site = capture(above, ERROR_FRAMES);
  if (api !== undefined) site.api = api;
  if (entry !== undefined) site.entry = entry;
  return site;
}

/** What a put made by the user's own put() call is named. */
export const PUT_API = 'CpuMap.put';

// ---- formatting ----

/**
 * Files whose frames are the library's own: this folder's parent (src/ or
 * dist/), and its sibling src/ or dist/ (source maps take dist/'s frames
 * back to src/).
 */
const libraryRoots = ((): string[] => {
  const here = stripUrl(import.meta.url ?? ''); // a script bundle (iife) has no import.meta.url
  const cut = here.lastIndexOf('/refcheck/');
  // bundled (a demo page): the bundle is one file; judge frames by that file
  if (cut < 0) return [here];
  const root = here.slice(0, cut + 1);
  const twin = /\/(src|dist)\/$/.exec(root);
  return twin === null ? [root] : [root, `${root.slice(0, -twin[0].length)}/${twin[1] === 'src' ? 'dist' : 'src'}/`];
})();

function stripUrl(file: string): string {
  let f = file;
  if (f.startsWith('file://')) f = decodeURIComponent(f.slice(7));
  const q = f.search(/[?#]/);
  return q >= 0 ? f.slice(0, q) : f;
}

/** A file: URL as its path; any other name as it is. */
function fileName(file: string): string {
  return file.startsWith('file://') ? stripUrl(file) : file;
}

export function isLibraryFile(file: string): boolean {
  const f = stripUrl(file);
  for (const root of libraryRoots) {
    if (f === root || (root.endsWith('/') && f.startsWith(root))) return true;
  }
  return false;
}

function isRunnerFile(file: string): boolean {
  return file.startsWith('node:') || file.includes('/node_modules/');
}

/** Engine built-ins (JSON.stringify, Array.from...): no file of their own. */
function isBuiltin(frame: Frame): boolean {
  return frame.line === 0 || frame.file === '<anonymous>' || frame.file === 'native';
}

/**
 * Frames of a compiler's `using` lowering between the user's code and a
 * disposal: TypeScript's inline __addDisposableResource / __disposeResources
 * (and its inner next()), and the runtime helpers of oxc, Babel and tslib.
 */
const USING_HELPER = /^(?:__addDisposableResource|__disposeResources|next)$/;
const HELPER_FILE = /[/\\][^/\\]?(?:@oxc-project[+/]runtime|@babel[+/]runtime|tslib)[@/\\]/;

function isUsingHelper(frame: Frame): boolean {
  return USING_HELPER.test(frame.fn) || HELPER_FILE.test(frame.file);
}

/** Frames of the event loop between an async function's resumption and its awaiting callers. */
function isTaskQueue(frame: Frame): boolean {
  return frame.file.startsWith('node:internal/process/task_queues');
}

/** "CheckedCpuMap.get nr [as nr]" -> "CpuMap.nr"; "Function.parse" -> "CpuMap.parse". */
function apiName(fn: string): string {
  return fn
    .replace(/ \[as [^\]]*\]$/, '')
    .replace(/^(?:Checked)?CpuMap\.(?:prototype\.)?(?:get |set )?/, 'CpuMap.')
    .replace(/^Function\./, 'CpuMap.')
    .replace(/^(?:Module|Object)\./, '');
}

// "    at fn (file:line:col)", "    at file:line:col", "    at async fn (file:line:col)", "    at async file:line:col"
const FRAME = /^\s*at (?:async )?(?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

function parseFrame(line: string): Frame | undefined {
  const m = FRAME.exec(line);
  if (m === null) {
    // a built-in: "    at JSON.stringify (<anonymous>)"
    const b = /^\s*at (?:async )?(.*?) \((?:<anonymous>|native)\)$/.exec(line);
    return b === null ? undefined : { fn: b[1]!, file: '<anonymous>', line: 0, column: 0, location: '<anonymous>' };
  }
  const file = fileName(m[2]!);
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
  /** Its whole stack as one string (interned), once read for a report. */
  key?: string;
}

/**
 * One formatted site per distinct stack: what a leak group shows. Bounded by
 * the number of distinct paths through the code that make references.
 */
const representatives = new Map<string, { key: string; site: FormattedSite }>();
export const NO_STACK = '(no stack: stackDepth is 0)';

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
  if (line === 0) return { fn, file: '<anonymous>', line: 0, column: 0, location: '<anonymous>' };
  return { fn, file: fileName(file), line, column, location: `${stripUrl(file)}:${line}:${column}` };
}

/**
 * The user's frames of a captured stack. Before the first of them come the
 * library's frames (the last one names the API call), engine built-ins (a
 * JSON.stringify that called toJSON), a compiler's `using` helpers for a
 * disposal, and packages' frames (node_modules) that called the library on
 * the user's behalf: all skipped. After the user's frames, a test runner's
 * or Node's own frames end the site.
 */
function userFrames(all: Iterable<Frame | undefined>, api: string | undefined, entry = ''): FormattedSite {
  let libraryApi = '';
  let via = '';
  const frames: Frame[] = [];
  const packages: Frame[] = [];
  for (const frame of all) {
    if (frame === undefined) continue;
    if (frames.length === 0) {
      if (isLibraryFile(frame.file)) {
        libraryApi = apiName(frame.fn);
        continue;
      }
      if (isBuiltin(frame)) {
        if (via === '') via = frame.fn;
        continue;
      }
      if (api === DISPOSE_API && isUsingHelper(frame)) continue;
      if (isRunnerFile(frame.file)) {
        packages.push(frame);
        continue;
      }
    } else if (isTaskQueue(frame)) {
      continue; // `at async caller` frames follow
    } else if (isRunnerFile(frame.file)) {
      break;
    }
    frames.push(frame);
  }
  const named = api ?? (via !== '' && libraryApi !== '' ? `${libraryApi} (called by ${via})` : libraryApi || entry);
  return { api: named, frames: frames.length > 0 ? frames : packages };
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
    return userFrames(Array.isArray(sites) ? (sites as CallSite[]).map(frameOf) : [], site.api, site.entry);
  }
  return userFrames((site.stack ?? '').split('\n').map(parseFrame), site.api, site.entry);
}

/** The exact user frames of a site (read once and kept on it), and the library call made there. */
export function formatSite(site: Site | undefined): FormattedSite {
  if (site === undefined) return { api: '', frames: [] };
  const held = site as ResolvedSite;
  if (held.resolved !== undefined) return held.resolved;
  if (held.key !== undefined) return representatives.get(held.key)!.site;
  const result = readSite(site);
  held.resolved = result;
  delete held.stack; // V8's frames are no longer needed
  return result;
}

function keyOf(site: FormattedSite): string {
  if (site.frames.length === 0) return `${site.api} ${NO_STACK}`;
  let key = site.api;
  for (const f of site.frames) key += ` ${f.fn}@${f.location}`;
  return key;
}

/**
 * The site's whole stack (and API) as one interned string: references made
 * along the same path share it, and a leak group is one key. For the many
 * sites of a leak report only this key is kept on each, and V8's frames are
 * dropped; the first site seen with a key keeps its frames for the group.
 */
export function stackKey(site: Site | undefined): string {
  if (site === undefined) return NO_STACK;
  const held = site as ResolvedSite;
  if (held.key !== undefined) return held.key;
  const full = held.resolved ?? readSite(site);
  const key = keyOf(full);
  let rep = representatives.get(key);
  if (rep === undefined) {
    rep = { key, site: full };
    representatives.set(key, rep);
  }
  held.key = rep.key;
  held.resolved = undefined;
  delete held.stack;
  return rep.key;
}

/** "    at fn (file:line:col)" lines of the user's frames. */
export function siteLines(site: Site | undefined, indent = '    '): string {
  return frameLines(formatSite(site).frames, indent);
}

/** "    at fn (file:line:col)" lines of frames. */
export function frameLines(frames: readonly Frame[], indent = '    '): string {
  if (frames.length === 0) return `${indent}(no stack captured)`;
  return frames.map((f) => `${indent}at ${f.fn ? `${f.fn} (${f.location})` : f.location}`).join('\n');
}

/** The first user frame's file:line:column ("" when none was captured). */
export function siteLocation(site: Site | undefined): string {
  return formatSite(site).frames[0]?.location ?? NO_STACK;
}
