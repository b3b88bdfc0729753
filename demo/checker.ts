// View 3: the reference checker at work on short, editable programs.
//
// A program is compiled with `new Function('CpuMap', 'log', code)`. Its
// frames have no URL: V8's text names them "eval at <caller> (<page url>),
// <anonymous>:LINE:COL", the checker's structured call sites "<anonymous>:
// LINE:COL", LINE counting the lines new Function adds above the body. The
// page measures that offset once and shows such sites as "program line N:COL".
//
// To list every reference a run made (live, retired or dropped) and to put
// what it leaked, the page watches the checker register each new reference
// handle with its FinalizationRegistry, during the run only. That adds no
// frame to the stacks the checker captures (they are taken before the
// handle exists) and exposes nothing new from the library.

import { CpuMap, CpuMapError, configure, refcheck, RefCheckError } from '../src/index.js';
import type { FormattedSite, LeakReport } from '../src/index.js';
import { h, byId, messageOf, plural } from './dom.js';
import { PROGRAMS, type Program } from './programs.js';
// the checker's own site formatting (internal): the cell table shows sites as its reports do
import { formatSite, type Site } from '../src/refcheck/sites.js';

/** The checker's record of one reference (src/refcheck/cell.ts), read-only here. */
interface CellView {
  serial: number;
  /** 0 live, 1 retired (put), 2 dropped (handle collected while live). */
  state: number;
  map: { serial: number; live: number };
  getSite?: Site;
  putSite?: Site;
}
interface Tracked { handle: CpuMap; cell: CellView }

const STATES = ['live', 'retired', 'dropped'];
const MAX_ROWS = 150;

// ---- tracking the handles a run makes ----

let tracking = false;
let tracked: Tracked[] = [];

function isCell(v: unknown): v is CellView {
  return typeof v === 'object' && v !== null && 'serial' in v && 'map' in v && 'state' in v;
}

function installTracker(): boolean {
  if (typeof FinalizationRegistry !== 'function') return false;
  const proto = FinalizationRegistry.prototype as unknown as {
    register(this: unknown, target: object, held: unknown, token?: object): void;
  };
  const register = proto.register;
  proto.register = function (target: object, held: unknown, token?: object): void {
    if (tracking && target instanceof CpuMap && isCell(held)) tracked.push({ handle: target, cell: held });
    register.call(this, target, held, token);
  };
  return true;
}

// ---- program sites ----

type ProgramFn = (cpuMap: typeof CpuMap, log: (...args: unknown[]) => void) => unknown;

function compile(code: string): ProgramFn {
  return new Function('CpuMap', 'log', code) as ProgramFn;
}

/**
 * A frame in the program, as the checker prints its location: V8's text
 * "eval at run (url:1:2), <anonymous>:LINE:COL", or "<anonymous>:LINE:COL"
 * when the checker reads V8's structured call sites. Nothing else on this
 * page runs from source without a URL.
 */
const PROGRAM_AT = /(?:eval at [^\n]*?, )?<anonymous>:(\d+):(\d+)/g;
const PROGRAM_AT_ONE = /(?:eval at .*?, )?<anonymous>:(\d+):(\d+)/;

let lineOffset: number | undefined;

/** Lines that new Function puts above the body (2 in V8), measured once. */
function bodyLineOffset(): number {
  if (lineOffset === undefined) {
    const stack = String(compile('return new Error().stack')(CpuMap, () => {}));
    const m = PROGRAM_AT_ONE.exec(stack);
    lineOffset = m ? Number(m[1]) - 1 : 2;
  }
  return lineOffset;
}

/** The program line of a raw V8 line number, if it is one. */
function programLine(raw: string | number): number | undefined {
  const line = Number(raw) - bodyLineOffset();
  return line >= 1 ? line : undefined;
}

/** The checker's text with program frames as "program line N:C" and the page's own frames left out. */
function mapSites(text: string): string {
  return text
    .replace(PROGRAM_AT, (m, raw: string, col: string) => {
      const line = programLine(raw);
      return line === undefined ? m : `program line ${line}:${col}`;
    })
    .replace(/\bat (?:eval|anonymous) \((program line \d+:\d+)\)/g, 'at $1')
    .split('\n')
    .filter((l) => !/^\s+at /.test(l) || l.includes('program line'))
    .join('\n');
}

