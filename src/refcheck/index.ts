// The public face of the reference checker: `refcheck` in 'cpumap-wasm'.

import { liveCells, currentSerial, reported, resetTable, keptErrorsDropped } from './table.js';
import { droppedCells, sweep, clock } from './watch.js';
import { buildReport, reportText, type LeakReport } from './report.js';
import { RefCheckError } from './error.js';
import { subscribe, cpusOf, type RefcheckListener } from './events.js';
import { formatSite, type FormattedSite } from './sites.js';
import { isRefcheckEnabled } from '../config.js';
import { DROPPED, type Cell, type MapRecord } from './cell.js';

export { RefCheckError } from './error.js';
export type { RefCheckKind, RefCheckSites } from './error.js';
export type { LeakReport, LeakGroup } from './report.js';
export type { Frame, FormattedSite } from './sites.js';
export type { RefcheckEvent, RefcheckEventType, RefcheckListener } from './events.js';

/** A reference held now (refcheck.references()). */
export interface LiveReference {
  /** Serial of the reference, as reports name it (#serial). */
  serial: number;
  /** Serial of its map. */
  map: number;
  /** The map's cpus as perf lists them ("0-3,8"). */
  cpus: string;
  /** Where it was made (undefined with stackDepth 0). */
  site: FormattedSite | undefined;
  /** Milliseconds since it was made (to the end of the task that made it). */
  ageMs: number;
  /** Its handle was garbage-collected without a put. */
  dropped: boolean;
}

/** A point in time to check leaks from (the serial of the last reference made). */
export type RefcheckMark = number & { readonly __refcheckMark: unique symbol };

export interface Mismatch {
  /** Serial of the map in reports. */
  map: number;
  /** Live references the checker holds for it, and the wasm refcount. */
  references: number;
  refcount: number;
}

function since(mark: number): Cell[] {
  sweep();
  const cells: Cell[] = [];
  for (const cell of liveCells()) if (cell.serial > mark) cells.push(cell);
  return cells;
}

export const refcheck = {
  /** Whether checking is on (it is decided when the first map is made). */
  get enabled(): boolean {
    return isRefcheckEnabled();
  },

  /** Every live reference, grouped by the stack that made it. */
  report(): LeakReport {
    return buildReport(since(0));
  },

  /** report() as text. */
  reportText(report: LeakReport = buildReport(since(0))): string {
    return reportText(report);
  },

  /** The references held now, oldest first, with where each was made. */
  references(): LiveReference[] {
    const now = clock();
    return since(0).map((cell) => ({
      serial: cell.serial,
      map: cell.map.serial,
      cpus: cpusOf(cell.map),
      site: cell.getSite === undefined ? undefined : formatSite(cell.getSite),
      ageMs: Math.max(0, now - cell.born),
      dropped: cell.state === DROPPED,
    }));
  },

  /**
   * Call `listener` with every event from now on: each get and put (with its
   * site), double put, use after put (with the error, before it is thrown)
   * and dropped handle. Returns the function that unsubscribes. Events are
   * formatted for listeners only: with none, they cost nothing.
   */
  subscribe(listener: RefcheckListener): () => void {
    return subscribe(listener);
  },

  /** A mark to check leaks from: references made after it. */
  mark(): RefcheckMark {
    return currentSerial() as RefcheckMark;
  },

  /** The references made after `mark` that are still held. */
  leaksSince(mark: RefcheckMark): LeakReport {
    return buildReport(since(mark));
  },

  /** Throws RefCheckError (kind 'leak', or 'dropped') with the grouped report if references made after `mark` (default: ever) are held. */
  assertNoLeaks(mark: RefcheckMark = 0 as RefcheckMark): void {
    const report = buildReport(since(mark));
    if (report.references === 0) return;
    const kind = report.groups.every((g) => g.kind === 'dropped') ? 'dropped' : 'leak';
    const error = new RefCheckError(kind, reportText(report));
    (error as { report?: LeakReport }).report = report;
    throw error;
  },

  /** Maps whose wasm refcount differs from the references the checker holds for them. */
  checkConsistency(): Mismatch[] {
    const counts = new Map<MapRecord, number>();
    for (const cell of since(0)) counts.set(cell.map, (counts.get(cell.map) ?? 0) + 1);
    const out: Mismatch[] = [];
    for (const [map, references] of counts) {
      const refcount = map.core.ex.refcnt(map.ptr) >>> 0;
      if (refcount !== references) out.push({ map: map.serial, references, refcount });
    }
    return out;
  },

  /** Errors collected in 'report' mode, oldest first (at most 10,000; `errorsDropped` counts older ones). */
  errors(): readonly RefCheckError[] {
    return reported;
  },
  get errorsDropped(): number {
    return keptErrorsDropped();
  },

  /** References whose handles were garbage-collected without a put. */
  dropped(): LeakReport {
    sweep();
    return buildReport(droppedCells.filter((c) => c.slot >= 0));
  },

  /**
   * Forget every reference and error: the checker starts over (the maps
   * themselves are not freed). For tests that leak on purpose.
   */
  reset(): void {
    resetTable();
  },
};
