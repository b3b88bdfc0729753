// The checker view's program runner: a dedicated module worker (bundled by
// Vite from `new Worker(new URL('./program-worker.ts', import.meta.url), …)`
// in checker.ts). The page uses one fresh worker per run and terminates it
// afterwards, or after the time limit when the program does not finish.
//
// The worker imports the library itself, so it has a wasm instance and a
// reference checker of its own: nothing a program does reaches the page's
// instance. It turns checking on before any map is made, runs the program,
// and posts back plain data only (protocol: program-protocol.ts).
//
// Program lines. The program is compiled with
// `new Function('CpuMap', 'log', code + '\n//# sourceURL=program.js')`:
// V8 names its frames "program.js:LINE:COL", LINE counting the lines
// new Function puts above the body ("function anonymous(CpuMap,log\n) {\n",
// two in V8). The worker measures that offset once, at start, and reports
// every site as a program line (line 1 = the editor's first line; columns
// need no change: the wrapper only adds whole lines).
//
// The table of references comes from the checker's public event API:
// refcheck.subscribe() tells every get and put (with its site, formatted as
// in the reports) and every dropped handle. Nothing else runs in this worker,
// so every reference is the program's; the worker keeps rows for the first
// MAX_ROWS references, and counts the rest.

import { CpuMap, CpuMapError, configure, refcheck, RefCheckError } from '../src/index.js';
import type { Frame, FormattedSite, LeakReport, RefcheckEvent } from '../src/index.js';
import {
  MAX_LOG_LINES, MAX_ROWS,
  type FindingData, type Place, type ReferenceRow, type RunRequest, type RunResult, type SiteData, type WorkerMessage,
} from './program-protocol.js';

const scope = self as unknown as {
  postMessage(message: WorkerMessage): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<RunRequest>) => void): void;
};
const post = (m: WorkerMessage): void => scope.postMessage(m);

// ---- compiling a program, and its lines ----

/** The name V8 gives the program's frames. */
const PROGRAM_FILE = 'program.js';

type ProgramFn = (cpuMap: typeof CpuMap, log: (...args: unknown[]) => void) => unknown;

function compile(code: string): ProgramFn {
  // the new line ends a last line that is a // comment
  return new Function('CpuMap', 'log', `${code}\n//# sourceURL=${PROGRAM_FILE}`) as ProgramFn;
}

/** "program.js:LINE:COL" in a stack's text, not as the end of a longer name. */
const AT_PROGRAM = /(?<![\w./-])program\.js:(\d+):(\d+)/g;
const AT_PROGRAM_ONE = /(?<![\w./-])program\.js:(\d+):(\d+)/;

/** Lines new Function puts above the body (2 in V8), measured once. */
const LINE_OFFSET = ((): number => {
  const m = AT_PROGRAM_ONE.exec(String(compile('return new Error().stack')(CpuMap, () => {})));
  return m ? Number(m[1]) - 1 : 2;
})();

function programLine(raw: string | number): number | undefined {
  const line = Number(raw) - LINE_OFFSET;
  return line >= 1 ? line : undefined;
}

/** V8 names the body of a new Function "eval" (or "anonymous"): that is the program's top level. */
function functionName(fn: string): string {
  return fn === 'eval' || fn === 'anonymous' ? '' : fn;
}

/** The program's frames of a site the checker formatted. */
function placesOf(frames: readonly Frame[] | undefined): Place[] {
  const places: Place[] = [];
  for (const f of frames ?? []) {
    if (f.file !== PROGRAM_FILE) continue;
    const line = programLine(f.line);
    if (line !== undefined) places.push({ line, column: f.column, fn: functionName(f.fn) });
  }
  return places;
}

/** The program's frames in a stack's text (a thrown exception). */
function placesInStack(stack: string): Place[] {
  const places: Place[] = [];
  for (const text of stack.split('\n')) {
    if (!/^\s+at /.test(text)) continue;
    const m = AT_PROGRAM_ONE.exec(text);
    const line = m ? programLine(m[1]!) : undefined;
    if (line === undefined) continue;
    const fn = /^\s+at (\S+) \(/.exec(text)?.[1] ?? '';
    places.push({ line, column: Number(m![2]), fn: functionName(fn) });
  }
  return places;
}

/** A text with program frames as "program line N:C", and every other frame left out. */
function mapText(text: string): string {
  return text
    .replace(AT_PROGRAM, (m, raw: string, col: string) => {
      const line = programLine(raw);
      return line === undefined ? m : `program line ${line}:${col}`;
    })
    .replace(/\bat (?:eval|anonymous) \((program line \d+:\d+)\)/g, 'at $1')
    .split('\n')
    .filter((l) => !/^\s+at /.test(l) || l.includes('program line'))
    .join('\n');
}

function site(role: string, formatted: FormattedSite | undefined): SiteData {
  return { role, api: formatted?.api ?? '', at: placesOf(formatted?.frames) };
}

const at = (s: SiteData | undefined, sep = ' '): string =>
  s?.at[0] ? `${sep}at program line ${s.at[0].line}` : '';

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : `${word}s`}`;
}

// ---- findings ----

function fromRefCheckError(e: RefCheckError): FindingData {
  const s = e.sites;
  if (e.kind === 'double-put') {
    const second = site('second put', s.secondPut);
    return {
      kind: e.kind,
      summary: `reference #${e.cell} to map #${e.map} put a second time${at(second)}`,
      message: mapText(e.message),
      sites: [second, site('reference made', s.get), site('first put', s.put)],
    };
  }
  if (e.kind === 'use-after-put') {
    const what = /use after put: (\S+)\(\)/.exec(e.message)?.[1];
    const access = site(what ? `${what}() called` : 'used', s.access);
    return {
      kind: e.kind,
      summary: `${what ? `${what}() through ` : ''}reference #${e.cell} after its put${at(access, ', ')}`,
      message: mapText(e.message),
      sites: [access, site('reference made', s.get), site('put', s.put)],
    };
  }
  const kind = e.kind === 'leak' || e.kind === 'dropped' || e.kind === 'mismatch' ? e.kind : 'exception';
  return { kind, summary: e.message.split('\n')[0]!, message: mapText(e.message), sites: [] };
}