function placeOf(location: string | undefined): { line: number; col: number } | undefined {
  const m = location === undefined ? null : PROGRAM_AT_ONE.exec(location);
  const line = m ? programLine(m[1]!) : undefined;
  return line === undefined ? undefined : { line, col: Number(m![2]) };
}

function lineOfLocation(location: string | undefined): number | undefined {
  return placeOf(location)?.line;
}

function lineOfSite(site: FormattedSite | undefined): number | undefined {
  for (const f of site?.frames ?? []) {
    const line = lineOfLocation(f.location);
    if (line !== undefined) return line;
  }
  return undefined;
}

/** Program line and library call of a site a cell holds (formatted by the checker itself, as in its reports). */
function cellSite(site: Site | undefined): { line?: number; col?: number; api: string } {
  const formatted = formatSite(site);
  for (const f of formatted.frames) {
    const place = placeOf(f.location);
    if (place !== undefined) return { ...place, api: formatted.api };
  }
  return { api: formatted.api };
}

// ---- findings ----

interface Finding {
  kind: string;
  /** The line the finding is about (the bad put, the use, the leaking site). */
  line?: number;
  /** Other lines it names (where the reference was made, put...). */
  related: number[];
  summary: string;
  text: string;
}

function fromRefCheckError(e: RefCheckError): Finding {
  const s = e.sites;
  const related = [lineOfSite(s.get), lineOfSite(s.put)].filter((l): l is number => l !== undefined);
  let line: number | undefined;
  let summary: string;
  if (e.kind === 'double-put') {
    line = lineOfSite(s.secondPut);
    summary = `reference #${e.cell} to map #${e.map} put a second time${line ? ` at program line ${line}` : ''}`;
  } else if (e.kind === 'use-after-put') {
    line = lineOfSite(s.access);
    const what = /use after put: (\S+)\(\)/.exec(e.message)?.[1];
    summary = `${what ? `${what}() through ` : ''}reference #${e.cell} after its put${line ? `, at program line ${line}` : ''}`;
  } else {
    summary = e.message.split('\n')[0]!;
  }
  return { kind: e.kind, line, related, summary, text: mapSites(e.message) };
}

function fromLeaks(report: LeakReport): Finding {
  const lines = report.groups.map((g) => lineOfLocation(g.site));
  const parts = report.groups.map((g, i) =>
    `${plural(g.count, 'reference')}${g.api ? ` made by ${g.api}` : ''}${lines[i] ? ` at program line ${lines[i]}` : ''}`);
  return {
    kind: report.groups.every((g) => g.kind === 'dropped') ? 'dropped' : 'leak',
    line: lines.find((l) => l !== undefined),
    related: lines.filter((l): l is number => l !== undefined),
    summary: `${parts.join('; ')}: never put`,
    text: mapSites(refcheck.reportText(report)),
  };
}

function fromException(e: unknown): Finding {
  const name = e instanceof CpuMapError ? `${e.name} ${e.code}` : e instanceof Error ? e.name : 'thrown value';
  const stack = e instanceof Error ? e.stack ?? '' : '';
  const frames = stack.split('\n').filter((l) => /^\s+at /.test(l)).join('\n');
  const text = mapSites(`${name}: ${messageOf(e)}${frames ? `\n${frames}` : ''}`);
  const line = lineOfLocation(stack);
  return {
    kind: 'exception', line, related: [],
    summary: `${name} thrown${line ? ` at program line ${line}` : ''}, the program stopped`,
    text,
  };
}

// ---- the view ----

export interface Checker {
  run(): void;
  select(id: string): void;
}

