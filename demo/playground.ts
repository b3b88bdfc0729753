// View 1: two cpu lists, what perf makes of each, and of both together.
//
// Parsing, the set operations and the explanation of each list run in a
// worker (playground-worker.ts), so a keystroke in a list of 10,000 cpus
// costs the page only the drawing of the answer. One request is in flight
// at a time; keystrokes typed meanwhile are folded into the next request.
// Each drawing of an answer is measured (performance.measure 'pg-render').

import { h, byId, plural } from './dom.js';
import { createListField, type ListField } from './list-field.js';
import { MapPanel } from './mapview.js';
import { hint, panel } from './explain-view.js';
import type { ListError, ListResult, ListsResult, PlaygroundMessage } from './playground-protocol.js';

const PRESETS: { label: string; a: string; b: string }[] = [
  { label: 'overlap', a: '0-7,16', b: '4-11' },
  { label: 'subset', a: '2-3,6', b: '0-7' },
  { label: 'any cpu', a: '', b: '0-3' },
  { label: 'lenient reading', a: '0-,1,,2', b: '010,0x10' },
  { label: '4,096 cpus', a: '0-4095', b: '1024-3071,4000-4200' },
  { label: '0-32766', a: '0-32766', b: '0-31,16384-32766' },
  { label: 'parse errors', a: '0-3,9-5', b: '1,3x' },
];

export interface PlaygroundState {
  a: string;
  b: string;
  strict: boolean;
}

export interface Playground {
  state(): PlaygroundState;
  restore(s: Partial<PlaygroundState>): void;
  /** The worker's references: live now, and made so far. */
  refs(): { live: number; total: number };
}

