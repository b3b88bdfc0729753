// View 2: the CPU maps inside a perf.data file, and the header's cpu facts.
// The file is read in the page (File.arrayBuffer); nothing leaves it.

import { CpuMap, CpuMapError } from '../src/index.js';
import type { PerfDataInfo, PerfCpuMapEvent } from '../src/perfdata.js';
import { h, byId, messageOf, plural, type Child } from './dom.js';
import { statsList } from './mapview.js';
import { describeMap } from './map-info.js';
import { CpuGrid, flushGrids } from './grid.js';
import { readFile, type Problem } from './perf-read.js';
import { readExtras, perfDumpOffset, maskLostCpus, type PerfExtras } from './perf-records.js';
import { revealIfHidden } from './reveal.js';
import { topologySection } from './topology-view.js';
import maskExample from '../test/fixtures/perf-data/stat-mask-0-2-4.data?url';
import cpusExample from '../test/fixtures/perf-data/stat-cpus-0-3.data?url';
import pipeExample from '../test/fixtures/perf-data/record-cpu1-pipe.data?url';
import taskExample from '../test/fixtures/perf-data/stat-task.data?url';
import allCpusExample from '../test/fixtures/perf-data/record-all-cpus.data?url';
import updateExample from '../test/fixtures/perf-data/stat-duration-pipe.data?url';
import lostExample from '../test/fixtures/perf-data/stat-mask-0-1-32.data?url';

