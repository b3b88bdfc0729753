// The perf.data inspector's Topology section: the file's cpus grouped as
// perf stat groups them (socket, die, core, node) from the header's
// CPU_TOPOLOGY and NUMA_TOPOLOGY, with perf stat's labels, a grid per group,
// and the aggregation mode the file was recorded with.
//
// Every map is read out into plain data and put at once; switching the level
// only swaps rendered groups.

import { CpuMap, Topology, TopologyError, type AggrLevel } from '../src/index.js';
import type { PerfDataInfo } from '../src/perfdata.js';
import { h, messageOf, plural, type Child } from './dom.js';
import { CpuGrid, flushGrids } from './grid.js';
import { AGGR_MODE_OPTION, aggrModeCandidates, recordedAggrMode, type RecordedAggrMode } from './aggr-mode.js';
import './topology.css';

/** The levels the section offers, with perf stat's option for each. */
export const TOPOLOGY_LEVELS: readonly { level: AggrLevel; option: string }[] = [
  { level: 'socket', option: '--per-socket' },
  { level: 'die', option: '--per-die' },
  { level: 'core', option: '--per-core' },
  { level: 'node', option: '--per-node' },
];

interface Group {
  label: string;
  cpus: number[];
  list: string;
}

interface Grouping {
  /** The cpus grouped, as a list, and where they come from. */
  list: string;
  source: string;
  extent: number;
  byLevel: Map<AggrLevel, Group[]>;
}

let sectionCount = 0;

/** The cpus the file recorded: its CPU_MAP event (as perf stat report uses it), else every cpu of the header. */
function fileCpus(info: PerfDataInfo, topology: Topology): { map: CpuMap; source: string } {
  const ev = info.cpuMapEvents.find((e) => e.source === 'cpu_map');
  if (ev !== undefined) {
    try {
      return { map: CpuMap.decode(ev.payloadLittleEndian, { lenient: true }), source: `the CPU_MAP event at offset ${ev.offset}` };
    } catch (e) {
      return { map: CpuMap.fromCpus(topology.cpus()), source: `every cpu of the header (the CPU_MAP event does not decode: ${messageOf(e)})` };
    }
  }
  return { map: CpuMap.fromCpus(topology.cpus()), source: 'every cpu of the header (the file has no CPU_MAP event)' };
}

function group(info: PerfDataInfo, topology: Topology): Grouping {
  const { map, source } = fileCpus(info, topology);
  try {
    const byLevel = new Map<AggrLevel, Group[]>();
    for (const { level } of TOPOLOGY_LEVELS) {
      const agg = topology.aggregate(map, level);
      try {
        byLevel.set(level, agg.groups.map((g) => ({ label: g.label, cpus: g.cpus.toArray(), list: g.cpus.toString() })));
      } finally {
        agg.put();
      }
    }
    return { list: map.toString(), source, extent: info.features.nrcpus?.available ?? 0, byLevel };
  } finally {
    map.put();
  }
}

function modeText(r: RecordedAggrMode): Child[] {
  const s = r.stat;
  if (s === undefined) {
    if (r.cmdline !== undefined) return [h('b', null, r.cmdline), ' (the recorded command line; the file has no STAT_CONFIG event)'];
    return [r.isStat ? 'not recorded (no STAT_CONFIG event with an aggregation mode)' : 'none: not a perf stat file'];
  }
  const numbering = s.version !== undefined ? `as perf ${s.version} numbers it` : 'no perf version in the file';
  const named = s.name !== undefined
    ? [h('b', null, AGGR_MODE_OPTION[s.name]), s.name === 'cache' && s.cacheLevel ? ` (L${s.cacheLevel})` : '']
    : [h('b', null, `aggr_mode ${s.value}`), `: ${aggrModeCandidates(s.value).join(', ') || 'unknown to every perf version'}`];
  return [
    ...named,
    ` — STAT_CONFIG event at offset ${s.offset}: aggr_mode ${s.value} (${numbering})`,
    r.cmdline !== undefined ? `; command line: ${r.cmdline}` : '',
  ];
}