export function initChecker(onChange: () => void): Checker {
  const canTrack = installTracker();
  const code = byId<HTMLTextAreaElement>('code');
  const gutter = byId<HTMLPreElement>('gutter');
  const editor = code.parentElement!;
  const chips = byId('programs');
  const blurb = byId('prog-blurb');
  const mode = byId<HTMLSelectElement>('mode');
  const out = byId('check-out');
  let current: Program = PROGRAMS[0]!;
  let marks = new Map<number, string>();

  function renderGutter(): void {
    const n = code.value.split('\n').length;
    const nodes: HTMLElement[] = [];
    for (let i = 1; i <= n; i++) {
      const mark = marks.get(i);
      nodes.push(h('span', { class: mark ? `ln mark mark-${mark}` : 'ln', 'data-line': i }, String(i)));
    }
    gutter.replaceChildren(...nodes);
    // the editor grows with the program (the CSS caps it), then scrolls
    editor.style.height = `${Math.max(200, n * 20 + 36)}px`;
    gutter.scrollTop = code.scrollTop;
  }

  function select(id: string): void {
    current = PROGRAMS.find((p) => p.id === id) ?? PROGRAMS[0]!;
    for (const b of chips.querySelectorAll<HTMLElement>('[data-program]')) {
      b.setAttribute('aria-selected', String(b.dataset.program === current.id));
    }
    blurb.textContent = current.blurb;
    code.value = current.code.replace(/\n$/, '');
    code.scrollTop = 0;
    marks = new Map();
    renderGutter();
    out.replaceChildren(h('p', { class: 'muted' }, 'Run the program to see the checker\'s report.'));
    out.dataset.state = 'idle';
  }

  function goToLine(line: number): void {
    const lines = code.value.split('\n');
    let start = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i]!.length + 1;
    const end = start + (lines[line - 1]?.length ?? 0);
    code.focus();
    code.setSelectionRange(start, end);
    code.scrollTop = Math.max(0, (line - 4) * 20);
    gutter.scrollTop = code.scrollTop;
  }

  function lineButton(line: number, text: string): HTMLElement {
    return h('button', {
      type: 'button', class: 'line-link', 'data-goto': line, title: `show line ${line} in the editor`,
      onclick: () => goToLine(line),
    }, text);
  }

  /** Text with every "program line N:C" made a link to that line. */
  function linked(text: string): (Node | string)[] {
    const nodes: (Node | string)[] = [];
    const re = /program line (\d+)(:\d+)?/g;
    let last = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      nodes.push(text.slice(last, m.index));
      nodes.push(lineButton(Number(m[1]), m[0]));
      last = m.index + m[0].length;
    }
    nodes.push(text.slice(last));
    return nodes;
  }

  function findingCard(f: Finding): HTMLElement {
    return h('article', { class: `finding ${f.kind}`, 'data-kind': f.kind, 'data-line': f.line },
      h('div', { class: 'finding-head' }, h('span', { class: 'kind' }, f.kind),
        h('span', { class: 'finding-sum' }, ...linked(f.summary))),
      h('pre', null, ...linked(f.text)));
  }

  function cellTable(rows: Tracked[]): HTMLElement {
    const live = rows.filter((r) => r.cell.state === 0).length;
    const shown = rows.slice(0, MAX_ROWS);
    const site = (s: { line?: number; col?: number }): (Node | string)[] =>
      s.line === undefined ? ['–'] : [lineButton(s.line, `line ${s.line}:${s.col}`)];
    return h('section', { id: 'cells' },
      h('h3', null, `References the program made: ${rows.length.toLocaleString('en-US')}`,
        h('span', { class: 'muted', style: 'font-weight:400' }, ` (${live.toLocaleString('en-US')} still live at its end)`)),
      h('div', { class: 'tbl-wrap scroll' }, h('table', { class: 'tbl cells' },
        h('thead', null, h('tr', null, h('th', null, 'ref'), h('th', null, 'map'), h('th', null, 'state'),
          h('th', null, 'made by'), h('th', null, 'made at'), h('th', null, 'put at'))),
        h('tbody', null, shown.map(({ cell }) => {
          const made = cellSite(cell.getSite);
          const put = cellSite(cell.putSite);
          const state = STATES[cell.state] ?? String(cell.state);
          return h('tr', { 'data-serial': cell.serial, 'data-state': state },
            h('td', { class: 'mono' }, `#${cell.serial}`), h('td', { class: 'mono' }, `#${cell.map.serial}`),
            h('td', null, h('span', { class: `state ${state}` }, state)),
            h('td', { class: 'mono' }, made.api || '–'),
            h('td', { class: 'mono' }, ...site(made)),
            h('td', { class: 'mono' }, ...(cell.state === 1 ? site(put) : ['–'])));
        })))),
      rows.length > shown.length
        ? h('p', { class: 'cells-note' }, `Showing the first ${MAX_ROWS} of ${rows.length.toLocaleString('en-US')}.`)
        : null);
  }

  function run(): void {
    const source = code.value;
    const onError = mode.value === 'throw' ? 'throw' : 'report';
    configure({ refcheck: { onError } });
    const logs: string[] = [];
    const log = (...args: unknown[]): void => {
      if (logs.length < 200) logs.push(args.map((a) => (typeof a === 'string' ? a : String(a))).join(' '));
    };
    bodyLineOffset();
    const errorsBefore = refcheck.errors().length;
    const mark = refcheck.mark();
    tracked = [];
    let thrown: unknown;
    let threw = false;
    const t0 = performance.now();
    tracking = true;
    try {
      compile(source)(CpuMap, log);
    } catch (e) {
      thrown = e;
      threw = true;
    } finally {
      tracking = false;
    }
    const ms = performance.now() - t0;

    // what the checker says, as it says it
    const findings: Finding[] = refcheck.errors().slice(errorsBefore).map(fromRefCheckError);
    if (threw) findings.push(thrown instanceof RefCheckError ? fromRefCheckError(thrown) : fromException(thrown));
    const leaks = refcheck.leaksSince(mark);
    if (leaks.references > 0) findings.push(fromLeaks(leaks));

    // the cell table: the state each reference was left in
    const rows = tracked;
    const table = canTrack ? cellTable(rows) : null;

    // clean up: put what the run left live, so the next run starts fresh
    let cleaned = 0;
    configure({ refcheck: { onError: 'report' } });
    for (const { handle, cell } of rows) {
      if (cell.state === 0) {
        handle.put();
        cleaned++;
      }
    }
    tracked = [];
    let liveNow = refcheck.report().references;
    const missed = refcheck.leaksSince(mark).references;
    if (missed > 0 && missed === liveNow) {
      // live references of this run that the tracker could not reach: forget them (their maps stay allocated)
      refcheck.reset();
      liveNow = 0;
    }
    // forget the errors this run collected (nothing else is live: every other view puts at once)
    if (liveNow === 0) refcheck.reset();

    marks = new Map();
    for (const f of findings) {
      for (const l of f.related) if (!marks.has(l)) marks.set(l, 'site');
    }
    for (const f of findings) {
      if (f.line !== undefined) marks.set(f.line, f.kind === 'leak' || f.kind === 'dropped' ? 'leak' : 'error');
    }
    renderGutter();

    const bugs = findings.length;
    const status = bugs === 0
      ? h('p', { class: 'status ok' }, '✓ No reference-count bugs: every reference was put exactly once.',
        h('span', { class: 'meta' }, `ran in ${ms.toFixed(1)} ms`))
      : h('p', { class: 'status bad' }, `${plural(bugs, 'finding')}`,
        h('span', { class: 'meta' }, `${onError} mode · ran in ${ms.toFixed(1)} ms`));
    const stopped = threw && thrown instanceof RefCheckError
      ? h('p', { class: 'small muted', style: 'margin:0' },
        'throw mode: the program stopped at the first error; the references it had not put by then are listed as leaks.')
      : null;
    out.replaceChildren(
      status,
      stopped ?? '',
      ...findings.map(findingCard),
      logs.length ? h('section', null, h('h3', null, 'log'), h('pre', { class: 'log', id: 'log' }, logs.join('\n'))) : '',
      table ?? '',
      h('p', { class: 'cleanup', id: 'cleanup' }, cleaned > 0
        ? `After the run the page put the ${plural(cleaned, 'reference')} it left live, so runs stay independent. Live references now: ${liveNow}.`
        : `Nothing left to clean up. Live references now: ${liveNow}.`),
    );
    out.dataset.state = bugs === 0 ? 'clean' : 'findings';
    out.dataset.run = String(Number(out.dataset.run ?? 0) + 1);
    onChange();
  }

  for (const p of PROGRAMS) {
    chips.append(h('button', {
      type: 'button', class: 'chip', role: 'tab', 'data-program': p.id, onclick: () => select(p.id),
    }, p.title));
  }
  byId('run').addEventListener('click', run);
  byId('restore').addEventListener('click', () => select(current.id));
  code.addEventListener('input', () => { marks = new Map(); renderGutter(); });
  code.addEventListener('scroll', () => { gutter.scrollTop = code.scrollTop; });
  code.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  });
  select(current.id);
  return { run, select };
}