// all recorded on a 2-cpu machine (cpus 0-1): asking for others shows what perf writes for cpus that do not exist
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
    id: 'stat-task', url: taskExample, name: 'stat-task.data',
    title: 'perf stat of a task: the any-cpu map',
    cmd: 'perf stat record -e task-clock -- sleep 0.05',
  },
  {
    id: 'record-all', url: allCpusExample, name: 'record-all-cpus.data',
    title: 'perf record -a: every cpu',
    cmd: 'perf record -a -e cpu-clock -F 100 -- sleep 0.05',
  },
  {
    id: 'record-pipe', url: pipeExample, name: 'record-cpu1-pipe.data',
    title: 'perf record to a pipe: a RANGE map',
    cmd: 'perf record -o - -C 1 -e cpu-clock -F 100 -- sleep 0.05 > record-cpu1-pipe.data',
  },
  {
    id: 'stat-update', url: updateExample, name: 'stat-duration-pipe.data',
    title: 'perf stat to a pipe: EVENT_UPDATE cpus',
    cmd: 'perf stat record -o - -a -e duration_time,task-clock -- sleep 0.05 > stat-duration-pipe.data',
  },
  {
    id: 'mask-lost', url: lostExample, name: 'stat-mask-0-1-32.data',
    title: "perf's MASK writer loses cpu 32",
    cmd: 'perf stat record -C 0,1,32 -e task-clock -- sleep 0.05',
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

/** Warnings about one CPU map: cpus the machine did not have, cpus perf's MASK writer lost. */
function mapWarnings(ev: PerfCpuMapEvent, info: PerfDataInfo): HTMLElement[] {
  const out: HTMLElement[] = [];
  const { nr, lost } = maskLostCpus(ev.payloadLittleEndian);
  if (lost.length) {
    out.push(h('p', { class: 'warn', 'data-warning': 'mask-lost' },
      `${plural(lost.length, 'cpu')} lost: ${lost.join(', ')}. perf's MASK writer counts words from the largest cpu ` +
      `(ceil(max / 32)) instead of the largest + 1, so the bit of cpu ${lost[0]} was written past the ${plural(nr, 'word')} ` +
      'that nr counts: perf itself and every reader lose it.'));
  }
  const avail = info.features.nrcpus?.available;
  if (avail !== undefined) {
    let missing: number[] = [];
    try {
      const m = CpuMap.decode(ev.payloadLittleEndian);
      try {
        missing = m.toArray().filter((c) => c >= avail);
      } finally {
        m.put();
      }
    } catch {
      // an undecodable map is reported by its card
    }
    if (missing.length) {
      out.push(h('p', { class: 'warn', 'data-warning': 'no-such-cpu' },
        `${missing.length === 1 ? `cpu ${missing[0]} was` : `cpus ${missing.join(', ')} were`} not on the machine that recorded this ` +
        `file (NRCPUS: ${avail} available, cpus 0–${avail - 1}). perf accepts such cpus with -C and writes them into the map; ` +
        'their counters read <not supported>.'));
    }
  }
  return out;
}

function eventCard(ev: PerfCpuMapEvent, i: number, extent: number, info: PerfDataInfo, extras: PerfExtras, fileName: string): HTMLElement {
  const enc = encodingOf(ev.payloadLittleEndian);
  const title = ev.source === 'cpu_map' ? 'CPU_MAP' : 'EVENT_UPDATE (cpus)';
  const name = ev.eventId !== undefined ? extras.names.get(ev.eventId) : undefined;
  return h('article', { class: 'event', 'data-event': i, 'data-encoding': enc.name },
    h('h4', null, title,
      h('span', { class: 'at', 'data-field': 'offset', title: 'offset and size as perf report -D prints them' },
        perfDumpOffset(ev.offset, ev.size, info.mode, fileName))),
    ev.eventId !== undefined
      ? h('p', { class: 'event-of', 'data-field': 'event-name' }, 'cpus of event ', h('b', null, name?.name ?? '(unnamed)'),
        h('span', { class: 'muted' }, ` · id ${ev.eventId}`))
      : null,
    h('div', null, h('span', { class: 'enc', 'data-field': 'encoding' }, enc.name), ' ',
      h('span', { class: 'small muted', 'data-field': 'encoding-detail' }, enc.detail)),
    h('p', { class: 'hex', title: 'payload bytes (little endian), after the 8-byte event header' },
      'payload ', h('span', { class: 'hl' }, hex(ev.payloadLittleEndian))),
    mapWarnings(ev, info),
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
    h('div', { class: 'file-head' }, h('h3', null, name),
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

function cpuMaps(info: PerfDataInfo, extent: number, extras: PerfExtras, fileName: string): HTMLElement {
  const evs = info.cpuMapEvents;
  return h('section', { class: 'card', id: 'pd-maps' },
    h('h3', { class: 'section-title' }, 'CPU maps in the events ',
      h('small', null, evs.length ? `(${evs.length}, decoded by CpuMap.decode)` : '')),
    evs.length === 0
      ? h('p', { class: 'nofeat' }, 'No CPU_MAP or EVENT_UPDATE (cpus) event in this file.')
      : h('div', { class: 'event-list' }, evs.map((ev, i) => eventCard(ev, i, extent, info, extras, fileName))));
}

/** The events perf counted or sampled (the attrs), with their names and ids, and the THREAD_MAP. */
function eventsAndThreads(info: PerfDataInfo, extras: PerfExtras, fileName: string): HTMLElement {
  const from = { event_desc: 'EVENT_DESC', event_update: 'EVENT_UPDATE (name)', attr: 'type and config' } as const;
  const list = extras.events.length === 0
    ? h('p', { class: 'nofeat' }, 'No event attributes in this file.')
    : h('div', { class: 'tbl-wrap' }, h('table', { class: 'tbl', id: 'pd-event-list' },
      h('thead', null, h('tr', null, h('th', null, 'event'), h('th', null, 'type'), h('th', null, 'config'),
        h('th', null, 'sample ids'), h('th', null, 'name from'))),
      h('tbody', null, extras.events.map((e) => h('tr', { 'data-event-name': e.name },
        h('td', { class: 'mono' }, e.name), h('td', { class: 'mono' }, e.type), h('td', { class: 'mono' }, `0x${e.config.toString(16)}`),
        h('td', { class: 'mono' }, e.ids.length ? e.ids.join(', ') : '–'), h('td', null, from[e.from]))))));
  const threads = extras.threadMaps.length === 0
    ? h('p', { class: 'nofeat' }, 'No THREAD_MAP event in this file.')
    : extras.threadMaps.map((t) => h('div', { class: 'thread-map', 'data-thread-map': t.offset },
      h('p', { class: 'small' }, h('b', null, 'THREAD_MAP '), h('span', { class: 'mono muted' }, perfDumpOffset(t.offset, t.size, info.mode, fileName)),
        ` · ${plural(t.threads.length, 'thread')}`),
      h('ul', { class: 'threads' }, t.threads.map((th) => h('li', { class: 'mono', 'data-pid': th.pid },
        th.pid === -1 ? '-1 (any thread: counting on cpus, not a task)' : `pid ${th.pid}${th.comm ? ` ${th.comm}` : ''}`)))));
  return h('section', { class: 'card', id: 'pd-events' },
    h('h3', { class: 'section-title' }, 'Events and threads'),
    h('div', { class: 'cols-2 tables' },
      h('div', null, h('h4', { class: 'tbl-title' }, 'Event list'), list),
      h('div', null, h('h4', { class: 'tbl-title' }, 'Thread map'), threads)));
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

/** A message with its file offset said once, in decimal and in hex. */
function withOffset(text: string, offset: number): string {
  // PerfDataError ends its message with " (file offset N)": said again below otherwise
  const message = text.replace(/ \(file offset \d+\)$/, '');
  const said = `offset ${offset}`;
  const hexed = `offset ${offset} (0x${offset.toString(16)})`;
  return message.includes(said) ? message.replace(said, hexed) : `${message} (at file ${hexed})`;
}

/** The problems that stopped or limited the reading: with a partial result, above it; alone, as the result. */
function problemsCard(name: string, size: number, problems: Problem[], partial: boolean, read: boolean): HTMLElement {
  const first = problems[0]!;
  return h('section', { class: 'card error-card', id: 'pd-error', role: 'alert', 'data-offset': first.offset },
    h('h3', null, read
      ? `${name}: read up to a problem; what came before it is shown below`
      : `${name} is not a perf.data file this reader understands`),
    problems.map((p) => h('pre', { 'data-code': p.code }, withOffset(p.message, p.offset))),
    h('p', { class: 'offset' }, read && partial
      ? `${bytesText(size)} in the file. Everything below was read before the problem.`
      : `${bytesText(size)} in the file.`));
}

export interface Inspector {
  open(name: string, bytes: Uint8Array): void;
  /** Open a bundled example by id (a link's `ex=`). */
  openExample(id: string): Promise<void>;
  state(): { example?: string };
}

export function initInspector(onChange: () => void): Inspector {
  const out = byId('pd-out');
  const openRow = byId('open-row');
  const drop = byId('drop');
  const file = byId<HTMLInputElement>('file');
  const examples = byId('examples');
  /** The bundled example open now (a file the visitor opened is not in a link). */
  let example: string | undefined;

  function failure(name: string, size: number, e: unknown): HTMLElement {
    return problemsCard(name, size, [{ code: 'Error', message: messageOf(e), offset: 0 }], true, false);
  }

  function open(name: string, bytes: Uint8Array, exampleId?: string): void {
    const read = readFile(bytes);
    const nodes: HTMLElement[] = [];
    if (read.problems.length) nodes.push(problemsCard(name, bytes.length, read.problems, read.partial, read.info !== undefined));
    if (read.info) {
      const info = read.info;
      const extras = readExtras(bytes, info);
      const extent = info.features.nrcpus?.available ?? 0;
      nodes.push(header(name, bytes.length, info), cpuMaps(info, extent, extras, name), eventsAndThreads(info, extras, name),
        headerCpus(info, extent), topologySection(info));
    }
    out.replaceChildren(...nodes);
    flushGrids();
    out.dataset.file = name;
    out.dataset.partial = read.partial ? '1' : '0';
    example = exampleId;
    openRow.classList.add('compact');
    for (const b of examples.querySelectorAll<HTMLElement>('[data-example]')) {
      b.setAttribute('aria-current', String(b.dataset.example === exampleId));
    }
    revealIfHidden(out);
    onChange();
  }

  async function openFile(f: File): Promise<void> {
    out.replaceChildren(h('p', { class: 'card muted' }, `Reading ${f.name}…`));
    try {
      open(f.name, new Uint8Array(await f.arrayBuffer()));
    } catch (e) {
      out.replaceChildren(failure(f.name, f.size, e));
    }
  }

  async function openExample(id: string): Promise<void> {
    const ex = EXAMPLES.find((e) => e.id === id);
    if (ex === undefined) return;
    out.replaceChildren(h('p', { class: 'card muted' }, `Opening ${ex.name}…`));
    try {
      const res = await fetch(ex.url);
      if (!res.ok) throw new Error(`${ex.url}: HTTP ${res.status}`);
      open(ex.name, new Uint8Array(await res.arrayBuffer()), ex.id);
    } catch (e) {
      out.replaceChildren(failure(ex.name, 0, e));
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
      onclick: () => void openExample(ex.id),
    }, h('b', null, ex.title), h('span', null, ex.name))));
  }
  return { open: (name, bytes) => open(name, bytes), openExample, state: () => ({ example }) };
}