function groupItem(g: Group, extent: number): HTMLElement {
  const grid = new CpuGrid(`cpus of ${g.label || 'the group'}`);
  grid.show(g.cpus, extent);
  const count = g.cpus.filter((c) => c >= 0).length;
  const any = count < g.cpus.length;
  return h('li', { class: 'topo-group', 'data-label': g.label, 'data-cpus': g.list },
    h('p', { class: 'tg-head' },
      h('b', { class: 'tg-label', 'data-field': 'label' }, g.label || '(global)'),
      h('span', { class: 'tg-nr', 'data-field': 'nr' }, any ? `${count ? `${plural(count, 'cpu')} and ` : ''}the any-cpu entry` : plural(count, 'cpu')),
      h('span', { class: 'tg-cpus', 'data-field': 'cpus' }, g.list)),
    grid.el);
}

function renderGroups(out: HTMLElement, grouping: Grouping, level: AggrLevel): void {
  const groups = grouping.byLevel.get(level) ?? [];
  const option = TOPOLOGY_LEVELS.find((l) => l.level === level)?.option ?? level;
  out.dataset.level = level;
  out.replaceChildren(
    h('p', { class: 'small muted tg-sum' },
      `${plural(groups.length, 'group')} by ${level}, labelled as perf stat ${option} prints them.`),
    h('ul', { class: 'topo-groups', tabindex: 0, 'aria-label': `The file's cpus by ${level}` },
      groups.map((g) => groupItem(g, grouping.extent))));
  // the first render is detached: the inspector flushes the grids once it attaches the section
  if (out.isConnected) flushGrids();
}

export function topologySection(info: PerfDataInfo): HTMLElement {
  const id = ++sectionCount;
  const recorded = recordedAggrMode(info);
  const mode = h('p', { class: 'topo-mode', 'data-field': 'aggr-mode', 'data-mode': recorded.stat?.name ?? (recorded.stat ? `value-${recorded.stat.value}` : 'none') },
    'Aggregation mode recorded: ', modeText(recorded));
  const section = h('section', { class: 'card', id: 'pd-topology' },
    h('h3', { class: 'section-title' }, 'Topology ', h('small', null, "(the file's cpus grouped as perf stat report groups them)")),
    mode);

  let topology: Topology;
  try {
    topology = Topology.fromPerfData(info);
  } catch (e) {
    const none = e instanceof TopologyError && e.code === 'ENOFEATURE';
    section.dataset.state = none ? 'none' : 'error';
    section.append(h('p', none ? { class: 'nofeat' } : { class: 'parse-error', role: 'alert' },
      none && info.mode === 'pipe' && info.featureSections.length === 0
        ? 'No topology: this pipe carries no header features, so there is nothing to group by.'
        : `No topology to group by: ${messageOf(e)}.`));
    return section;
  }

  let grouping: Grouping;
  try {
    grouping = group(info, topology);
  } catch (e) {
    section.dataset.state = 'error';
    section.append(h('p', { class: 'parse-error', role: 'alert' }, `Could not group the cpus: ${messageOf(e)}`));
    return section;
  }
  section.dataset.state = 'groups';
  const recordedLevel = TOPOLOGY_LEVELS.find((l) => l.level === recorded.stat?.name)?.level;
  const initial: AggrLevel = recordedLevel ?? 'socket';
  const groupsOut = h('div', { class: 'topo-out' });
  const radios = TOPOLOGY_LEVELS.map(({ level, option }) => h('label', { class: 'topo-level' },
    h('input', {
      type: 'radio', name: `topo-level-${id}`, value: level, checked: level === initial,
      onchange: () => renderGroups(groupsOut, grouping, level),
    }),
    ` ${level} `, h('span', { class: 'muted small mono' }, option)));
  section.append(
    h('p', { class: 'small topo-cpus' }, 'Cpus: ', h('span', { class: 'mono', 'data-field': 'topo-cpus' }, grouping.list || '(none)'),
      ` — ${grouping.source}.`),
    h('fieldset', { class: 'topo-levels' }, h('legend', null, 'Group by'), radios),
    groupsOut);
  renderGroups(groupsOut, grouping, initial);
  return section;
}
