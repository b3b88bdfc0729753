// What the page shows of one map (demo/map-info.ts reads it out of a CpuMap):
// its facts as a definition list, and its grid.

import { h, plural } from './dom.js';
import { CpuGrid } from './grid.js';
import type { MapInfo } from './map-info.js';

/** Longest list or mask drawn in full; longer ones are cut (drawing 54 KB of text on every keystroke costs frames). */
const SHOWN_TEXT_MAX = 300;

function row(term: string, value: Node | string, key: string): HTMLElement[] {
  return [h('dt', null, term), h('dd', { 'data-field': key }, value)];
}

/** A long list or mask: in full when short, else its start and how long it is. */
function longText(text: string): HTMLElement {
  if (text.length <= SHOWN_TEXT_MAX) return h('span', { class: 'longtext', 'data-value': text }, text);
  return h('span', { class: 'longtext', 'data-length': text.length },
    text.slice(0, SHOWN_TEXT_MAX), h('span', { class: 'muted' }, ` … (${text.length.toLocaleString('en-US')} characters in all)`));
}

/** The facts of a map as a definition list; every dd has data-field for the tests. */
export function statsList(info: MapInfo, compact = false): HTMLDListElement {
  const list = info.list === '' ? h('span', { class: 'muted' }, '(no cpus)') : longText(info.list);
  const mask = info.mask !== undefined ? longText(info.mask) : h('span', { class: 'why' }, `none: ${info.maskWhy ?? ''}`);
  const realCpus = info.nr - (info.any ? 1 : 0);
  const count = info.any
    ? `${plural(info.nr, 'entry', 'entries')} (${plural(realCpus, 'cpu')} + any)`
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

/**
 * A map body that keeps its grid (one canvas) across updates. A new map
 * replaces the facts beside the grid and leaves the grid where it is: a
 * canvas taken out and put back is laid out and painted anew.
 */
export class MapPanel {
  readonly grid: CpuGrid;
  /** What showMap() drew last: the same map again is not drawn again. */
  private shown = '';
  private stats: HTMLElement | undefined;
  private extra: Node | undefined;

  constructor(readonly body: HTMLElement, label: string) {
    this.grid = new CpuGrid(label);
  }

  showMap(info: MapInfo, extent: number, extra?: Node | null): void {
    const key = `${extent}|${info.nr}|${extra ? 1 : 0}|${info.list}`;
    const showing = this.body.dataset.state === 'map' && this.stats?.parentNode === this.body;
    if (showing && key === this.shown) return;
    this.shown = key;
    const stats = statsList(info);
    if (showing) {
      this.stats!.replaceWith(stats);
      if (this.extra && extra) this.extra.parentNode?.replaceChild(extra, this.extra);
      else if (extra) this.body.prepend(extra);
      else this.extra?.parentNode?.removeChild(this.extra);
    } else {
      this.body.dataset.state = 'map';
      this.body.replaceChildren(...[extra, stats, this.grid.el].filter((n): n is Node => n != null));
    }
    this.stats = stats;
    this.extra = extra ?? undefined;
    this.grid.show(info.cpus, extent, info.list);
  }

  showNodes(state: string, ...nodes: Node[]): void {
    this.body.dataset.state = state;
    this.body.replaceChildren(...nodes);
  }
}
