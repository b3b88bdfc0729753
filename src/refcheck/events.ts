// What the checker sees, as it happens: refcheck.subscribe() listeners get
// every get, put, double put, use after put and dropped handle, and
// refcheck.references() lists the references held now. Nothing here runs
// while nobody listens but one test of `listening` per get and put.

import type { Cell, MapRecord } from './cell.js';
import type { RefCheckError } from './error.js';
import { formatSite, type FormattedSite, type Site } from './sites.js';

export type RefcheckEventType = 'get' | 'put' | 'double-put' | 'use-after-put' | 'dropped';

export interface RefcheckEvent {
  /** 'get': a reference was made (constructor, get, merge or intersect result); 'put': one was put. */
  type: RefcheckEventType;
  /** Serial of the reference, and of its map. */
  serial: number;
  map: number;
  /** The map's cpus as perf lists them ("0-3,8"); "(freed)" when its last reference was put before anyone read them. */
  cpus: string;
  /** Where it happened: the get, the put, the second put, the access; for 'dropped', where the reference was made. */
  site?: FormattedSite;
  /** The error of a double put or a use after put. */
  error?: RefCheckError;
}

export type RefcheckListener = (event: RefcheckEvent) => void;

const listeners: RefcheckListener[] = [];
/** Whether anyone listens (read on every checked get and put). */
export let listening = false;

/** Listen to every event from now on; returns the function that stops it. */
export function subscribe(listener: RefcheckListener): () => void {
  if (typeof listener !== 'function') throw new TypeError('refcheck.subscribe: expected a function');
  listeners.push(listener);
  listening = true;
  return () => {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
    listening = listeners.length > 0;
  };
}

const FREED = '(freed)';

/** The map's cpu list, read once (a map never changes) while it is still allocated. */
export function cpusOf(map: MapRecord): string {
  if (map.cpus === undefined) {
    if (map.live === 0) return FREED;
    map.cpus = map.core.formatList(map.ptr, 'refcheck');
  }
  return map.cpus;
}

/**
 * Tell every listener. Called before a put reaches wasm, so the map can
 * still be read. A listener that throws does not disturb the program (nor
 * the other listeners): its error goes to console.error.
 */
export function announce(type: RefcheckEventType, cell: Cell, site: Site | undefined, error?: RefCheckError): void {
  const event: RefcheckEvent = { type, serial: cell.serial, map: cell.map.serial, cpus: cpusOf(cell.map) };
  if (site !== undefined) event.site = formatSite(site);
  if (error !== undefined) event.error = error;
  for (const listener of listeners.slice()) {
    try {
      listener(event);
    } catch (e) {
      console.error('cpumap-wasm refcheck: a subscribe() listener threw:', e);
    }
  }
}
