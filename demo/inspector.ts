// View 2: the CPU maps inside a perf.data file, and the header's cpu facts.
// The file is read in the page (File.arrayBuffer); nothing leaves it.

import { CpuMap, CpuMapError } from '../src/index.js';
import { readPerfData, PerfDataError, type PerfDataInfo, type PerfCpuMapEvent } from '../src/perfdata.js';
import { h, byId, messageOf, plural, type Child } from './dom.js';
import { describeMap, statsList } from './mapview.js';
import { CpuGrid, flushGrids } from './grid.js';
import { topologySection } from './topology-view.js';
import maskExample from '../test/fixtures/perf-data/stat-mask-0-2-4.data?url';
import cpusExample from '../test/fixtures/perf-data/stat-cpus-0-3.data?url';
import pipeExample from '../test/fixtures/perf-data/record-cpu1-pipe.data?url';

const EXAMPLES = [
  {
    id: 'stat-mask', url: maskExample, name: 'stat-mask-0-2-4.data',
    title: 'perf stat, file mode: a MASK map',
    cmd: 'perf stat record -C 0,2,4 -e task-clock -- sleep 0.05',
  },
  {
    id: 'stat-cpus', url: cpusExample, name: 'stat-cpus-0-3.data',
    title: 'perf stat, file mode: a CPUS list',
    cmd: 'perf stat record -C 0,3 -e task-clock -- sleep 0.05',
  },
  {
    id: 'record-pipe', url: pipeExample, name: 'record-cpu1-pipe.data',
    title: 'perf record to a pipe: a RANGE map',
    cmd: 'perf record -o - -C 1 -e cpu-clock -F 100 -- sleep 0.05 > record-cpu1-pipe.data',
  },
];

const ENCODINGS = ['CPUS', 'MASK', 'RANGE'];

function bytesText(n: number): string {
  return n < 1024 ? plural(n, 'byte') : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

function fact(label: string, value: Child, key?: string): HTMLElement {
  return h('span', { class: 'fact', 'data-fact': key }, `${label} `, h('b', null, value));
}

/** What the payload's own fields say: the encoding perf chose and its parameters. */
function encodingOf(p: Uint8Array): { name: string; detail: string } {
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  if (p.byteLength < 2) return { name: '?', detail: `payload of ${p.byteLength} bytes` };
  const type = v.getUint16(0, true);
  const name = ENCODINGS[type] ?? `type ${type}`;
  try {
    if (type === 0) return { name, detail: `nr ${v.getUint16(2, true)}: a list of u16 cpu numbers` };
    if (type === 1) {
      const nr = v.getUint16(2, true);
      const longSize = v.getUint16(4, true);
      return { name, detail: `nr ${nr} word${nr === 1 ? '' : 's'}, long_size ${longSize} (${longSize * 8}-bit bitmap words)` };
    }
    if (type === 2) {
      return {
        name,
        detail: `any_cpu ${v.getUint8(2)}, start_cpu ${v.getUint16(4, true)}, end_cpu ${v.getUint16(6, true)}`,
      };
    }
  } catch {
    return { name, detail: 'payload too short for its fields' };
  }
  return { name, detail: 'unknown payload type' };
}

function hex(p: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < p.length; i += 2) {
    parts.push(Array.from(p.subarray(i, i + 2), (b) => b.toString(16).padStart(2, '0')).join(''));
  }
  return parts.join(' ');
}

function mapBlock(make: () => CpuMap, extent: number, label: string, compact = false): HTMLElement[] {
  let map: CpuMap | undefined;
  try {
    map = make();
    const info = describeMap(map);
    const grid = new CpuGrid(label);
    // not attached yet: the grid draws when it gets its width (ResizeObserver)
    grid.show(info.cpus, extent);
    return [statsList(info, compact), grid.el];
  } catch (e) {
    const where = e instanceof CpuMapError && e.field !== undefined ? ` (field ${e.field}, offset ${e.offset})` : '';
    return [h('div', { class: 'parse-error', role: 'alert' }, h('p', { class: 'perr-msg' },
      h('span', { class: 'code' }, e instanceof CpuMapError ? e.code : 'Error'), ` ${messageOf(e)}${where}`))];
  } finally {
    map?.put();
  }
}

