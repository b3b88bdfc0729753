// Leak reports: live references grouped by the site that made them, as text
// and as JSON (shape versioned by REPORT_VERSION, documented in the README).

import { Cell, DROPPED, MapRecord } from './cell.js';
import { formatSite, stackKey, frameLines, siteLines, NO_STACK } from './sites.js';
import type { Frame } from './sites.js';

export const REPORT_VERSION = 1;

export interface LeakGroup {
  /** 'leak': a reference still held; 'dropped': its handle was garbage-collected unput. */
  kind: 'leak' | 'dropped';
  /** The first user frame where the references were made, file:line:column (groups are by whole stack: several can share it). */
  site: string;
  /** The library call made there (CpuMap.parse, CpuMap.get, perf_cpu_map__merge...). */
  api: string;
  /** How many references this site leaked. */
  count: number;
  /** The user's frames where they were made, innermost first: every reference of a group was made along this same stack. */
  stack: Frame[];
  /** Serials of the first few references (cells) and of their maps. */
  cells: number[];
  maps: number[];
}

export interface LeakReport {
  version: typeof REPORT_VERSION;
  /** References held (live and dropped) in the report. */
  references: number;
  /** Distinct maps they refer to. */
  maps: number;
  groups: LeakGroup[];
}

const SAMPLE = 5;

/** Group cells by kind and whole stack where made (as LeakSanitizer lists each distinct allocation stack); largest groups first. */
export function buildReport(cells: Iterable<Cell>): LeakReport {
  const groups = new Map<string, LeakGroup>();
  const maps = new Set<MapRecord>();
  let references = 0;
  for (const cell of cells) {
    references++;
    maps.add(cell.map);
    const kind = cell.state === DROPPED ? 'dropped' : 'leak';
    const key = `${kind} ${stackKey(cell.getSite)}`;
    let group = groups.get(key);
    if (group === undefined) {
      const formatted = formatSite(cell.getSite);
      const site = formatted.frames[0]?.location ?? NO_STACK;
      group = { kind, site, api: formatted.api, count: 0, stack: formatted.frames, cells: [], maps: [] };
      groups.set(key, group);
    }
    group.count++;
    if (group.cells.length < SAMPLE) {
      group.cells.push(cell.serial);
      group.maps.push(cell.map.serial);
    }
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || a.site.localeCompare(b.site));
  return { version: REPORT_VERSION, references, maps: maps.size, groups: sorted };
}

/** The report as text, LeakSanitizer-like: one paragraph per group; `thread` names a worker. */
export function reportText(report: LeakReport, thread = ''): string {
  const who = thread === '' ? 'cpumap-wasm refcheck' : `cpumap-wasm refcheck (${thread})`;
  if (report.references === 0) return `${who}: no leaked references`;
  const head = `${who}: ${report.references} leaked reference${report.references === 1 ? '' : 's'} ` +
    `to ${report.maps} map${report.maps === 1 ? '' : 's'}, from ${report.groups.length} site${report.groups.length === 1 ? '' : 's'}`;
  const body = report.groups.map((g) => {
    const what = g.kind === 'dropped' ? 'dropped without put (handle garbage-collected)' : 'never put';
    const refs = `${g.count} reference${g.count === 1 ? '' : 's'}`;
    const made = g.api ? ` made by ${g.api}` : '';
    const sample = `references #${g.cells.join(', #')}${g.count > g.cells.length ? ', …' : ''}`;
    const stack = frameLines(g.stack);
    return `${refs}${made}, ${what} (${sample}):\n${stack}`;
  });
  return [head, ...body].join('\n\n');
}

export { siteLines };