function fromLeaks(report: LeakReport, text: string): FindingData {
  const sites: SiteData[] = report.groups.map((g) => ({
    role: g.kind === 'dropped' ? 'dropped' : 'leaked', api: g.api, at: placesOf(g.stack), count: g.count,
  }));
  const parts = sites.map((s) => `${plural(s.count ?? 0, 'reference')}${s.api ? ` made by ${s.api}` : ''}${at(s)}`);
  return {
    kind: report.groups.every((g) => g.kind === 'dropped') ? 'dropped' : 'leak',
    summary: `${parts.join('; ')}: never put`,
    message: text,
    sites,
  };
}

function fromException(e: unknown): FindingData {
  const name = e instanceof CpuMapError ? `${e.name} ${e.code}` : e instanceof Error ? e.name : 'thrown value';
  const stack = e instanceof Error ? e.stack ?? '' : '';
  const message = e instanceof Error ? e.message : String(e);
  const frames = stack.split('\n').filter((l) => /^\s+at /.test(l)).join('\n');
  const thrown: SiteData = { role: 'thrown', api: '', at: placesInStack(stack) };
  return {
    kind: 'exception',
    summary: `${name} thrown${at(thrown)}, the program stopped`,
    message: mapText(`${name}: ${message}${frames ? `\n${frames}` : ''}`),
    sites: [thrown],
  };
}

// ---- the references the program makes (see the top of the file) ----

const rows: ReferenceRow[] = [];
const rowOf = new Map<number, ReferenceRow>();
let cellsMade = 0;

function onEvent(e: RefcheckEvent): void {
  if (e.type === 'get') {
    if (cellsMade++ >= MAX_ROWS) return;
    const row: ReferenceRow = { serial: e.serial, map: e.map, state: 'live', api: e.site?.api ?? '', made: placesOf(e.site?.frames)[0] };
    rows.push(row);
    rowOf.set(e.serial, row);
    return;
  }
  const row = rowOf.get(e.serial);
  if (row === undefined) return;
  if (e.type === 'put') {
    row.state = 'retired';
    row.put = placesOf(e.site?.frames)[0];
  } else if (e.type === 'dropped') {
    row.state = 'dropped';
  }
}

// ---- a run ----

function run(request: RunRequest): RunResult {
  // checking is decided when the first map is made: this worker has made none
  configure({ refcheck: { onError: request.onError, leaksAtExit: false } });
  refcheck.subscribe(onEvent);
  let lines = 0;
  const log = (...args: unknown[]): void => {
    if (lines++ < MAX_LOG_LINES) post({ type: 'log', line: args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ') });
  };
  const mark = refcheck.mark();
  let thrown: unknown;
  let threw = false;
  const t0 = performance.now();
  try {
    compile(request.code)(CpuMap, log);
  } catch (e) {
    thrown = e;
    threw = true;
  }
  const ms = performance.now() - t0;

  const findings = refcheck.errors().map(fromRefCheckError);
  if (threw) findings.push(thrown instanceof RefCheckError ? fromRefCheckError(thrown) : fromException(thrown));
  const leaks = refcheck.leaksSince(mark);
  const report = leaks.references > 0 ? mapText(refcheck.reportText(leaks)) : '';
  if (leaks.references > 0) findings.push(fromLeaks(leaks, report));
  const live = leaks.groups.filter((g) => g.kind === 'leak').reduce((n, g) => n + g.count, 0);

  return {
    stoppedByChecker: threw && thrown instanceof RefCheckError,
    ms,
    findings,
    report,
    references: { total: cellsMade, live, rows },
  };
}

let used = false;
scope.addEventListener('message', (e) => {
  if (e.data?.type !== 'run') return;
  if (used) {
    post({ type: 'failed', message: 'this worker has already run a program (the page starts a fresh one per run)' });
    return;
  }
  used = true;
  try {
    post({ type: 'done', result: run(e.data) });
  } catch (err) {
    post({ type: 'failed', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
});
post({ type: 'ready' });
