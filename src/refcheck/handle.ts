// CheckedCpuMap: the handle the checker hands out for every reference. Same
// API as CpuMap; each access first checks that this reference is still held.

import { CpuMap } from '../cpumap.js';
import type { Core } from '../core.js';
import { LIVE, type Cell, type MapRecord } from './cell.js';
import { captureSite, capturePutSite } from './sites.js';
import { newCell, newMapRecord, retire, onDoublePut, onUseAfterPut } from './table.js';

export class CheckedCpuMap extends CpuMap {
  /** @internal */ readonly _cell: Cell;

  /** @internal */
  constructor(core: Core, map: MapRecord, site: ReturnType<typeof captureSite>) {
    super(core, map.ptr);
    this._cell = newCell(map, site, this);
  }

  /** @internal */
  override _p(access: string): number {
    const cell = this._cell;
    if (cell.state === LIVE) return cell.map.ptr;
    return onUseAfterPut(cell, access, captureSite(CheckedCpuMap.prototype._p));
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
    const cell = this._cell;
    if (cell.state !== LIVE) {
      onDoublePut(cell, captureSite(CheckedCpuMap.prototype.put));
      return;
    }
    retire(cell, capturePutSite(CheckedCpuMap.prototype.put));
    this._nr = 0; // the fast paths of the queries now go through _p, which reports
    this._core.ex.put(cell.map.ptr);
    if (cell.map.live === 0) this._ptr = 0;
  }
}

/** The handle factory for new map blocks while checking is on. */
export function checkedHandle(core: Core, ptr: number): CpuMap {
  return new CheckedCpuMap(core, newMapRecord(core, ptr), captureSite(checkedHandle));
}
