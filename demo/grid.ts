// A grid of CPU cells drawn on one canvas: one cell per CPU from 0 to the
// largest (or a given extent), set CPUs filled, the any-cpu entry (-1) on a
// row of its own. Cells shrink with the map; past what fits in MAX_ROWS rows
// one cell stands for 2, 4, 8... CPUs, shaded by how many of them are set,
// so even 0-32766 draws in a millisecond or two.
//
// The host element carries the geometry as data attributes (data-cols,
// data-cell, data-gap, data-per, data-any-row) and the counts (data-cpus,
// data-any, data-extent); the end-to-end tests read cells back from pixels.

import { h } from './dom.js';

const ON = '#2563c9';
const OFF = '#e3e7ed';
const ANY = '#e08a00';
const TEXT_ON = '#ffffff';
const TEXT_OFF = '#8d97a3';
const MAX_ROWS = 80;

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
/** Grids shown while detached or hidden: drawn by flushGrids() or when they get a width. */
const pending = new Set<CpuGrid>();

/** Draw the grids that were given maps before they were attached (call after attaching them). */
export function flushGrids(): void {
  for (const g of [...pending]) {
    if (g.el.isConnected) g.draw();
    else pending.delete(g);
  }
}
const observer = typeof ResizeObserver === 'function'
  ? new ResizeObserver((entries) => {
    for (const entry of entries) grids.get(entry.target)?.resized();
  })
  : undefined;

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
  private set = new Uint8Array(0);
  private extent = 0;
  private count = 0;
  private any = false;
  private layout: Layout | undefined;
  private drawnWidth = -1;

  constructor(label = 'cpu map') {
    this.canvas = h('canvas', { role: 'img', 'aria-label': label });
    this.caption = h('div', { class: 'grid-caption' });
    this.tip = h('div', { class: 'grid-tip', hidden: true });
    this.el = h('div', { class: 'cpu-grid' }, this.canvas, this.tip, this.caption);
    grids.set(this.el, this);
    observer?.observe(this.el);
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => { this.tip.hidden = true; });
  }

  /** Show `cpus` (any order; -1 is "any cpu") on cells for 0..max(extent, largest + 1) - 1. */
  show(cpus: ArrayLike<number>, extent = 0): this {
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
    this.canvas.setAttribute('aria-label',
      `${count} of ${this.extent} cpu cells set${any ? ', plus the any-cpu entry -1' : ''}`);
    this.drawnWidth = -1;
    this.draw();
    return this;
  }

  /** @internal ResizeObserver: redraw when the width changed (a hidden tab has width 0). */
  resized(): void {
    if (this.el.clientWidth !== this.drawnWidth) this.draw();
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
    const width = this.el.clientWidth;
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

    const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
    const c = this.canvas;
    c.style.width = `${L.width}px`;
    c.style.height = `${L.height}px`;
    c.width = Math.max(1, Math.round(L.width * dpr));
    c.height = Math.max(1, Math.round(L.height * dpr));
    const ctx = c.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, L.width, L.height);
    const step = L.cell + L.gap;
    const labels = L.per === 1 && L.cell >= 24;

    if (this.any) {
      ctx.fillStyle = ANY;
      ctx.fillRect(0, 0, L.cell, L.cell);
      if (L.cell >= 9) {
        ctx.fillStyle = '#8a5300';
        ctx.font = `${Math.min(13, L.cell)}px ui-monospace, "DejaVu Sans Mono", monospace`;
        ctx.textBaseline = 'middle';
        ctx.textAlign = 'left';
        ctx.fillText('-1  any cpu', L.cell + 6, L.cell / 2 + 0.5);
      }
    }

    const set = this.set;
    const n = this.extent;
    if (labels) {
      ctx.font = '10px ui-monospace, "DejaVu Sans Mono", monospace';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
    }
    for (let s = 0; s < L.slots; s++) {
      const x = (s % L.cols) * step;
      const y = (L.anyRow + Math.floor(s / L.cols)) * step;
      let on = 0;
      const from = s * L.per;
      const to = Math.min(n, from + L.per);
      for (let cpu = from; cpu < to; cpu++) on += set[cpu]!;
      const f = on / (to - from);
      if (f === 1) {
        ctx.fillStyle = ON;
        ctx.fillRect(x, y, L.cell, L.cell);
      } else {
        ctx.fillStyle = OFF;
        ctx.fillRect(x, y, L.cell, L.cell);
        if (f > 0) {
          ctx.globalAlpha = 0.25 + 0.6 * f;
          ctx.fillStyle = ON;
          ctx.fillRect(x, y, L.cell, L.cell);
          ctx.globalAlpha = 1;
        }
      }
      if (labels) {
        ctx.fillStyle = f === 1 ? TEXT_ON : TEXT_OFF;
        ctx.fillText(String(s), x + L.cell / 2, y + L.cell / 2 + 0.5);
      }
    }
    this.renderCaption(L);
    d.drawn = '1';
  }

  private renderCaption(L: Layout): void {
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

  private hover(e: MouseEvent): void {
    const L = this.layout;
    if (L === undefined) return;
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const step = L.cell + L.gap;
    const col = Math.floor(x / step);
    const row = Math.floor(y / step);
    let text = '';
    if (this.any && row === 0) {
      if (col === 0) text = 'cpu -1: any cpu';
    } else if (col < L.cols) {
      const s = (row - L.anyRow) * L.cols + col;
      if (s >= 0 && s < L.slots) {
        const from = s * L.per;
        const to = Math.min(this.extent, from + L.per);
        if (L.per === 1) text = `cpu ${from}: ${this.set[from] ? 'set' : 'not set'}`;
        else {
          let on = 0;
          for (let c = from; c < to; c++) on += this.set[c]!;
          text = `cpus ${from}–${to - 1}: ${on} of ${to - from} set`;
        }
      }
    }
    if (text === '') {
      this.tip.hidden = true;
      return;
    }
    this.tip.textContent = text;
    this.tip.hidden = false;
    const half = this.tip.offsetWidth / 2;
    this.tip.style.left = `${Math.max(half, Math.min(x, this.el.clientWidth - half))}px`;
    this.tip.style.top = `${row * step}px`;
  }
}
