// CheckedCpuMap: the handle the checker hands out for every reference. Same
// API as CpuMap; each access first checks that this reference is still held.

import { CpuMap } from '../cpumap.js';
import type { Core } from '../core.js';
import { LIVE, type Cell, type MapRecord } from './cell.js';
import { captureSite, capturePutSite, captureErrorSite, DISPOSE_API, PUT_API, type Site } from './sites.js';
import { newCell, newMapRecord, retire, onDoublePut, onUseAfterPut } from './table.js';
import { listening, announce } from './events.js';

export class CheckedCpuMap extends CpuMap {
  /** @internal */ readonly _cell: Cell;

  /** @internal */
  constructor(core: Core, map: MapRecord, site: Site | undefined) {
    super(core, map.ptr);
    this._cell = newCell(map, site, this);
    if (listening) announce('get', this._cell, site);
  }

  /** @internal */
  override _p(access: string): number {
    const cell = this._cell;
    if (cell.state === LIVE) return cell.map.ptr;
    return onUseAfterPut(cell, access, captureErrorSite(CheckedCpuMap.prototype._p));
  }

  /** @internal Every new reference gets a cell of its own. */
  override _newRef(ptr: number, other?: CpuMap | null): CpuMap {
    const mine = this._cell.map;
    let map: MapRecord;
    if (ptr === mine.ptr) map = mine;
    else if (other instanceof CheckedCpuMap && ptr === other._cell.map.ptr) map = other._cell.map;
    else map = newMapRecord(this._core, ptr);
    return new CheckedCpuMap(this._core, map, captureSite(CheckedCpuMap.prototype._newRef));
  }

  override get(): CpuMap {
    const ptr = this._p('get');
    this._core.ex.get(ptr);
    return this._newRef(ptr);
  }

  override put(): void {
    this._put(CheckedCpuMap.prototype.put, undefined);
  }

  /** JSON.stringify calls it: a use after put is named so, not after the toArray() it calls. */
  override toJSON(): number[] {
    this._p('toJSON');
    return super.toJSON();
  }

  /**
   * @internal A put; `above` is the library's entry point, `api` names a put
   * the user did not spell (a disposal), `site` is one taken already.
   */
  _put(above: Function, api: string | undefined, known?: Site): void {
    const cell = this._cell;
    if (cell.state !== LIVE) {
      onDoublePut(cell, captureErrorSite(above, api, PUT_API));
      return;
    }
    const site = known ?? capturePutSite(above, api);
    if (listening) announce('put', cell, site);
    retire(cell, site);
    this._nr = 0; // the fast paths of the queries now go through _p, which reports
    this._core.ex.put(cell.map.ptr);
    if (cell.map.live === 0) this._ptr = 0;
  }
}

// `using r = ...` and an explicit r[Symbol.dispose]() put the reference.
// Both read the method first: `using` at its declaration (the language, and
// TypeScript's and oxc's lowerings alike), a call where it is made. So the
// method is handed out by a getter that takes the site of that read, and
// the put is named as the disposal of the `using` declaration (or the call)
// at the user's line, not as the library's or a compiler helper's frames.
const dispose = (Symbol as { dispose?: symbol }).dispose;
if (dispose !== undefined) {
  const getDispose = function (this: CheckedCpuMap): () => void {
    const handle = this;
    const site = handle._cell.state === LIVE ? capturePutSite(getDispose, DISPOSE_API) : undefined;
    const disposeReference = function (): void {
      handle._put(disposeReference, DISPOSE_API, site);
    };
    return disposeReference;
  };
  Object.defineProperty(CheckedCpuMap.prototype, dispose, { get: getDispose, configurable: true });
}

/** The handle factory for new map blocks while checking is on. */
export function checkedHandle(core: Core, ptr: number): CpuMap {
  return new CheckedCpuMap(core, newMapRecord(core, ptr), captureSite(checkedHandle));
}
