// The public face of the reference checker: `refcheck` in 'cpumap-wasm'.

import { liveCells, currentSerial, reported, droppedCells, resetTable, keptErrorsDropped } from './table.js';
import { buildReport, reportText, type LeakReport } from './report.js';
import { RefCheckError } from './error.js';
import { isRefcheckEnabled } from '../config.js';
import type { Cell, MapRecord } from './cell.js';

export { RefCheckError } from './error.js';
export type { RefCheckKind, RefCheckSites } from './error.js';
export type { LeakReport, LeakGroup } from './report.js';
export type { Frame, FormattedSite } from './sites.js';

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
  const cells: Cell[] = [];
  for (const cell of liveCells()) if (cell.serial > mark) cells.push(cell);
  return cells;
}

export const refcheck = {
  /** Whether checking is on (it is decided when the first map is made). */
  get enabled(): boolean {
    return isRefcheckEnabled();
  },

  /** Every live reference, grouped by the site that made it. */
  report(): LeakReport {
    return buildReport(liveCells());
  },

  /** report() as text. */
  reportText(report: LeakReport = buildReport(liveCells())): string {
    return reportText(report);
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
    for (const cell of liveCells()) counts.set(cell.map, (counts.get(cell.map) ?? 0) + 1);
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
