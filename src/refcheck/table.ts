// The shadow table: every live reference (cell), what happens when one is
// misused, and the watch for handles garbage-collected without a put.

import type { Core } from '../core.js';
import { Cell, MapRecord, LIVE, RETIRED, DROPPED } from './cell.js';
import { doublePut, useAfterPut, RefCheckError } from './error.js';
import type { Site } from './sites.js';
import { watch, unwatch, unwatchAll } from './watch.js';
import { listening, announce } from './events.js';

export type OnError = 'throw' | 'report';

/**
 * Live cells in the order they were made. A retired cell leaves a hole;
 * holes are squeezed out once they are the majority, so retiring is O(1)
 * amortised and the table's size follows the live count (a Map keyed by
 * serial costs several times more per get+put).
 */
let slots: (Cell | undefined)[] = [];
let holes = 0;
let liveCount = 0;
let cellSerial = 0;
let mapSerial = 0;
let onError: OnError = 'throw';

/** Errors kept in 'report' mode (and dropped handles, in any mode), oldest first. */
const MAX_KEPT = 10_000;
export const reported: RefCheckError[] = [];
let reportedDropped = 0;

export function setOnError(mode: OnError): void {
  onError = mode;
}

export function currentSerial(): number {
  return cellSerial;
}

function keep(error: RefCheckError): void {
  if (reported.length >= MAX_KEPT) {
    reported.shift();
    reportedDropped++;
  }
  reported.push(error);
}

export function keptErrorsDropped(): number {
  return reportedDropped;
}


export function newMapRecord(core: Core, ptr: number): MapRecord {
  return new MapRecord(++mapSerial, core, ptr);
}

/** A new live cell for a reference to `map`, watched through `handle`. */
export function newCell(map: MapRecord, site: Site | undefined, handle: object): Cell {
  const cell = new Cell(++cellSerial, map, site);
  map.live++;
  cell.slot = slots.length;
  slots.push(cell);
  liveCount++;
  watch(handle, cell);
  return cell;
}

/** Retire a live cell at its put; the wasm put is the caller's. */
export function retire(cell: Cell, site: Site | undefined): void {
  unwatch(cell);
  cell.state = RETIRED;
  cell.putSite = site;
  cell.map.live--;
  slots[cell.slot] = undefined;
  cell.slot = -1;
  liveCount--;
  if (++holes > 1024 && holes * 2 > slots.length) squeeze();
}

function squeeze(): void {
  let w = 0;
  for (let r = 0; r < slots.length; r++) {
    const cell = slots[r];
    if (cell !== undefined) {
      cell.slot = w;
      slots[w++] = cell;
    }
  }
  slots.length = w;
  holes = 0;
}

/** Live cells (dropped ones included), oldest first. */
export function* liveCells(): Generator<Cell> {
  for (const cell of slots) if (cell !== undefined) yield cell;
}

export function liveCellCount(): number {
  return liveCount;
}

/** A put through a retired cell: refused; reported or thrown. */
export function onDoublePut(cell: Cell, site: Site | undefined): void {
  const error = doublePut(cell, site);
  if (listening) announce('double-put', cell, site, error);
  if (onError === 'throw') throw error;
  keep(error);
}

/**
 * A use through a retired cell. In 'report' mode the call goes on when the
 * map is still alive through other references (as it would in C); when it
 * is not, nothing safe can be read, so it throws whatever the mode.
 */
export function onUseAfterPut(cell: Cell, access: string, site: Site | undefined): number {
  const error = useAfterPut(cell, access, site);
  if (listening) announce('use-after-put', cell, site, error);
  if (onError === 'throw' || cell.map.live === 0) throw error;
  keep(error);
  return cell.map.ptr;
}

/** Forget every cell and error (tests that leak on purpose clean up with it). */
export function resetTable(): void {
  for (const cell of slots) if (cell !== undefined) { cell.state = RETIRED; cell.slot = -1; }
  slots = [];
  holes = 0;
  liveCount = 0;
  reported.length = 0;
  unwatchAll();
  reportedDropped = 0;
}

export { RETIRED, DROPPED, LIVE };
