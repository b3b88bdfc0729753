// What the page shows of one map: read everything out of a live CpuMap into
// plain data (so the map can be put at once), then render that.

import type { CpuMap } from '../src/index.js';
import { h, messageOf } from './dom.js';
import { CpuGrid } from './grid.js';

export interface MapInfo {
  /** perf's cpu list ("0-3,8"; "-1" for the any-cpu map; "" for no cpus). */
  list: string;
  nr: number;
  min: number;
  max: number;
  /** perf's hex mask, or why there is none. */
  mask?: string;
  maskWhy?: string;
  cpus: number[];
  any: boolean;
}

export function describeMap(m: CpuMap): MapInfo {
  const info: MapInfo = {
    list: m.toString(),
    nr: m.nr,
    min: m.min(),
    max: m.max(),
    cpus: m.toArray(),
    any: m.hasAnyCpu(),
  };
  try {
    info.mask = m.toMask();
  } catch (e) {
    // ENEGATIVE: "CpuMap.toMask: a map holding cpu -1 has no hex mask (...)"
    info.maskWhy = messageOf(e).replace(/^CpuMap\.toMask: /, '');
  }
  return info;
}

function row(term: string, value: Node | string, key: string): HTMLElement[] {
  return [h('dt', null, term), h('dd', { 'data-field': key }, value)];
}

/** The facts of a map as a definition list; every dd has data-field for the tests. */
export function statsList(info: MapInfo, compact = false): HTMLDListElement {
  const list = info.list === ''
    ? h('span', { class: 'muted' }, '(no cpus)')
    : h('span', { class: 'longtext', 'data-value': info.list }, info.list);
  const mask = info.mask !== undefined
    ? h('span', { class: 'longtext', 'data-value': info.mask }, info.mask)
    : h('span', { class: 'why' }, `none: ${info.maskWhy ?? ''}`);
  const realCpus = info.nr - (info.any ? 1 : 0);
  const count = info.any
    ? `${info.nr.toLocaleString('en-US')} entr${info.nr === 1 ? 'y' : 'ies'} (${realCpus.toLocaleString('en-US')} cpus + any)`
    : info.nr.toLocaleString('en-US');
  const head = [
    row('list', list, 'list'),
    row('cpus', h('span', { class: 'val', 'data-value': String(info.nr) }, count), 'nr'),
  ];
  if (compact) return h('dl', { class: 'stats' }, head);
  return h('dl', { class: 'stats' },
    head,
    row('min / max', h('span', { class: 'val' },
      h('span', { 'data-field': 'min' }, info.nr === 0 ? '–' : String(info.min)), ' / ',
      h('span', { 'data-field': 'max' }, info.nr === 0 ? '–' : String(info.max))), 'minmax'),
    row('hex mask', mask, 'mask'),
  );
}

/** A map body that keeps its grid (one canvas) across updates. */
export class MapPanel {
  readonly grid: CpuGrid;
  constructor(readonly body: HTMLElement, label: string) {
    this.grid = new CpuGrid(label);
  }

  showMap(info: MapInfo, extent: number, extra?: Node | null): void {
    this.body.dataset.state = 'map';
    this.body.replaceChildren(...[extra, statsList(info), this.grid.el].filter((n): n is Node => n != null));
    this.grid.show(info.cpus, extent);
  }

  showNodes(state: string, ...nodes: Node[]): void {
    this.body.dataset.state = state;
    this.body.replaceChildren(...nodes);
  }
}