function eventCard(ev: PerfCpuMapEvent, i: number, extent: number, pipe: boolean): HTMLElement {
  const enc = encodingOf(ev.payloadLittleEndian);
  const title = ev.source === 'cpu_map' ? 'CPU_MAP' : 'EVENT_UPDATE (cpus)';
  const where = `offset ${ev.offset}${pipe ? ` (perf -D: 0x${(ev.offset - 16).toString(16)})` : ''} · ${ev.size} bytes`;
  return h('article', { class: 'event', 'data-event': i, 'data-encoding': enc.name },
    h('h4', null, title, ev.eventId !== undefined ? h('span', { class: 'at' }, `event id ${ev.eventId}`) : null,
      h('span', { class: 'at' }, where)),
    h('div', null, h('span', { class: 'enc', 'data-field': 'encoding' }, enc.name), ' ',
      h('span', { class: 'small muted', 'data-field': 'encoding-detail' }, enc.detail)),
    h('p', { class: 'hex', title: 'payload bytes (little endian), after the 8-byte event header' },
      'payload ', h('span', { class: 'hl' }, hex(ev.payloadLittleEndian))),
    mapBlock(() => CpuMap.decode(ev.payloadLittleEndian), extent, `cpus of ${title} event ${i + 1}`),
  );
}

function topoCard(title: string, list: string, extent: number, key: string, extra?: Child): HTMLElement {
  return h('article', { class: 'topo', 'data-topo': key },
    h('h4', null, title, extra ? h('span', { class: 'at' }, extra) : null),
    mapBlock(() => CpuMap.parse(list), extent, title, true));
}

function header(name: string, size: number, info: PerfDataInfo): HTMLElement {
  const f = info.features;
  const cmd = f.cmdline?.length ? f.cmdline.join(' ') : undefined;
  const events = Object.entries(info.events).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  return h('section', { class: 'card', id: 'pd-file', 'data-mode': info.mode },
    h('div', { class: 'file-head' }, h('h2', null, name),
      h('span', { class: 'muted small' }, `${bytesText(size)} · ${plural(info.totalEvents, 'event')}`)),
    h('div', { class: 'facts' },
      fact('mode', info.mode, 'mode'),
      fact('byte order', info.byteOrder, 'byte-order'),
      f.version ? fact('perf', f.version) : null,
      f.hostname ? fact('host', f.hostname) : null,
      f.arch ? fact('arch', f.arch) : null,
      f.cpuDesc ? fact('cpu', f.cpuDesc) : null,
      f.stat ? fact('', 'perf stat data') : null),
    cmd ? h('p', { class: 'cmdline' }, `$ ${cmd.replace(/^\/usr\/bin\//, '')}`) : null,
    h('p', { class: 'small muted', style: 'margin:8px 0 0' }, `Events: ${events || 'none'}`));
}

function cpuMaps(info: PerfDataInfo, extent: number): HTMLElement {
  const evs = info.cpuMapEvents;
  return h('section', { class: 'card', id: 'pd-maps' },
    h('h3', { class: 'section-title' }, 'CPU maps in the events ',
      h('small', null, evs.length ? `(${evs.length}, decoded by CpuMap.decode)` : '')),
    evs.length === 0
      ? h('p', { class: 'nofeat' }, 'No CPU_MAP or EVENT_UPDATE (cpus) event in this file.')
      : h('div', { class: 'event-list' }, evs.map((ev, i) => eventCard(ev, i, extent, info.mode === 'pipe'))));
}

