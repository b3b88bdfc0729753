// A grid of CPU cells drawn on one canvas: one cell per CPU from 0 to the
// largest (or a given extent), set CPUs filled, the any-cpu entry (-1) on a
// row of its own. Cells shrink with the map; past what fits in MAX_ROWS rows
// one cell stands for 2, 4, 8... CPUs, shaded by how many of them are set.
// The cells are written as pixels into one ImageData (not one fillRect per
// cell), and grids given a new map are drawn in the next animation frames,
// as many per frame as fit in DRAW_BUDGET_MS: typing in a list of 10,000
// cpus redraws four big grids without a frame longer than the budget.
//
// Keyboard and screen readers: the grid is one tab stop with a text
// alternative (its aria-label: how many cpus are set, and the list); the
// arrow keys, Home and End move a cursor over the cells, and the cell under
// it is said in a live region and shown in the tooltip.
//
// The host element carries the geometry as data attributes (data-cols,
// data-cell, data-gap, data-per, data-any-row) and the counts (data-cpus,
// data-any, data-extent); the end-to-end tests read cells back from pixels.

import { h } from './dom.js';

const MAX_ROWS = 80;
/** Milliseconds of grid drawing per animation frame (a frame is 16.7 ms; the page has other work in it). */
const DRAW_BUDGET_MS = 3;
/** Longest cpu list put in a grid's text alternative. */
const LABEL_LIST_MAX = 300;

interface Colors { on: string; off: string; any: string; anyText: string; textOn: string; textOff: string }

/** The grid colours of the current theme, from the page's CSS custom properties. */
let colors: Colors | undefined;
function themeColors(): Colors {
  if (colors) return colors;
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  colors = {
    on: v('--grid-on', '#2563c9'), off: v('--grid-off', '#e3e7ed'), any: v('--grid-any', '#e08a00'),
    anyText: v('--grid-any-text', '#8a5300'), textOn: v('--grid-text-on', '#ffffff'), textOff: v('--grid-text-off', '#5d6876'),
  };
  return colors;
}

function rgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : [0, 0, 0];
}

/** A colour as one little-endian RGBA pixel. */
function pixel([r, g, b]: [number, number, number]): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

interface Layout {
  cell: number;
  gap: number;
  cols: number;
  per: number;
  /** Cells for cpus 0..extent-1 (after grouping by `per`). */
  slots: number;
  /** 1 when the any-cpu cell has a row of its own. */
  anyRow: number;
  rows: number;
  width: number;
  height: number;
}

const grids = new WeakMap<Element, CpuGrid>();
/** Every grid on the page (pruned when detached), for a redraw when the theme changes. */
const live = new Set<CpuGrid>();
/** Grids shown while detached or hidden: drawn by flushGrids() or when they get a width. */
const pending = new Set<CpuGrid>();

/** Grids given a new map, drawn by the next animation frames (drawQueued). */
const queued = new Set<CpuGrid>();
let frame = 0;

function drawQueued(): void {
  frame = 0;
  const t0 = performance.now();
  for (const g of [...queued]) {
    if (performance.now() - t0 > DRAW_BUDGET_MS) break;
    queued.delete(g);
    g.draw();
  }
  if (queued.size) frame = requestAnimationFrame(drawQueued);
  performance.measure('cpu-grids', { start: t0, end: performance.now() });
}

function queue(g: CpuGrid): void {
  queued.add(g);
  if (frame === 0) frame = requestAnimationFrame(drawQueued);
}

/** Draw the grids that were given maps before they were attached (call after attaching them). */
export function flushGrids(): void {
  for (const g of [...pending]) {
    if (g.el.isConnected) queue(g);
    else pending.delete(g);
  }
}

const observer = typeof ResizeObserver === 'function'
  ? new ResizeObserver((entries) => {
    for (const entry of entries) grids.get(entry.target)?.resized(entry.contentRect.width);
  })
  : undefined;

