// View 3: the reference checker at work on short, editable programs.
//
// A program never runs on the page's thread: each run gets a fresh
// dedicated module worker (program-worker.ts, bundled by Vite), which
// imports the library itself, so it has a wasm instance and a checker of its
// own, turns checking on, runs the program and posts back plain data
// (program-protocol.ts). The page only renders it.
//
// Why a fresh worker per run: it is the simplest way to make runs
// independent (nothing a program leaked or broke survives it: no cleanup),
// and a worker stuck in `while (true) {}` is simply terminated. The next
// run's worker is started as soon as a run ends, so it has loaded the library
// (a few milliseconds) by the time the visitor runs again.
//
// The time limit: if the program has not finished TIME_LIMIT_MS after it was
// handed over, the page terminates the worker and says so; log lines written
// until then were posted as they were written, so they are still shown.
//
// The editor (code-editor.ts) keeps the visitor's edit of each program in
// localStorage (program-store.ts); a program that is not the original is
// marked as edited and loses the original's description. The last run's
// report can be copied or downloaded as text or JSON (report-export.ts).

import { h, byId, plural } from './dom.js';
import { PROGRAMS, type Program } from './programs.js';
import type { FindingData, Place, ReferenceRow, RunRequest, RunResult, WorkerMessage } from './program-protocol.js';
import { createEditor, type LineMarkSpec } from './code-editor.js';
import { loadEdit, saveEdit, forgetEdit } from './program-store.js';
import { reportText, reportJson, download, copyText, type RunRecord } from './report-export.js';
import { revealIfHidden } from './reveal.js';

/** How long a program may run. */
export const TIME_LIMIT_MS = 3000;
/** How long a worker may take to load the library before a run is given up. */
const START_LIMIT_MS = 15000;
const LIMIT_TEXT = `${TIME_LIMIT_MS / 1000} s`;

// ---- the workers ----

type Listener = (m: WorkerMessage) => void;

/** One worker, for one run. */
class ProgramWorker {
  private readonly worker = new Worker(new URL('./program-worker.ts', import.meta.url), { type: 'module' });
  /** Settles when the worker has loaded the library (and so instantiated its wasm). */
  readonly ready: Promise<void>;
  private listener: Listener | undefined;