export function initPlayground(onChange: () => void): Playground {
  const field = (k: string): ListField => {
    const host = byId(`field-${k}`);
    return createListField(host, { id: `in-${k}`, labelledBy: `label-${k}`, initial: host.dataset.initial ?? '', onChange: send });
  };
  const inA = field('a');
  const inB = field('b');
  const strict = byId<HTMLInputElement>('strict');
  const panelA = new MapPanel(byId('map-a').querySelector<HTMLElement>('.map-body')!, 'grid of map A');
  const panelB = new MapPanel(byId('map-b').querySelector<HTMLElement>('.map-body')!, 'grid of map B');
  const panelMerge = new MapPanel(byId('res-merge').querySelector<HTMLElement>('.map-body')!, 'grid of A merged with B');
  const panelInter = new MapPanel(byId('res-intersect').querySelector<HTMLElement>('.map-body')!, 'grid of A intersected with B');
  const explainA = byId('explain-a');
  const explainB = byId('explain-b');
  const relations = byId('relations');
  const timing = byId('pg-timing');
  const results = byId('results');
  let refs = { live: 0, total: 0 };

  const presets = byId('presets');
  for (const p of PRESETS) {
    presets.append(h('button', {
      type: 'button', class: 'chip', 'data-preset': p.label,
      title: `A = ${JSON.stringify(p.a)}, B = ${JSON.stringify(p.b)}`,
      onclick: () => { inA.setText(p.a); inB.setText(p.b); },
    }, p.label));
  }

  function errorBlock(e: ListError): HTMLElement {
    // the message holds the input on its second line and a caret under the fault on the third
    const [first = '', ...rest] = e.message.split('\n');
    const box = h('div', { class: 'parse-error', role: 'alert' },
      h('p', { class: 'perr-msg' }, h('span', { class: 'code' }, e.code), ' ', first),
      rest.length ? h('pre', { class: 'perr-caret' }, rest.slice(0, -1).join('\n'), '\n',
        h('span', { class: 'caret' }, rest[rest.length - 1]!)) : null);
    if (e.position !== undefined) box.dataset.position = String(e.position);
    return box;
  }

  /** What each side showed last: a side whose text and answer did not change is not drawn again. */
  const lastShown = new Map<string, string>();

  function showInput(panel_: MapPanel, input: ListField, slot: HTMLElement, text: string, r: ListResult, extent: number, key: string): void {
    const signature = `${strict.checked}|${extent}|${text}`;
    if (lastShown.get(key) === signature) return;
    lastShown.set(key, signature);
    const wasOpen = slot.querySelector<HTMLDetailsElement>('details')?.open ?? false;
    const details = panel(r.explain, text, `explain-${key}`, wasOpen);
    slot.replaceChildren(...[hint(r.explain, text), details].filter((n): n is HTMLElement => n !== null));
    input.setInvalid(r.error !== undefined);
    if (r.error) {
      panel_.showNodes('error', errorBlock(r.error));
      return;
    }
    const info = r.map!;
    const note = text.trim() === '' && info.any
      ? h('p', { class: 'note-any' }, "An empty list is libperf's any-cpu map [-1]: an event bound to a task, not to cpus.")
      : null;
    panel_.showMap(info, extent, note);
  }

  function relation(label: string, key: string, yes: boolean): HTMLElement {
    return h('span', { class: `rel ${yes ? 'yes' : 'no'}`, 'data-rel': key, 'data-value': yes ? 'yes' : 'no' },
      `${label}: `, h('b', null, yes ? 'yes' : 'no'));
  }

  function render(r: ListsResult, sent: { a: string; b: string }): void {
    const t0 = performance.now();
    const a = r.a.map;
    const b = r.b.map;
    // one extent for all four grids, so the same cpu sits in the same cell
    const extent = Math.max(a ? a.max + 1 : 0, b ? b.max + 1 : 0);
    showInput(panelA, inA, explainA, sent.a, r.a, extent, 'a');
    showInput(panelB, inB, explainB, sent.b, r.b, extent, 'b');
    if (r.merge && r.intersect && r.relations) {
      results.dataset.state = 'ok';
      panelMerge.showMap(r.merge, extent);
      panelInter.showMap(r.intersect, extent);
      relations.replaceChildren(
        relation('A = B', 'equal', r.relations.equal),
        relation('A ⊆ B', 'a-subset-b', r.relations.aSubsetB),
        relation('B ⊆ A', 'b-subset-a', r.relations.bSubsetA),
      );
    } else {
      results.dataset.state = 'waiting';
      const which = r.a.error && r.b.error ? 'lists A and B' : r.a.error ? 'list A' : 'list B';
      const wait = `Fix ${which} to see the merge and the intersection.`;
      panelMerge.showNodes('waiting', h('p', { class: 'placeholder' }, wait));
      panelInter.showNodes('waiting', h('p', { class: 'placeholder' }, wait));
      relations.replaceChildren();
    }
    const drawn = performance.now() - t0;
    performance.measure('pg-render', { start: t0, end: t0 + drawn });
    timing.dataset.ms = r.ms.toFixed(2);
    timing.dataset.renderMs = drawn.toFixed(2);
    const f = (ms: number): string => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
    timing.textContent = `Parsed, compared and explained in ${f(r.ms)} ms in a worker; ` +
      `${plural(r.made, 'reference')} made and put.`;
    results.dataset.seq = String(r.seq);
  }

  // ---- the worker, one request at a time ----

  const worker = new Worker(new URL('./playground-worker.ts', import.meta.url), { type: 'module' });
  let seq = 0;
  let inFlight: { a: string; b: string } | undefined;
  let dirty = false;
  const ready = new Promise<void>((resolve) => {
    worker.addEventListener('message', (e: MessageEvent<PlaygroundMessage>) => {
      if (e.data.type === 'ready') { resolve(); return; }
      const sent = inFlight!;
      inFlight = undefined;
      refs = e.data.result.refs;
      render(e.data.result, sent);
      if (dirty) send();
      else onChange();
    });
  });

  function send(): void {
    if (inFlight) { dirty = true; return; }
    dirty = false;
    const request = { seq: ++seq, a: inA.text(), b: inB.text(), strict: strict.checked };
    inFlight = request;
    void ready.then(() => worker.postMessage(request));
  }

  strict.addEventListener('change', send);
  send();

  return {
    state: () => ({ a: inA.text(), b: inB.text(), strict: strict.checked }),
    restore(s) {
      if (s.a !== undefined) inA.setText(s.a);
      if (s.b !== undefined) inB.setText(s.b);
      if (s.strict !== undefined) strict.checked = s.strict;
      send();
    },
    refs: () => refs,
  };
}