if (typeof matchMedia === 'function') {
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    colors = undefined;
    for (const g of [...live]) {
      if (g.el.isConnected) g.draw();
      else live.delete(g);
    }
  });
}

function sizeFor(n: number): { cell: number; gap: number } {
  if (n <= 64) return { cell: 24, gap: 3 };
  if (n <= 256) return { cell: 14, gap: 2 };
  if (n <= 1024) return { cell: 9, gap: 2 };
  if (n <= 4096) return { cell: 5, gap: 1 };
  return { cell: 3, gap: 1 };
}

export class CpuGrid {
  readonly el: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLDivElement;
  private readonly tip: HTMLDivElement;
  private readonly cursorBox: HTMLDivElement;
  private readonly said: HTMLParagraphElement;
  /** One pixel per cell, scaled up onto the canvas. */
  private readonly small = document.createElement('canvas');
  private readonly gapMask = document.createElement('canvas');
  private gapKey = '';
  private set = new Uint8Array(0);
  private extent = 0;
  private count = 0;
  private any = false;
  private layout: Layout | undefined;
  private drawnWidth = -1;
  /**
   * The host's width as the ResizeObserver last reported it: drawing never
   * reads the layout (which would force one in the middle of a frame).
   * -1 until it is known; 0 while detached or hidden.
   */
  private width = -1;
  /** The cell under the keyboard cursor: a slot, -1 for the any-cpu cell, undefined before the grid was focused. */
  private cursor: number | undefined;
  /** What show() was last given, to skip redrawing the same map. */
  private shown: { cpus: ArrayLike<number>; extent: number } | undefined;

