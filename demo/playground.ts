// View 1: two cpu lists, what perf makes of each, and of both together.
// Every map made here is put before the update returns.

import { CpuMap, CpuMapError } from '../src/index.js';
import { h, byId, messageOf } from './dom.js';
import { describeMap, MapPanel, type MapInfo } from './mapview.js';

const PRESETS: { label: string; a: string; b: string }[] = [
  { label: 'overlap', a: '0-7,16', b: '4-11' },
  { label: 'subset', a: '2-3,6', b: '0-7' },
  { label: 'any cpu', a: '', b: '0-3' },
  { label: '4,096 cpus', a: '0-4095', b: '1024-3071,4000-4200' },
  { label: '0-32766', a: '0-32766', b: '0-31,16384-32766' },
  { label: 'parse errors', a: '0-3,9-5', b: '1,3x' },
];

type Parsed = { map: CpuMap; info: MapInfo } | { error: CpuMapError | Error };

export interface Playground {
  update(): void;
}

export function initPlayground(onChange: () => void): Playground {
  const inA = byId<HTMLInputElement>('in-a');
  const inB = byId<HTMLInputElement>('in-b');
  const strict = byId<HTMLInputElement>('strict');
  const panelA = new MapPanel(byId('map-a').querySelector<HTMLElement>('.map-body')!, 'grid of map A');
  const panelB = new MapPanel(byId('map-b').querySelector<HTMLElement>('.map-body')!, 'grid of map B');
  const panelMerge = new MapPanel(byId('res-merge').querySelector<HTMLElement>('.map-body')!, 'grid of A merged with B');
  const panelInter = new MapPanel(byId('res-intersect').querySelector<HTMLElement>('.map-body')!, 'grid of A intersected with B');
  const relations = byId('relations');
  const timing = byId('pg-timing');
  const results = byId('results');

  const presets = byId('presets');
  for (const p of PRESETS) {
    presets.append(h('button', {
      type: 'button', class: 'chip', 'data-preset': p.label,
      title: `A = ${JSON.stringify(p.a)}, B = ${JSON.stringify(p.b)}`,
      onclick: () => { inA.value = p.a; inB.value = p.b; update(); },
    }, p.label));
  }

  function parse(text: string, made: CpuMap[]): Parsed {
    try {
      const map = CpuMap.parse(text, { strict: strict.checked });
      made.push(map);
      return { map, info: describeMap(map) };
    } catch (e) {
      return { error: e instanceof Error ? e : new Error(String(e)) };
    }
  }

  function errorBlock(e: Error): HTMLElement {
    // the message holds the input on its second line and a caret under the fault on the third
    const code = e instanceof CpuMapError ? e.code : e.name;
    const [first = '', ...rest] = e.message.split('\n');
    const box = h('div', { class: 'parse-error', role: 'alert' },
      h('p', { class: 'perr-msg' }, h('span', { class: 'code' }, code), ' ', first),
      rest.length ? h('pre', { class: 'perr-caret' }, rest.slice(0, -1).join('\n'), '\n',
        h('span', { class: 'caret' }, rest[rest.length - 1]!)) : null);
    if (e instanceof CpuMapError && e.position !== undefined) box.dataset.position = String(e.position);
    return box;
  }

  function showInput(panel: MapPanel, input: HTMLInputElement, p: Parsed, extent: number): void {
    if ('error' in p) {
      input.setAttribute('aria-invalid', 'true');
      panel.showNodes('error', errorBlock(p.error));
      return;
    }
    input.removeAttribute('aria-invalid');
    const note = input.value.trim() === '' && p.info.any
      ? h('p', { class: 'note-any' }, "An empty list is libperf's any-cpu map [-1]: an event bound to a task, not to cpus.")
      : null;
    panel.showMap(p.info, extent, note);
  }

  function relation(label: string, key: string, yes: boolean): HTMLElement {
    return h('span', { class: `rel ${yes ? 'yes' : 'no'}`, 'data-rel': key, 'data-value': yes ? 'yes' : 'no' },
      `${label}: `, h('b', null, yes ? 'yes' : 'no'));
  }

  function update(): void {
    const t0 = performance.now();
    const made: CpuMap[] = [];
    try {
      const a = parse(inA.value, made);
      const b = parse(inB.value, made);
      // one extent for all four grids, so the same cpu sits in the same cell
      const extent = Math.max('map' in a ? a.info.max + 1 : 0, 'map' in b ? b.info.max + 1 : 0);
      showInput(panelA, inA, a, extent);
      showInput(panelB, inB, b, extent);
      if ('map' in a && 'map' in b) {
        results.dataset.state = 'ok';
        const merged = a.map.merge(b.map);
        made.push(merged);
        const common = a.map.intersect(b.map);
        made.push(common);
        panelMerge.showMap(describeMap(merged), extent);
        panelInter.showMap(describeMap(common), extent);
        relations.replaceChildren(
          relation('A = B', 'equal', a.map.equals(b.map)),
          relation('A ⊆ B', 'a-subset-b', a.map.isSubsetOf(b.map)),
          relation('B ⊆ A', 'b-subset-a', b.map.isSubsetOf(a.map)),
        );
      } else {
        results.dataset.state = 'waiting';
        const which = 'error' in a && 'error' in b ? 'lists A and B' : 'error' in a ? 'list A' : 'list B';
        const wait = `Fix ${which} to see the merge and the intersection.`;
        panelMerge.showNodes('waiting', h('p', { class: 'placeholder' }, wait));
        panelInter.showNodes('waiting', h('p', { class: 'placeholder' }, wait));
        relations.replaceChildren();
      }
    } catch (e) {
      // not expected: show it rather than leave a stale page
      panelMerge.showNodes('error', h('div', { class: 'parse-error' }, h('p', { class: 'perr-msg' }, messageOf(e))));
    } finally {
      for (const m of made) m.put();
    }
    const ms = performance.now() - t0;
    timing.dataset.ms = ms.toFixed(2);
    timing.textContent = `Parsed, compared and drawn in ${ms < 10 ? ms.toFixed(1) : ms.toFixed(0)} ms; ` +
      `${made.length} references made and put.`;
    onChange();
  }

  let pending = 0;
  const schedule = (): void => {
    if (pending !== 0) return;
    pending = requestAnimationFrame(() => { pending = 0; update(); });
  };
  inA.addEventListener('input', schedule);
  inB.addEventListener('input', schedule);
  strict.addEventListener('change', update);
  update();
  return { update };
}