function headerCpus(info: PerfDataInfo, extent: number): HTMLElement {
  const f = info.features;
  const body: Child[] = [];
  if (f.nrcpus) {
    body.push(h('div', { class: 'facts', style: 'margin:0 0 12px' },
      fact('nrcpus online', f.nrcpus.online, 'online'), fact('available', f.nrcpus.available, 'available')));
  }
  const cards: HTMLElement[] = [];
  const t = f.cpuTopology;
  if (t) {
    t.coreSiblings.forEach((l, i) => cards.push(topoCard(`Socket ${i}: core siblings`, l, extent, `socket-${i}`)));
    t.dieSiblings?.forEach((l, i) => cards.push(topoCard(`Die ${i}: die siblings`, l, extent, `die-${i}`)));
    t.threadSiblings.forEach((l, i) => cards.push(topoCard(`Core ${i}: thread siblings`, l, extent, `core-${i}`)));
  }
  for (const n of f.numaTopology ?? []) {
    const mem = `${(n.memTotal / 1048576).toFixed(1)} GiB, ${(n.memFree / 1048576).toFixed(1)} GiB free`;
    cards.push(topoCard(`NUMA node ${n.node}`, n.cpus, extent, `numa-${n.node}`, mem));
  }
  if (cards.length) body.push(h('div', { class: 'topo-list' }, cards));
  const tables: HTMLElement[] = [];
  if (t?.cpus?.length) {
    tables.push(h('div', null, h('h4', { class: 'tbl-title' }, 'Per cpu'),
      h('div', { class: 'tbl-wrap' }, h('table', { class: 'tbl' },
        h('thead', null, h('tr', null, h('th', null, 'cpu'), h('th', null, 'core id'), h('th', null, 'die id'), h('th', null, 'socket id'))),
        h('tbody', null, t.cpus.map((c, i) => h('tr', null,
          h('td', { class: 'mono' }, i), h('td', { class: 'mono' }, c.coreId),
          h('td', { class: 'mono' }, c.dieId ?? '–'), h('td', { class: 'mono' }, c.socketId))))))));
  }
  if (f.cache?.length) {
    tables.push(h('div', null, h('h4', { class: 'tbl-title' }, 'Caches'),
      h('div', { class: 'tbl-wrap' }, h('table', { class: 'tbl' },
        h('thead', null, h('tr', null, h('th', null, 'level'), h('th', null, 'type'), h('th', null, 'size'), h('th', null, 'shared by cpus'))),
        h('tbody', null, f.cache.map((c) => h('tr', null,
          h('td', { class: 'mono' }, `L${c.level}`), h('td', null, c.type), h('td', { class: 'mono' }, c.size),
          h('td', { class: 'mono' }, c.map))))))));
  }
  if (tables.length) body.push(h('div', { class: 'cols-2 tables' }, tables));
  if (body.length === 0) {
    body.push(h('p', { class: 'nofeat' }, info.mode === 'pipe'
      ? 'No cpu information: this pipe carries no header features (perf stat record -o - writes none).'
      : 'No cpu information: the header has no NRCPUS, CPU_TOPOLOGY or NUMA_TOPOLOGY feature.'));
  }
  return h('section', { class: 'card', id: 'pd-header' },
    h('h3', { class: 'section-title' }, 'CPU information in the header ', h('small', null, '(NRCPUS, CPU_TOPOLOGY, NUMA_TOPOLOGY, CACHE)')),
    body);
}

function errorCard(name: string, size: number, e: unknown): HTMLElement {
  const isPerf = e instanceof PerfDataError;
  return h('section', { class: 'card error-card', id: 'pd-error', role: 'alert', 'data-offset': isPerf ? e.offset : undefined },
    h('h2', null, isPerf ? `${name} is not a perf.data file this reader understands` : `Could not read ${name}`),
    h('pre', null, messageOf(e)),
    h('p', { class: 'offset' }, isPerf
      ? `At file offset ${e.offset} (0x${e.offset.toString(16)}) of ${bytesText(size)}.`
      : `${bytesText(size)} read.`));
}

export interface Inspector {
  open(name: string, bytes: Uint8Array): void;
}

export function initInspector(onChange: () => void): Inspector {
  const out = byId('pd-out');
  const drop = byId('drop');
  const file = byId<HTMLInputElement>('file');
  const examples = byId('examples');

  function open(name: string, bytes: Uint8Array): void {
    let nodes: HTMLElement[];
    try {
      const info = readPerfData(bytes);
      const extent = info.features.nrcpus?.available ?? 0;
      nodes = [header(name, bytes.length, info), cpuMaps(info, extent), headerCpus(info, extent), topologySection(info)];
    } catch (e) {
      nodes = [errorCard(name, bytes.length, e)];
    }
    out.replaceChildren(...nodes);
    flushGrids();
    out.dataset.file = name;
    for (const b of examples.querySelectorAll<HTMLElement>('[data-example]')) {
      b.setAttribute('aria-current', String(b.dataset.name === name));
    }
    onChange();
  }

  async function openFile(f: File): Promise<void> {
    out.replaceChildren(h('p', { class: 'card muted' }, `Reading ${f.name}…`));
    try {
      open(f.name, new Uint8Array(await f.arrayBuffer()));
    } catch (e) {
      out.replaceChildren(errorCard(f.name, f.size, e));
    }
  }

  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f) void openFile(f);
    file.value = '';
  });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) void openFile(f);
  });
  // a file dropped beside the zone must not navigate away from the page
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());

  for (const ex of EXAMPLES) {
    examples.append(h('li', null, h('button', {
      type: 'button', class: 'example', 'data-example': ex.id, 'data-name': ex.name, title: `$ ${ex.cmd}`,
      onclick: async () => {
        out.replaceChildren(h('p', { class: 'card muted' }, `Opening ${ex.name}…`));
        try {
          const res = await fetch(ex.url);
          if (!res.ok) throw new Error(`${ex.url}: HTTP ${res.status}`);
          open(ex.name, new Uint8Array(await res.arrayBuffer()));
        } catch (e) {
          out.replaceChildren(errorCard(ex.name, 0, e));
        }
      },
    }, h('b', null, ex.title), h('span', null, ex.name))));
  }
  return { open };
}
