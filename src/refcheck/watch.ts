// The watch for handles garbage-collected while their reference is held
// (kind 'dropped'). A FinalizationRegistry registration and its removal at
// the put cost more than a whole checked get+put, and almost every reference
// is put soon after it is made; so a new handle waits in a short "young"
// list (which holds it), and only the ones still held when the list is
// swept are registered: at the end of the current task (a microtask), when
// the list is full, or before any report. The registry holds only the cell,
// which does not point at the handle. The sweep also dates the references
// it finds held (references() gives their age): to the end of the task that
// made them, without reading a clock on every get.

import { LIVE, DROPPED, type Cell } from './cell.js';
import { listening, announce } from './events.js';

const YOUNG_MAX = 16384;
const youngHandles: object[] = [];
const youngCells: Cell[] = [];
let scheduled = false;

/** Cells whose handles were collected while they were still held, in the order seen. */
export const droppedCells: Cell[] = [];

const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<Cell>((cell) => {
    if (cell.state !== LIVE) return;
    cell.state = DROPPED;
    droppedCells.push(cell);
    if (listening) announce('dropped', cell, cell.getSite);
  })
  : undefined;

const later: (fn: () => void) => void = typeof queueMicrotask === 'function'
  ? queueMicrotask
  : (fn) => { void Promise.resolve().then(fn); };

export const clock: () => number = typeof performance === 'object' ? () => performance.now() : Date.now;

/** Watch `handle`, the only handle of the live reference `cell`. */
export function watch(handle: object, cell: Cell): void {
  youngHandles.push(registry === undefined ? cell : handle);
  youngCells.push(cell);
  if (youngHandles.length >= YOUNG_MAX) sweep();
  else if (!scheduled) {
    scheduled = true;
    later(sweep);
  }
}

/** Register the young handles whose references are still held, and date them; forget the others. */
export function sweep(): void {
  scheduled = false;
  if (youngCells.length === 0) return;
  const now = clock();
  for (let i = 0; i < youngCells.length; i++) {
    const cell = youngCells[i]!;
    if (cell.state === LIVE) {
      cell.born = now;
      if (registry !== undefined) {
        cell.watched = true;
        registry.register(youngHandles[i]!, cell, cell);
      }
    }
  }
  youngHandles.length = 0;
  youngCells.length = 0;
}

/** Stop watching a cell at its put (a cheap no-op for one still in the young list). */
export function unwatch(cell: Cell): void {
  // the registry keeps a held value until its cleanup task runs, which a
  // synchronous loop never lets happen: unregister, or a loop of puts grows without bound
  if (cell.watched) {
    cell.watched = false;
    registry!.unregister(cell);
  }
}

/** Forget everything watched (refcheck.reset()). */
export function unwatchAll(): void {
  youngHandles.length = 0;
  youngCells.length = 0;
  droppedCells.length = 0;
}
