// RefCheckError: a reference-count bug, with every site that explains it.

import { CpuMapError } from '../errors.js';
import type { Cell } from './cell.js';
import { siteLines, siteLocation, formatSite, PUT_API, type Site, type FormattedSite } from './sites.js';

export type RefCheckKind = 'double-put' | 'use-after-put' | 'leak' | 'dropped' | 'mismatch';

export interface RefCheckSites {
  /** Where the reference was made (constructor, get, merge or intersect result). */
  get?: FormattedSite;
  /** Where it was put (the first put, for a double put). */
  put?: FormattedSite;
  /** The second put of a double put. */
  secondPut?: FormattedSite;
  /** The call that used a reference after its put. */
  access?: FormattedSite;
}

export class RefCheckError extends CpuMapError {
  readonly kind: RefCheckKind;
  /** Serial of the reference (cell) at fault, and of its map. */
  readonly cell?: number;
  readonly map?: number;
  readonly sites: RefCheckSites;

  constructor(kind: RefCheckKind, message: string, sites: RefCheckSites = {}, cell?: Cell) {
    super('EREFCHECK', message);
    this.name = 'RefCheckError';
    this.kind = kind;
    this.sites = sites;
    if (cell !== undefined) {
      this.cell = cell.serial;
      this.map = cell.map.serial;
    }
  }
}

/** "  title by api:" and the site's frames; a plain put() needs no "by". */
function section(title: string, site: Site | undefined, showApi = true): string {
  const api = showApi ? formatSite(site).api : '';
  return `  ${title}${api && api !== PUT_API ? ` by ${api}` : ''}:\n${siteLines(site)}`;
}

export function doublePut(cell: Cell, second: Site | undefined): RefCheckError {
  const message =
    `double put of reference #${cell.serial} to map #${cell.map.serial} at ${siteLocation(second)}\n` +
    `${section('reference made', cell.getSite)}\n${section('first put', cell.putSite)}\n${section('second put', second)}`;
  return new RefCheckError('double-put', message, {
    get: formatSite(cell.getSite), put: formatSite(cell.putSite), secondPut: formatSite(second),
  }, cell);
}

/** What the user called: toJSON is named with the JSON.stringify that calls it. */
function accessName(access: string): string {
  return access === 'toJSON' ? 'toJSON() (JSON.stringify)' : `${access}()`;
}

export function useAfterPut(cell: Cell, access: string, at: Site | undefined): RefCheckError {
  const called = accessName(access);
  const alive = cell.map.live > 0 ? ` (map #${cell.map.serial} is still alive through ${cell.map.live} other reference${cell.map.live === 1 ? '' : 's'})` : '';
  const message =
    `use after put: ${called} through reference #${cell.serial} at ${siteLocation(at)}${alive}\n` +
    `${section(`${called} called`, at, false)}\n${section('reference made', cell.getSite)}\n${section('put', cell.putSite)}`;
  return new RefCheckError('use-after-put', message, {
    access: formatSite(at), get: formatSite(cell.getSite), put: formatSite(cell.putSite),
  }, cell);
}