  constructor(readonly label = 'cpu map') {
    this.canvas = h('canvas', { 'aria-hidden': 'true' });
    this.caption = h('div', { class: 'grid-caption', 'aria-hidden': 'true' });
    this.tip = h('div', { class: 'grid-tip', hidden: true, 'aria-hidden': 'true' });
    this.cursorBox = h('div', { class: 'grid-cursor', hidden: true });
    this.said = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.el = h('div', {
      class: 'cpu-grid', tabindex: 0, role: 'group', 'aria-roledescription': 'cpu grid',
      'aria-keyshortcuts': 'ArrowLeft ArrowRight ArrowUp ArrowDown Home End',
    }, this.canvas, this.cursorBox, this.tip, this.caption, this.said);
    grids.set(this.el, this);
    live.add(this);
    observer?.observe(this.el);
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => { if (document.activeElement !== this.el) this.tip.hidden = true; });
    this.el.addEventListener('keydown', (e) => this.key(e));
    this.el.addEventListener('focus', () => this.moveCursor(this.cursor ?? (this.any ? -1 : 0)));
    this.el.addEventListener('blur', () => { this.cursorBox.hidden = true; this.tip.hidden = true; });
  }

  /**
   * Show `cpus` (any order; -1 is "any cpu") on cells for 0..max(extent, largest + 1) - 1.
   * `list` (perf's cpu list of them) goes into the text alternative.
   */
  show(cpus: ArrayLike<number>, extent = 0, list?: string): this {
    if (this.shown && this.shown.extent === extent && sameCpus(this.shown.cpus, cpus) && this.el.dataset.drawn === '1') return this;
    this.shown = { cpus, extent };
    let max = -1;
    let any = false;
    for (let i = 0; i < cpus.length; i++) {
      const c = cpus[i]!;
      if (c === -1) any = true;
      else if (c > max) max = c;
    }
    this.extent = Math.max(extent, max + 1);
    this.set = new Uint8Array(this.extent);
    let count = 0;
    for (let i = 0; i < cpus.length; i++) {
      const c = cpus[i]!;
      if (c >= 0 && this.set[c] === 0) { this.set[c] = 1; count++; }
    }
    this.count = count;
    this.any = any;
    const d = this.el.dataset;
    d.cpus = String(count);
    d.any = any ? '1' : '0';
    d.extent = String(this.extent);
    const shownList = list === undefined ? ''
      : list.length > LABEL_LIST_MAX ? `: ${list.slice(0, LABEL_LIST_MAX)}… (the list goes on)` : `: ${list || 'none'}`;
    this.el.setAttribute('aria-label',
      `${this.label}, ${count.toLocaleString('en-US')} of ${this.extent.toLocaleString('en-US')} cpus set` +
      `${any ? ', plus the any-cpu entry -1' : ''}${shownList}. Arrow keys move over the cells.`);
    if (this.cursor !== undefined && this.cursor >= 0) this.cursor = Math.min(this.cursor, Math.max(0, this.extent - 1));
    this.drawnWidth = -1;
    delete d.drawn;
    queue(this);
    return this;
  }

  /** @internal ResizeObserver: redraw when the width changed (a hidden tab has width 0). */
  resized(width: number): void {
    this.width = Math.floor(width);
    if (this.width !== this.drawnWidth) queue(this);
  }

  private computeLayout(width: number): Layout {
    const n = this.extent;
    const { cell, gap } = sizeFor(n);
    const anyRow = this.any ? 1 : 0;
    let cols = Math.max(1, Math.floor((width + gap) / (cell + gap)));
    if (cols >= 16) cols -= cols % 8;
    let per = 1;
    while (Math.ceil(Math.ceil(n / per) / cols) + anyRow > MAX_ROWS) per *= 2;
    const slots = Math.ceil(n / per);
    if (slots > 0 && slots < cols) cols = slots;
    const rows = anyRow + Math.ceil(slots / cols);
    const gridWidth = slots > 0 ? cols * (cell + gap) - gap : cell;
    return {
      cell, gap, cols, per, slots, anyRow, rows,
      width: Math.max(gridWidth, this.any ? Math.min(width, 160) : 0),
      height: rows > 0 ? rows * (cell + gap) - gap : 0,
    };
  }

  draw(): void {
    queued.delete(this);
    // not measured yet (a grid made before it was attached): measured once, then the observer keeps it
    if (this.width < 0 && this.el.isConnected) this.width = this.el.clientWidth;
    const width = Math.max(0, this.width);
    if (width === 0) {
      // detached or hidden: drawn when it gets a width (ResizeObserver) or by flushGrids()
      pending.add(this);
      delete this.el.dataset.drawn;
      return;
    }
    pending.delete(this);
    this.drawnWidth = width;
    const L = this.computeLayout(width);
    this.layout = L;
    const d = this.el.dataset;
    d.cols = String(L.cols);
    d.cell = String(L.cell);
    d.gap = String(L.gap);
    d.per = String(L.per);
    d.anyRow = String(L.anyRow);

    const theme = themeColors();
    const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
    const c = this.canvas;
    const W = Math.max(1, Math.round(L.width * dpr));
    const H = Math.max(1, Math.round(L.height * dpr));
    // resizing a canvas reallocates it: only when the size changed
    if (c.width !== W || c.height !== H) {
      c.style.width = `${L.width}px`;
      c.style.height = `${L.height}px`;
      c.width = W;
      c.height = H;
    }
    const ctx = c.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);

    // the cells, as pixels
    // One pixel per cell in a small image (cols x rows), drawn scaled up by
    // the cell pitch without smoothing, then the gaps cleared: the cost is
    // one pixel per cell, whatever the cell size and the screen's density.
    const rows = L.rows - L.anyRow;
    const small = this.small;
    small.width = Math.max(1, L.cols);
    small.height = Math.max(1, rows);
    const sctx = small.getContext('2d')!;
    const img = sctx.createImageData(small.width, small.height);
    const px = new Uint32Array(img.data.buffer);
    const on = rgb(theme.on);
    const off = rgb(theme.off);
    const onPx = pixel(on);
    const offPx = pixel(off);
    const set = this.set;
    const n = this.extent;
    // a cell standing for `per` cpus is shaded by how many are set: one colour per fraction, made once
    const shade = (f: number): number => {
      if (f === 1) return onPx;
      if (f === 0) return offPx;
      const a = 0.25 + 0.6 * f;
      return pixel([0, 1, 2].map((k) => Math.round(off[k]! * (1 - a) + on[k]! * a)) as [number, number, number]);
    };
    const shades = new Map<number, number>();
    if (L.per === 1) {
      for (let s = 0; s < L.slots; s++) px[s] = set[s] ? onPx : offPx;
    } else {
      for (let s = 0; s < L.slots; s++) {
        let count = 0;
        const from = s * L.per;
        const to = Math.min(n, from + L.per);
        for (let cpu = from; cpu < to; cpu++) count += set[cpu]!;
        const f = count / (to - from);
        px[s] = shades.get(f) ?? shades.set(f, shade(f)).get(f)!;
      }
    }
    sctx.putImageData(img, 0, 0);
    const step = L.cell + L.gap;
    ctx.clearRect(0, 0, W, H);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.imageSmoothingEnabled = false;
    const top = L.anyRow * step;
    ctx.drawImage(small, 0, 0, L.cols, rows, 0, top, L.cols * step, rows * step);
    ctx.globalCompositeOperation = 'destination-out';
    ctx.drawImage(this.gaps(L, rows, dpr), 0, top, L.cols * step, rows * step);
    ctx.globalCompositeOperation = 'source-over';
    if (this.any) {
      ctx.fillStyle = theme.any;
      ctx.fillRect(0, 0, L.cell, L.cell);
    }

    // text on top: the any-cpu label, and cpu numbers on big cells
    if (this.any && L.cell >= 9) {
      ctx.fillStyle = theme.anyText;
      ctx.font = `${Math.min(13, L.cell)}px ui-monospace, "DejaVu Sans Mono", monospace`;
      ctx.textBaseline = 'middle';
      ctx.textAlign = 'left';
      ctx.fillText('-1  any cpu', L.cell + 6, L.cell / 2 + 0.5);
    }
    if (L.per === 1 && L.cell >= 24) {
      ctx.font = '10px ui-monospace, "DejaVu Sans Mono", monospace';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      for (let s = 0; s < L.slots; s++) {
        ctx.fillStyle = set[s] ? theme.textOn : theme.textOff;
        ctx.fillText(String(s), (s % L.cols) * step + L.cell / 2, (L.anyRow + Math.floor(s / L.cols)) * step + L.cell / 2 + 0.5);
      }
    }
    this.renderCaption(L);
    if (document.activeElement === this.el && this.cursor !== undefined) this.moveCursor(this.cursor);
    d.drawn = '1';
  }

  private captionKey = '';

  /** The gaps between the cells, opaque on a transparent canvas: cut out of the scaled cells in one drawImage. */
  private gaps(L: Layout, rows: number, dpr: number): HTMLCanvasElement {
    const key = `${L.cols}x${rows}/${L.cell}+${L.gap}@${dpr}`;
    if (this.gapKey === key) return this.gapMask;
    this.gapKey = key;
    const step = L.cell + L.gap;
    const m = this.gapMask;
    m.width = Math.max(1, Math.round(L.cols * step * dpr));
    m.height = Math.max(1, Math.round(rows * step * dpr));
    const g = m.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = '#000';
    for (let col = 1; col <= L.cols; col++) g.fillRect(col * step - L.gap, 0, L.gap, rows * step);
    for (let row = 1; row <= rows; row++) g.fillRect(0, row * step - L.gap, L.cols * step, L.gap);
    return m;
  }

  private renderCaption(L: Layout): void {
    const said = `${this.extent}|${this.count}|${this.any}|${L.per}`;
    if (said === this.captionKey) return;
    this.captionKey = said;
    const cap = this.caption;
    cap.replaceChildren();
    if (this.extent === 0 && !this.any) {
      cap.append(h('span', null, 'no cpus'));
      return;
    }
    const key = (cls: string, text: string) => h('span', { class: 'key' }, h('span', { class: `sw ${cls}` }), text);
    cap.append(key('on', `set (${this.count.toLocaleString('en-US')})`), key('off', 'not set'));
    if (this.any) cap.append(key('any', 'any cpu (-1)'));
    if (L.per > 1) cap.append(key('part', `1 cell = ${L.per} cpus, shaded by how many are set`));
    if (this.extent > 0) cap.append(h('span', null, `cpus 0–${this.extent - 1}`));
  }

  /** What a cell holds: -1 is the any-cpu cell. */
  private describe(slot: number): string {
    const L = this.layout;
    if (L === undefined) return '';
    if (slot === -1) return this.any ? 'cpu -1: any cpu' : '';
    if (slot < 0 || slot >= L.slots) return '';
    const from = slot * L.per;
    const to = Math.min(this.extent, from + L.per);
    if (L.per === 1) return `cpu ${from}: ${this.set[from] ? 'set' : 'not set'}`;
    let on = 0;
    for (let c = from; c < to; c++) on += this.set[c]!;
    return `cpus ${from}–${to - 1}: ${on} of ${to - from} set`;
  }

  /** Top-left corner of a cell, in CSS pixels. */
  private cellAt(slot: number): { x: number; y: number } {
    const L = this.layout!;
    const step = L.cell + L.gap;
    if (slot === -1) return { x: 0, y: 0 };
    return { x: (slot % L.cols) * step, y: (L.anyRow + Math.floor(slot / L.cols)) * step };
  }

  private showTip(text: string, x: number, y: number): void {
    if (text === '') {
      this.tip.hidden = true;
      return;
    }
    this.tip.textContent = text;
    this.tip.hidden = false;
    const half = this.tip.offsetWidth / 2;
    this.tip.style.left = `${Math.max(half, Math.min(x, this.el.clientWidth - half))}px`;
    this.tip.style.top = `${y}px`;
  }

  private moveCursor(slot: number): void {
    const L = this.layout;
    if (L === undefined || (L.slots === 0 && !this.any)) return;
    const lowest = this.any ? -1 : 0;
    this.cursor = Math.max(lowest, Math.min(L.slots - 1, slot));
    const { x, y } = this.cellAt(this.cursor);
    const box = this.cursorBox.style;
    box.left = `${x - 2}px`;
    box.top = `${y - 2}px`;
    box.width = box.height = `${L.cell + 4}px`;
    this.cursorBox.hidden = false;
    const text = this.describe(this.cursor);
    this.showTip(text, x + L.cell / 2, y);
    this.said.textContent = text;
  }

  private key(e: KeyboardEvent): void {
    const L = this.layout;
    if (L === undefined || this.cursor === undefined) return;
    const at = this.cursor;
    const next: Record<string, number> = {
      ArrowLeft: at - 1, ArrowRight: at === -1 ? 0 : at + 1,
      ArrowUp: at === -1 ? -1 : at - L.cols < 0 ? (this.any ? -1 : at) : at - L.cols,
      ArrowDown: at === -1 ? 0 : at + L.cols < L.slots ? at + L.cols : at,
      Home: this.any ? -1 : 0, End: L.slots - 1,
    };
    if (!(e.key in next)) return;
    e.preventDefault();
    this.moveCursor(next[e.key]!);
  }

  private hover(e: MouseEvent): void {
    const L = this.layout;
    if (L === undefined) return;
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const step = L.cell + L.gap;
    const col = Math.floor(x / step);
    const row = Math.floor(y / step);
    let slot = -2;
    if (this.any && row === 0) {
      if (col === 0) slot = -1;
    } else if (col < L.cols) slot = (row - L.anyRow) * L.cols + col;
    this.showTip(slot === -2 ? '' : this.describe(slot), x, row * step);
  }
}

function sameCpus(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