  constructor() {
    let started!: () => void;
    let failed!: (e: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    this.ready.catch(() => {}); // a spare that fails before it is used is reported when it is used
    this.worker.addEventListener('message', (e: MessageEvent<WorkerMessage>) => {
      if (e.data.type === 'ready') started();
      else this.listener?.(e.data);
    });
    // a worker that cannot load, or an error the program throws later from a timer
    this.worker.addEventListener('error', (e: Event) => {
      e.preventDefault();
      const message = e instanceof ErrorEvent && e.message ? e.message : 'the program worker could not be started';
      failed(new Error(message));
      this.listener?.({ type: 'failed', message });
    });
    this.worker.addEventListener('messageerror', () => {
      this.listener?.({ type: 'failed', message: 'a message from the program worker could not be read' });
    });
  }

  run(request: RunRequest, listener: Listener): void {
    this.listener = listener;
    this.worker.postMessage(request);
  }

  terminate(): void {
    this.listener = undefined;
    this.worker.terminate();
  }
}

// ---- what a run ended with ----

type Outcome =
  | { end: 'done'; result: RunResult; logs: string[]; onError: string }
  | { end: 'timeout'; logs: string[] }
  | { end: 'stopped'; ms: number; logs: string[] }
  | { end: 'failed'; message: string; logs: string[] };

/** The line a finding is about (the bad put, the use, the first leaking site). */
function lineOf(f: FindingData): number | undefined {
  if (f.kind === 'leak' || f.kind === 'dropped') return f.sites.find((s) => s.at.length > 0)?.at[0]?.line;
  return f.sites[0]?.at[0]?.line;
}

/** Every line a finding names. */
function linesOf(f: FindingData): number[] {
  return f.sites.map((s) => s.at[0]?.line).filter((l): l is number => l !== undefined);
}

// ---- the view ----

export interface CheckerState {
  program: string;
  /** The program's text when it differs from the original. */
  code?: string;
  mode: 'report' | 'throw';
}

export interface Checker {
  run(): void;
  /** Stop a run under way (Esc); false when none was. */
  stop(): boolean;
  select(id: string): void;
  state(): CheckerState;
  restore(s: Partial<CheckerState>): void;
}

/** A syntax error's finding: V8 gives no line for it, the editor's JavaScript grammar finds one. */
function isSyntaxError(f: FindingData): boolean {
  return f.kind === 'exception' && /^SyntaxError\b/.test(f.message) && lineOf(f) === undefined;
}

export function initChecker(onChange: () => void): Checker {
  const chips = byId('programs');
  const blurb = byId('prog-blurb');
  const mode = byId<HTMLSelectElement>('mode');
  const runButton = byId<HTMLButtonElement>('run');
  const restoreButton = byId<HTMLButtonElement>('restore');
  const out = byId('check-out');
  let current: Program = PROGRAMS[0]!;
  /** While select() fills the editor, its change is not an edit. */
  let filling = false;
  /** The last finished run, for copy and download. */
  let lastRun: RunRecord | undefined;

  const editor = createEditor(byId('editor'), {
    label: 'Program',
    onRun: () => run(),
    onChange: (text) => {
      if (filling) return;
      saveEdit(current.id, text, original(current));
      showEdited();
      onChange();
    },
  });

  for (const el of document.querySelectorAll<HTMLElement>('[data-time-limit]')) el.textContent = LIMIT_TEXT;

  // the next run's worker, started ahead
  let spare: ProgramWorker | undefined = new ProgramWorker();
  /** The run under way: its worker, timers, when the program was handed over, and its log so far. */
  let active: { worker: ProgramWorker; timers: number[]; started: number; logs: string[] } | undefined;

  const original = (p: Program): string => p.code.replace(/\n$/, '');
  const isEdited = (): boolean => editor.text() !== original(current);

  /** Say whether the program in the editor is the original: an edited one loses the original's description. */
  function showEdited(): void {
    const edited = isEdited();
    for (const b of chips.querySelectorAll<HTMLElement>('[data-program]')) {
      const mine = b.dataset.program === current.id;
      b.dataset.edited = mine && edited ? '1' : '0';
    }
    blurb.dataset.edited = edited ? '1' : '0';
    blurb.replaceChildren(edited
      ? h('span', null, h('span', { class: 'edited-tag' }, 'edited'),
        ` You changed “${current.title}”; its description was about the original, so it is hidden. Your edit is kept in this browser.`)
      : current.blurb);
    restoreButton.disabled = !edited;
  }

  function select(id: string, text?: string): void {
    end(); // another program was picked: drop a run under way without a word
    current = PROGRAMS.find((p) => p.id === id) ?? PROGRAMS[0]!;
    for (const b of chips.querySelectorAll<HTMLElement>('[data-program]')) {
      b.setAttribute('aria-pressed', String(b.dataset.program === current.id));
    }
    filling = true;
    editor.setText(text ?? loadEdit(current.id) ?? original(current));
    filling = false;
    if (text !== undefined) saveEdit(current.id, text, original(current));
    showEdited();
    lastRun = undefined;
    out.replaceChildren(h('p', { class: 'muted' }, 'Run the program to see the checker\'s report.'));
    out.dataset.state = 'idle';
    onChange();
  }

  const goToLine = (line: number): void => editor.goToLine(line);

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

  function findingCard(f: FindingData, syntaxLine: number | undefined): HTMLElement {
    const line = isSyntaxError(f) ? syntaxLine : lineOf(f);
    const summary = isSyntaxError(f)
      ? `${f.message.split('\n')[0]}${syntaxLine !== undefined ? ` near program line ${syntaxLine}` : ''}: the program could not be compiled`
      : f.summary;
    return h('article', { class: `finding ${f.kind}`, 'data-kind': f.kind, 'data-line': line },
      h('div', { class: 'finding-head' }, h('span', { class: 'kind' }, isSyntaxError(f) ? 'syntax error' : f.kind),
        h('span', { class: 'finding-sum' }, ...linked(summary))),
      h('pre', null, ...linked(f.message)));
  }

  /** Copy and download of the last run's report. */
  function reportTools(): HTMLElement {
    const status = h('span', { class: 'small muted', role: 'status', id: 'report-status' });
    const record = (): RunRecord | undefined => lastRun;
    return h('div', { class: 'report-tools', id: 'report-tools' },
      h('button', { type: 'button', class: 'ghost small-button', id: 'copy-report', onclick: async () => {
        const r = record();
        if (r) status.textContent = (await copyText(reportText(r))) ? 'Report copied.' : 'The browser did not allow copying.';
      } }, 'Copy report'),
      h('button', { type: 'button', class: 'ghost small-button', id: 'download-text', onclick: () => {
        const r = record();
        if (r) download(`cpumap-checker-${r.program}.txt`, reportText(r), 'text/plain');
      } }, 'Download .txt'),
      h('button', { type: 'button', class: 'ghost small-button', id: 'download-json', onclick: () => {
        const r = record();
        if (r) download(`cpumap-checker-${r.program}.json`, reportJson(r), 'application/json');
      } }, 'Download .json'),
      status);
  }

  function cellTable(refs: RunResult['references']): HTMLElement {
    const site = (p: Place | undefined): (Node | string)[] =>
      p === undefined ? ['–'] : [lineButton(p.line, `line ${p.line}:${p.column}`)];
    const title = h('h3', null, `References the program made: ${refs.total.toLocaleString('en-US')}`,
      h('span', { class: 'muted', style: 'font-weight:400' }, ` (${refs.live.toLocaleString('en-US')} still live at its end)`));
    if (refs.total === 0) return h('section', { id: 'cells' }, title);
    return h('section', { id: 'cells' },
      title,
      h('div', { class: 'tbl-wrap scroll' }, h('table', { class: 'tbl cells' },
        h('thead', null, h('tr', null, h('th', null, 'ref'), h('th', null, 'map'), h('th', null, 'state'),
          h('th', null, 'made by'), h('th', null, 'made at'), h('th', null, 'put at'))),
        h('tbody', null, refs.rows.map((r: ReferenceRow) =>
          h('tr', { 'data-serial': r.serial, 'data-state': r.state },
            h('td', { class: 'mono' }, `#${r.serial}`), h('td', { class: 'mono' }, `#${r.map}`),
            h('td', null, h('span', { class: `state ${r.state}` }, r.state)),
            h('td', { class: 'mono' }, r.api || '–'),
            h('td', { class: 'mono' }, ...site(r.made)),
            h('td', { class: 'mono' }, ...(r.state === 'retired' ? site(r.put) : ['–']))))))),
      refs.total > refs.rows.length
        ? h('p', { class: 'cells-note' }, `Showing the first ${refs.rows.length} of ${refs.total.toLocaleString('en-US')}.`)
        : null);
  }

  function logSection(logs: string[]): HTMLElement | string {
    return logs.length ? h('section', null, h('h3', null, 'log'), h('pre', { class: 'log', id: 'log' }, logs.join('\n'))) : '';
  }

  function setRunning(running: boolean): void {
    runButton.textContent = running ? 'Stop' : 'Run';
    runButton.dataset.running = running ? '1' : '0';
    runButton.title = running ? 'stop the program now (its worker is terminated)' : 'run the program in a fresh worker';
  }

  /** Shown while a run takes longer than a blink: a bar that fills up to the time limit. */
  function showRunning(started: number): void {
    const elapsed = Math.max(0, performance.now() - started);
    out.replaceChildren(
      h('p', { class: 'status running' }, 'Running in a worker…',
        h('span', { class: 'meta' }, `stopped after ${LIMIT_TEXT} if it has not finished`)),
      h('div', { class: 'limit-bar', role: 'presentation' },
        h('span', { style: `animation-duration:${TIME_LIMIT_MS}ms;animation-delay:-${Math.round(elapsed)}ms` })),
    );
    out.dataset.state = 'running';
  }

  function render(o: Outcome, code: string): void {
    const marks = new Map<number, LineMarkSpec>();
    if (o.end === 'done') {
      const { result } = o;
      const syntaxLine = result.findings.some(isSyntaxError) ? editor.syntaxErrorLine() : undefined;
      for (const f of result.findings) {
        for (const l of linesOf(f)) if (!marks.has(l)) marks.set(l, { line: l, kind: 'site', title: `named by: ${f.summary}` });
      }
      for (const f of result.findings) {
        if (isSyntaxError(f)) {
          if (syntaxLine !== undefined) marks.set(syntaxLine, { line: syntaxLine, kind: 'syntax', title: f.message.split('\n')[0]! });
          continue;
        }
        const line = lineOf(f);
        if (line !== undefined) marks.set(line, { line, kind: f.kind === 'leak' || f.kind === 'dropped' ? 'leak' : 'error', title: f.summary });
      }
      lastRun = { program: current.id, edited: code !== original(current), code, onError: o.onError, result, logs: o.logs };
      const bugs = result.findings.length;
      const ran = `ran in ${result.ms.toFixed(1)} ms`;
      const status = bugs === 0
        ? h('p', { class: 'status ok' }, '✓ No reference-count bugs: every reference was put exactly once.',
          h('span', { class: 'meta' }, ran))
        : h('p', { class: 'status bad' }, plural(bugs, 'finding'), h('span', { class: 'meta' }, `${o.onError} mode · ${ran}`));
      const live = result.references.live;
      out.replaceChildren(
        status,
        result.stoppedByChecker
          ? h('p', { class: 'small muted', style: 'margin:0' },
            `${o.onError === 'throw'
              ? 'throw mode: the program stopped at the first error'
              : 'the map was already freed, so the checker threw even in report mode: the program stopped there'}; ` +
            'the references it had not put by then are listed as leaks.')
          : '',
        ...result.findings.map((f) => findingCard(f, syntaxLine)),
        logSection(o.logs),
        cellTable(result.references),
        h('p', { class: 'cleanup', id: 'cleanup' }, live > 0
          ? `The ${plural(live, 'reference')} the program left live went away with its worker: every run gets a fresh worker and WebAssembly instance, so runs are independent.`
          : 'Nothing left live. Every run gets a fresh worker and WebAssembly instance, so runs are independent.'),
        reportTools(),
      );
      out.dataset.state = bugs === 0 ? 'clean' : 'findings';
    } else if (o.end === 'timeout') {
      out.replaceChildren(
        h('p', { class: 'status bad', id: 'stopped' }, `stopped after ${LIMIT_TEXT}: the program did not finish — an infinite loop?`),
        h('p', { class: 'small muted', style: 'margin:0' },
          'The page terminated the program\'s worker, and with it everything the program held; the page itself was never blocked. ' +
          'The next run gets a fresh worker.'),
        logSection(o.logs),
      );
      out.dataset.state = 'timeout';
    } else if (o.end === 'stopped') {
      out.replaceChildren(
        h('p', { class: 'status bad', id: 'stopped' }, `stopped by you after ${(o.ms / 1000).toFixed(1)} s: the program had not finished.`),
        h('p', { class: 'small muted', style: 'margin:0' }, 'Its worker was terminated; the next run gets a fresh one.'),
        logSection(o.logs),
      );
      out.dataset.state = 'stopped';
    } else {
      out.replaceChildren(
        h('p', { class: 'status bad', id: 'stopped' }, 'The program could not be run.'),
        h('pre', { class: 'log' }, o.message),
        logSection(o.logs),
      );
      out.dataset.state = 'failed';
    }
    // the marks belong to the text that ran: an edit since then makes them stale
    editor.setMarks(editor.text() === code ? [...marks.values()] : []);
    out.dataset.run = String(Number(out.dataset.run ?? 0) + 1);
    revealIfHidden(out);
    onChange();
  }

  /** End the active run: terminate its worker and start the next run's. */
  function end(): void {
    if (active === undefined) return;
    for (const t of active.timers) clearTimeout(t);
    active.worker.terminate();
    active = undefined;
    spare = new ProgramWorker();
    setRunning(false);
  }

  function run(): void {
    if (active !== undefined) return;
    const request: RunRequest = { type: 'run', code: editor.text(), onError: mode.value === 'throw' ? 'throw' : 'report' };
    const worker = spare ?? new ProgramWorker();
    spare = undefined;
    const logs: string[] = [];
    const me = { worker, timers: [] as number[], started: performance.now(), logs };
    active = me;
    setRunning(true);
    const finish = (o: Outcome): void => {
      if (active !== me) return;
      end();
      render(o, request.code);
    };
    me.timers.push(window.setTimeout(() => finish({ end: 'failed', message: 'the program worker did not start', logs }), START_LIMIT_MS));
    worker.ready.then(() => {
      if (active !== me) return;
      me.started = performance.now();
      me.timers.push(window.setTimeout(() => finish({ end: 'timeout', logs }), TIME_LIMIT_MS));
      me.timers.push(window.setTimeout(() => { if (active === me) showRunning(me.started); }, 150));
      worker.run(request, (m) => {
        if (m.type === 'log') logs.push(m.line);
        else if (m.type === 'done') finish({ end: 'done', result: m.result, logs, onError: request.onError });
        else if (m.type === 'failed') finish({ end: 'failed', message: m.message, logs });
      });
    }, (e: unknown) => finish({ end: 'failed', message: e instanceof Error ? e.message : String(e), logs }));
  }

  function stop(): boolean {
    const me = active;
    if (me === undefined) return false;
    const ms = performance.now() - me.started;
    end();
    render({ end: 'stopped', ms, logs: me.logs }, editor.text());
    return true;
  }

  for (const p of PROGRAMS) {
    chips.append(h('button', {
      type: 'button', class: 'chip', 'aria-pressed': 'false', 'data-program': p.id, onclick: () => select(p.id),
    }, p.title, h('span', { class: 'edited-dot', title: 'edited' }, h('span', { class: 'visually-hidden' }, ' (edited)'))));
  }
  runButton.addEventListener('click', () => (active === undefined ? run() : stop()));
  restoreButton.addEventListener('click', () => {
    forgetEdit(current.id);
    select(current.id);
  });
  mode.addEventListener('change', onChange);
  select(current.id);
  return {
    run,
    stop,
    select: (id) => select(id),
    state: () => ({
      program: current.id,
      code: isEdited() ? editor.text() : undefined,
      mode: mode.value === 'throw' ? 'throw' : 'report',
    }),
    restore(st) {
      if (st.mode) mode.value = st.mode;
      if (st.program !== undefined || st.code !== undefined) select(st.program ?? current.id, st.code);
    },
  };
}
