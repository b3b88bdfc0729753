// The checker's records. A Cell stands for one reference (what libperf's
// RC_CHK heap handle stands for); a MapRecord for one map block, shared by
// every cell that refers to it. Neither points at a user-visible handle, so
// the shadow table never keeps a handle alive.

import type { Core } from '../core.js';
import type { Site } from './sites.js';

export const LIVE = 0;
export const RETIRED = 1;
/** Its handle was garbage-collected while the reference was still held. */
export const DROPPED = 2;

export class MapRecord {
  /** Live cells of this map; equals the wasm refcount in a consistent program. */
  live = 0;
  /** Its cpu list, once someone read it (events, references()). */
  cpus: string | undefined = undefined;
  constructor(
    readonly serial: number,
    readonly core: Core,
    readonly ptr: number,
  ) {}
}

export class Cell {
  state = LIVE;
  /** Where the cell stands in the live table (table.ts); -1 once retired. */
  slot = -1;
  putSite: Site | undefined = undefined;
  /** Registered with the dropped-handle watch (watch.ts). */
  watched = false;
  /** When it was first seen held at the end of a task (performance.now(), 0 before): its age. */
  born = 0;
  constructor(
    readonly serial: number,
    readonly map: MapRecord,
    readonly getSite: Site | undefined,
  ) {}
}
