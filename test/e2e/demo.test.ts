// End-to-end tests of the browser demo (demo/, vite.config.ts), built, served
// from a sub-path and driven in Debian's Chromium by ./browser.ts.
// Screenshots of every view go to test-results/screenshots/.
import { describe, it, expect, beforeAll, beforeEach, afterAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipReason } from '../systemTools.js';
import { CHROMIUM, FIXTURES, ROOT, screenshot as shot, startDemo, watchPage, type Demo } from './browser.js';

/** No Chromium here (and not CI): every test is skipped, saying so. */
const skip = skipReason([CHROMIUM], "the demo's end-to-end tests");

let demo: Demo | undefined;
let browser: Browser | undefined;
let desktop: BrowserContext;
let page: Page;
let origin = '';
let url = '';
/** Console errors, page errors, failed requests and requests that left the page's origin. */
let problems: string[] = [];

function watch(p: Page, label: string): void {
  watchPage(p, label, origin, problems);
}

/** Open a view on a fresh page: the checker's stored edits of an earlier test are forgotten first. */
let loads = 0;
async function open(p: Page, view: string): Promise<void> {
  await p.evaluate(() => localStorage.clear()).catch(() => {}); // about:blank has no storage
  // a query of its own: a change of hash alone would not load the page again
  await p.goto(`${url}?load=${++loads}#${view}`);
  await p.waitForSelector('body[data-ready="1"]');
  await p.waitForSelector(`#view-${view}:not([hidden])`);
}

/**
 * Cells of a grid read back from its canvas pixels: filled cells (the "set"
 * colour at a corner of each cell), and whether the any-cpu cell is drawn.
 */
async function gridCells(p: Page, selector: string): Promise<{ filled: number; slots: number; any: boolean; per: number }> {
  await p.waitForSelector(`${selector}[data-drawn="1"]`);
  return p.$eval(selector, (el) => {
    const host = el as HTMLElement;
    const d = host.dataset;
    const canvas = host.querySelector('canvas')!;
    const ctx = canvas.getContext('2d')!;
    const scale = canvas.width / parseFloat(canvas.style.width);
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const px = (x: number, y: number): string => {
      const i = (Math.floor(y * scale) * canvas.width + Math.floor(x * scale)) * 4;
      return [img[i], img[i + 1], img[i + 2]].map((v) => v!.toString(16).padStart(2, '0')).join('');
    };
    const cols = Number(d.cols);
    const step = Number(d.cell) + Number(d.gap);
    const per = Number(d.per);
    const anyRow = Number(d.anyRow);
    const slots = Math.ceil(Number(d.extent) / per);
    let filled = 0;
    for (let s = 0; s < slots; s++) {
      if (px((s % cols) * step + 1, (anyRow + Math.floor(s / cols)) * step + 1) === '2563c9') filled++;
    }
    return { filled, slots, any: anyRow === 1 && px(1, 1) === 'e08a00', per };
  });
}

async function field(p: Page, scope: string, name: string): Promise<string> {
  return (await p.textContent(`${scope} [data-field="${name}"]`))?.trim() ?? '';
}

/** The program in the checker's editor (CodeMirror draws every line of a short program). */
async function programText(p: Page): Promise<string> {
  return (await p.$$eval('#editor .cm-line', (ls) => ls.map((l) => l.textContent ?? ''))).join('\n');
}

/** Replace the program in the checker's editor. */
async function setProgram(p: Page, text: string): Promise<void> {
  await p.click('#editor .cm-content');
  await p.keyboard.press('ControlOrMeta+A');
  await p.keyboard.insertText(text);
  await p.waitForFunction((t) => Array.from(document.querySelectorAll('#editor .cm-line'), (l) => l.textContent).join('\n') === t, text);
}

/** Class of the line number `line` in the editor's gutter. */
async function gutterClass(p: Page, line: number): Promise<string> {
  return p.$$eval('#editor .cm-lineNumbers .cm-gutterElement', (els, n) =>
    (els.find((e) => e.textContent === String(n)) as HTMLElement | undefined)?.className ?? '', line);
}

/** Line (1-based) of the first line of the editor's program holding `text`. */
async function lineOf(p: Page, text: string): Promise<number> {
  const code = await programText(p);
  const i = code.split('\n').findIndex((l) => l.includes(text));
  expect(i, `"${text}" in the program`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

async function runProgram(p: Page, id: string | null, mode: 'report' | 'throw' = 'report'): Promise<void> {
  if (id !== null) await p.click(`[data-program="${id}"]`);
  await p.selectOption('#mode', mode);
  const before = (await p.getAttribute('#check-out', 'data-run')) ?? '0';
  await p.click('#run');
  // runs end asynchronously (in a worker): wait for the run counter to move
  await p.waitForFunction((n) => (document.querySelector<HTMLElement>('#check-out')!.dataset.run ?? '0') !== n, before);
}

async function findings(p: Page): Promise<{ kind: string; line: string | null; text: string }[]> {
  return p.$$eval('#check-out .finding', (els) => els.map((e) => ({
    kind: (e as HTMLElement).dataset.kind ?? '',
    line: (e as HTMLElement).dataset.line ?? null,
    text: (e as HTMLElement).innerText,
  })));
}

async function liveRefs(p: Page): Promise<string | null> {
  return p.getAttribute('#live-refs', 'data-live');
}

/** Why the set-up failed: every test then fails with it (not skipped), so CI counts them as failures. */
let setupError: Error | undefined;

beforeAll(async () => {
  try {
    await setUp();
  } catch (e) {
    setupError = e instanceof Error ? e : new Error(String(e));
  }
}, 60_000);

beforeEach((ctx) => {
  if (skip !== undefined) ctx.skip(skip);
  if (setupError) throw setupError;
});

async function setUp(): Promise<void> {
  if (skip !== undefined) return;
  demo = await startDemo();
  ({ browser, origin, url, problems } = demo);
  page = await demo.page('1280x800');
  desktop = page.context();
}

afterAll(async () => {
  await demo?.close();
});

describe('the page', () => {
  it('loads from a sub-path of a static server, with the project header and three views', async () => {
    await open(page, 'playground');
    expect(await page.textContent('header h1')).toContain('cpumap-wasm');
    expect(await page.textContent('.pitch')).toMatch(/WebAssembly/);
    expect(await page.$$eval('.tabs [role="tab"]', (ts) => ts.map((t) => (t as HTMLElement).dataset.view))).toEqual(['playground', 'perfdata', 'checker']);
    expect(await liveRefs(page)).toBe('0');
    await page.click('#tab-checker');
    await page.waitForSelector('#view-checker:not([hidden])');
    expect(await page.isHidden('#view-playground')).toBe(true);
  });
});

describe('playground', () => {
  it('shows each map, the merge, the intersection and how they relate', async () => {
    await open(page, 'playground');
    await page.fill('#in-a', '0-3,8');
    await page.fill('#in-b', '2-9');
    await page.waitForFunction(() => document.querySelector('#map-b [data-field="list"]')?.textContent === '2-9');
    expect(await field(page, '#map-a', 'list')).toBe('0-3,8');
    expect(await field(page, '#map-a', 'nr')).toBe('5');
    expect(await field(page, '#map-a', 'min')).toBe('0');
    expect(await field(page, '#map-a', 'max')).toBe('8');
    expect(await field(page, '#map-a', 'mask')).toBe('10f');
    expect(await field(page, '#map-b', 'mask')).toBe('3fc');
    expect(await field(page, '#res-merge', 'list')).toBe('0-9');
    expect(await field(page, '#res-merge', 'nr')).toBe('10');
    expect(await field(page, '#res-intersect', 'list')).toBe('2-3,8');
    expect(await field(page, '#res-intersect', 'mask')).toBe('10c');

    // grids: one cell per cpu 0..9 (the larger of the two), the set ones filled
    expect(await gridCells(page, '#map-a .cpu-grid')).toEqual({ filled: 5, slots: 10, any: false, per: 1 });
    expect(await gridCells(page, '#map-b .cpu-grid')).toMatchObject({ filled: 8, slots: 10 });
    expect(await gridCells(page, '#res-merge .cpu-grid')).toMatchObject({ filled: 10, slots: 10 });
    expect(await gridCells(page, '#res-intersect .cpu-grid')).toMatchObject({ filled: 3, slots: 10 });

    const rel = (k: string) => page.getAttribute(`[data-rel="${k}"]`, 'data-value');
    expect(await rel('equal')).toBe('no');
    expect(await rel('a-subset-b')).toBe('no');
    await page.fill('#in-b', '0-9');
    await page.waitForFunction(() => document.querySelector('[data-rel="a-subset-b"]')?.getAttribute('data-value') === 'yes');
    expect(await rel('b-subset-a')).toBe('no');
    expect(await liveRefs(page)).toBe('0');
  });

  it('shows the any-cpu map distinctly, and why it has no mask', async () => {
    await open(page, 'playground');
    await page.fill('#in-a', '');
    await page.fill('#in-b', '1-2');
    await page.waitForSelector('#map-a .note-any');
    await page.waitForFunction(() => document.querySelector('#map-b [data-field="list"]')?.textContent === '1-2');
    expect(await field(page, '#map-a', 'list')).toBe('-1');
    expect(await field(page, '#map-a', 'mask')).toMatch(/none: .*-1.*no hex mask/);
    expect(await gridCells(page, '#map-a .cpu-grid')).toEqual({ filled: 0, slots: 3, any: true, per: 1 });
    expect(await field(page, '#res-merge', 'list')).toBe('-1,1-2');
    expect(await field(page, '#res-merge', 'nr')).toContain('3 entries (2 cpus + any)');
    expect(await gridCells(page, '#res-merge .cpu-grid')).toEqual({ filled: 2, slots: 3, any: true, per: 1 });
    expect(await field(page, '#res-intersect', 'list')).toBe('(no cpus)');
  });

  it('points a caret at the fault while the user types, and clears it when fixed', async () => {
    await open(page, 'playground');
    await page.fill('#in-a', '');
    await page.locator('#in-a').pressSequentially('0-3,7x', { delay: 5 });
    await page.waitForSelector('#map-a .parse-error');
    expect(await page.getAttribute('#in-a', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#map-a .parse-error .code')).toBe('ESYNTAX');
    expect(await page.textContent('#map-a .perr-msg')).toContain("position 5: unexpected 'x'");
    expect(await page.getAttribute('#map-a .parse-error', 'data-position')).toBe('5');
    const [input, caret] = (await page.textContent('#map-a .perr-caret'))!.split('\n');
    expect(input!.trim()).toBe('0-3,7x');
    expect(caret!.indexOf('^')).toBe(input!.indexOf('x'));
    expect(await page.textContent('#res-merge')).toContain('Fix list A');

    await page.fill('#in-a', '0-3,9-5');
    await page.waitForFunction(() => document.querySelector('#map-a .parse-error .code')?.textContent === 'EREVERSED');
    const [input2, caret2] = (await page.textContent('#map-a .perr-caret'))!.split('\n');
    expect(caret2!.indexOf('^')).toBe(input2!.indexOf('9'));

    await page.locator('#in-a').fill('0-3,9');
    await page.waitForSelector('#map-a [data-field="list"]');
    expect(await field(page, '#map-a', 'list')).toBe('0-3,9');
    expect(await page.getAttribute('#in-a', 'aria-invalid')).toBeNull();
  });

  it('strict parsing rejects what libperf silently accepts', async () => {
    await open(page, 'playground');
    await page.fill('#in-a', '1,,2');
    await page.waitForFunction(() => document.querySelector('#map-a [data-field="list"]')?.textContent === '1');
    await page.check('#strict');
    await page.waitForSelector('#map-a .parse-error');
    expect(await page.textContent('#map-a .parse-error .code')).toBe('ETRAILING');
    await page.uncheck('#strict');
    await page.waitForSelector('#map-a [data-field="list"]');
  });

  it('stays fluid with 4,096 and 32,767 cpus (compact grid cells)', async () => {
    await open(page, 'playground');
    await page.click('[data-preset="4,096 cpus"]');
    await page.waitForFunction(() => document.querySelector('#map-a [data-field="list"]')?.textContent === '0-4095');
    const g4096 = await gridCells(page, '#map-a .cpu-grid');
    expect(g4096.filled * g4096.per).toBe(4096);
    expect(await field(page, '#res-intersect', 'list')).toBe('1024-3071,4000-4095');

    await page.fill('#in-b', '0-31,16384-32766');
    await page.fill('#in-a', '0-32766');
    await page.waitForFunction(() => document.querySelector('#map-a [data-field="list"]')?.textContent === '0-32766');
    expect(await field(page, '#map-a', 'nr')).toBe('32,767');
    const big = await gridCells(page, '#map-a .cpu-grid');
    expect(big.per).toBeGreaterThan(1);
    expect(big.filled).toBe(big.slots);
    // a few more keystrokes on the big map: each update (parse, set operations, four grids) is quick
    const times: number[] = [];
    for (const text of ['0-3276', '0-32766', '0-32765', '0-32766']) {
      await page.fill('#in-a', text);
      await page.waitForFunction((t) => document.querySelector('#map-a [data-field="list"]')?.textContent === t, text);
      times.push(Number(await page.getAttribute('#pg-timing', 'data-ms')));
    }
    expect(Math.min(...times)).toBeLessThan(100);
    expect(await liveRefs(page)).toBe('0');
  });
});

describe('perf.data inspector', () => {
  async function example(id: string, name: string): Promise<void> {
    await open(page, 'perfdata');
    await page.click(`[data-example="${id}"]`);
    await page.waitForFunction((n) => document.querySelector<HTMLElement>('#pd-out')?.dataset.file === n, name);
  }

  it('opens the bundled file-mode example and decodes its MASK cpu map', async () => {
    await example('stat-mask', 'stat-mask-0-2-4.data');
    expect(await page.getAttribute('#pd-file', 'data-mode')).toBe('file');
    expect(await page.$$eval('#pd-maps .event', (e) => e.length)).toBe(1);
    expect(await field(page, '#pd-maps .event', 'encoding')).toBe('MASK');
    expect(await field(page, '#pd-maps .event', 'encoding-detail')).toContain('long_size 4');
    expect(await field(page, '#pd-maps .event', 'list')).toBe('0,2,4');
    expect(await field(page, '#pd-maps .event', 'nr')).toBe('3');
    expect(await gridCells(page, '#pd-maps .event .cpu-grid')).toEqual({ filled: 3, slots: 5, any: false, per: 1 });
    // the header's cpu information
    expect(await page.textContent('[data-fact="online"] b')).toBe('2');
    expect(await page.textContent('[data-fact="available"] b')).toBe('2');
    expect(await field(page, '[data-topo="socket-0"]', 'list')).toBe('0-1');
    expect(await field(page, '[data-topo="core-0"]', 'list')).toBe('0');
    expect(await field(page, '[data-topo="core-1"]', 'list')).toBe('1');
    expect(await field(page, '[data-topo="numa-0"]', 'list')).toBe('0-1');
    expect(await gridCells(page, '[data-topo="core-1"] .cpu-grid')).toEqual({ filled: 1, slots: 2, any: false, per: 1 });
  });

  it('opens the bundled CPUS and pipe-mode (perf record) examples', async () => {
    await example('stat-cpus', 'stat-cpus-0-3.data');
    expect(await field(page, '#pd-maps .event', 'encoding')).toBe('CPUS');
    expect(await field(page, '#pd-maps .event', 'list')).toBe('0,3');

    await example('record-pipe', 'record-cpu1-pipe.data');
    expect(await page.getAttribute('#pd-file', 'data-mode')).toBe('pipe');
    expect(await field(page, '#pd-maps .event', 'encoding')).toBe('RANGE');
    expect(await field(page, '#pd-maps .event', 'encoding-detail')).toContain('start_cpu 1, end_cpu 1');
    expect(await field(page, '#pd-maps .event', 'list')).toBe('1');
    expect(await field(page, '[data-topo="numa-0"]', 'list')).toBe('0-1');
    expect(await liveRefs(page)).toBe('0');
  });

  it('reads a file the visitor picks (the any-cpu map of a perf stat of a task)', async () => {
    await open(page, 'perfdata');
    await page.setInputFiles('#file', join(FIXTURES, 'stat-task.data'));
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#pd-out')?.dataset.file === 'stat-task.data');
    expect(await field(page, '#pd-maps .event', 'encoding')).toBe('CPUS');
    expect(await field(page, '#pd-maps .event', 'list')).toBe('-1');
    expect(await gridCells(page, '#pd-maps .event .cpu-grid')).toMatchObject({ filled: 0, any: true });
  });

  it('explains a file it does not understand: the message, and its file offset once', async () => {
    await open(page, 'perfdata');
    await page.setInputFiles('#file', {
      name: 'garbage.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a perf.data file\n'),
    });
    await page.waitForSelector('#pd-error');
    const text = (await page.textContent('#pd-error'))!;
    expect(text).toContain('garbage.bin is not a perf.data file');
    expect(text).toContain('expected the magic "PERFILE2"');
    expect(text).toContain('at offset 0 (0x0)');
    expect(text.match(/offset 0\b/g)).toHaveLength(1);
    expect(await page.getAttribute('#pd-error', 'data-offset')).toBe('0');
    expect(await page.$('#pd-maps')).toBeNull();
  });

  it('a truncated file: what was read before the cut is shown, its CPU_MAP with it', async () => {
    await open(page, 'perfdata');
    // record-all-cpus.data holds its CPU_MAP at offset 800 (0x320): cut the file at 2,000 of its 26,760 bytes
    const cut = readFileSync(join(FIXTURES, 'record-all-cpus.data')).subarray(0, 2000);
    await page.setInputFiles('#file', { name: 'cut-record.data', mimeType: 'application/octet-stream', buffer: cut });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#pd-out')?.dataset.file === 'cut-record.data');
    expect(await page.getAttribute('#pd-out', 'data-partial')).toBe('1');
    const problem = (await page.textContent('#pd-error'))!;
    expect(problem).toContain('read up to a problem');
    expect(Number(await page.getAttribute('#pd-error', 'data-offset'))).toBeGreaterThan(0);
    expect(await field(page, '#pd-maps .event', 'list')).toBe('0-1');
    expect(await field(page, '#pd-maps .event', 'offset')).toBe('0x320@cut-record.data [0x10]');
    expect(await gridCells(page, '#pd-maps .event .cpu-grid')).toMatchObject({ filled: 2 });
    // and the THREAD_MAP before it
    expect(await page.textContent('#pd-events .thread-map')).toContain('-1 (any thread');
    // the problem sits above the results, the results above the drop zone
    const order = await page.evaluate(() => ['#pd-error', '#pd-maps', '#drop'].map((s) => document.querySelector(s)!.getBoundingClientRect().top));
    expect(order[0]).toBeLessThan(order[1]!);
    expect(order[1]).toBeLessThan(order[2]!);

    // a pipe cut inside an event keeps the events before it
    const pipe = readFileSync(join(FIXTURES, 'stat-duration-pipe.data')).subarray(0, 700);
    await page.setInputFiles('#file', { name: 'cut-pipe.data', mimeType: 'application/octet-stream', buffer: pipe });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#pd-out')?.dataset.file === 'cut-pipe.data');
    expect(await page.$$eval('#pd-maps .event', (e) => e.length)).toBe(2);
    expect(await page.textContent('#pd-error')).toContain('read up to a problem');
    expect(await liveRefs(page)).toBe('0');
  });

  it('names the event of an EVENT_UPDATE, lists the events and the THREAD_MAP, offsets as perf report -D prints them', async () => {
    await example('stat-update', 'stat-duration-pipe.data');
    const events = await page.$$eval('#pd-maps .event', (els) => els.map((e) => ({
      title: e.querySelector('h4')!.firstChild!.textContent,
      offset: e.querySelector('[data-field="offset"]')!.textContent,
      name: e.querySelector('[data-field="event-name"]')?.textContent ?? null,
      list: e.querySelector('[data-field="list"]')!.textContent,
    })));
    // perf report -D: "0x158@pipe [0x20]: event: 78" and "0x270@pipe [0x10]: event: 74"
    expect(events).toEqual([
      { title: 'EVENT_UPDATE (cpus)', offset: '0x158@pipe [0x20]', name: 'cpus of event duration_time · id 59', list: '0' },
      { title: 'CPU_MAP', offset: '0x270@pipe [0x10]', name: null, list: '0-1' },
    ]);
    expect(await page.$$eval('#pd-event-list tbody tr', (rs) => rs.map((r) => (r as HTMLElement).dataset.eventName))).toEqual(['duration_time', 'task-clock']);
    expect(await page.textContent('#pd-events .thread-map')).toMatch(/THREAD_MAP 0x248@pipe \[0x28\] · 1 thread/);

    // file mode: names from the EVENT_DESC feature
    await example('stat-cpus', 'stat-cpus-0-3.data');
    expect(await page.$$eval('#pd-event-list tbody tr', (rs) => rs.map((r) => (r as HTMLElement).dataset.eventName))).toEqual(['task-clock']);
    expect(await field(page, '#pd-maps .event', 'offset')).toBe('0x120@stat-cpus-0-3.data [0x10]');
  });

  it('warns of cpus the machine did not have, and of the cpu perf\'s MASK writer lost', async () => {
    await example('stat-cpus', 'stat-cpus-0-3.data');
    expect(await page.textContent('#pd-maps [data-warning="no-such-cpu"]')).toContain('cpu 3 was not on the machine that recorded this file (NRCPUS: 2 available');
    expect(await page.$('#pd-maps [data-warning="mask-lost"]')).toBeNull();

    await example('mask-lost', 'stat-mask-0-1-32.data');
    expect(await field(page, '#pd-maps .event', 'list')).toBe('0-1');
    expect(await page.textContent('#pd-maps [data-warning="mask-lost"]')).toContain('1 cpu lost: 32');

    await example('record-all', 'record-all-cpus.data');
    expect(await field(page, '#pd-maps .event', 'list')).toBe('0-1');
    expect(await page.$('#pd-maps .warn')).toBeNull();
    await example('stat-task', 'stat-task.data');
    expect(await field(page, '#pd-maps .event', 'list')).toBe('-1');
  });
});

describe('how libperf read a list', () => {
  async function lists(p: Page, a: string, b: string): Promise<void> {
    await p.fill('#in-a', a);
    await p.fill('#in-b', b);
    await p.waitForFunction(([x, y]) => document.querySelector('#in-a')?.textContent === x && document.querySelector('#in-b')?.textContent === y
      && document.querySelector('#explain-a summary') !== null, [a, b]);
  }
  async function openPanel(p: Page, side: 'a' | 'b'): Promise<string> {
    await p.click(`#explain-${side} summary`);
    await p.waitForSelector(`#explain-${side} details[open] .explain-other`);
    return (await p.textContent(`#explain-${side} details`))!;
  }
  const waitList = (p: Page, side: 'a' | 'b', list: string): Promise<unknown> =>
    p.waitForFunction(([s, l]) => document.querySelector(`#map-${s} [data-field="list"]`)?.textContent === l, [side, list]);

  it("0- and 1,,2: what was read, what was ignored and why, what strict parsing says", async () => {
    await open(page, 'playground');
    await lists(page, '0-', '1,,2');
    await waitList(page, 'a', '0');
    await waitList(page, 'b', '1');
    expect(await page.textContent('#explain-a .explain-hint')).toContain("no number after '-': strtoul reads nothing and returns 0, so the range ends at 0");
    expect(await page.textContent('#explain-b .explain-hint')).toContain("Ignored ',2': ',' after a separator does not start a number: libperf stops here and ignores the rest, without an error");
    const a = await openPanel(page, 'a');
    expect(await page.$$eval('#explain-a .tok', (ts) => ts.filter((t) => t.closest('.tokens')).map((t) => `${(t as HTMLElement).dataset.kind}:${t.textContent}`)))
      .toEqual(['number:0', 'dash:-', 'no-end:0']);
    expect(a).toContain('Strict parsing would reject it: ESYNTAX');
    const b = await openPanel(page, 'b');
    expect(await page.$$eval('#explain-b .tokens .tok', (ts) => ts.map((t) => `${(t as HTMLElement).dataset.kind}:${t.textContent}`)))
      .toEqual(['number:1', 'separator:,', 'ignored:,2']);
    expect(await page.getAttribute('#explain-b .explain-other', 'data-other')).toBe('ETRAILING');
    expect(b).toContain('at position 2');
    // the panel stays open while typing, and the checkbox is explained beside it
    await page.fill('#in-b', '1,,2,,3');
    await page.waitForFunction(() => document.querySelector('#explain-b .tokens')?.textContent === '1,,2,,3');
    expect(await page.textContent('#strict-help')).toContain('libperf has no strict mode');

    // in strict mode the same lists are errors, and the panel says what libperf itself does
    await page.check('#strict');
    await page.waitForSelector('#map-b .parse-error');
    expect(await page.textContent('#map-b .parse-error .code')).toBe('ETRAILING');
    expect(await page.textContent('#explain-b .explain-other')).toContain('libperf itself (no strict mode) would accept it too: 1');
    await page.uncheck('#strict');
    await waitList(page, 'b', '1');
  });

  it('010 and 0x10: octal and hexadecimal, as C reads them', async () => {
    await open(page, 'playground');
    await lists(page, '010', '0x10');
    await waitList(page, 'a', '8');
    await waitList(page, 'b', '16');
    expect(await page.textContent('#explain-a .explain-hint')).toContain("'010' is octal (a leading 0 means base 8 in C): 8");
    expect(await page.textContent('#explain-b .explain-hint')).toContain("'0x10' is hexadecimal (0x prefix): 16");
    expect(await openPanel(page, 'a')).toContain('Strict parsing would accept it too: 8');
    expect(await page.getAttribute('#explain-b .explain-hint', 'role')).toBe('note');
  });

  it('leading and trailing spaces: given to the parser as typed, as libperf would, and said so', async () => {
    await open(page, 'playground');
    await lists(page, ' 0-3', '0-3 ');
    await page.waitForSelector('#map-a .parse-error');
    await page.waitForSelector('#map-b .parse-error');
    expect(await page.getAttribute('#map-a .parse-error', 'data-position')).toBe('0');
    expect(await page.getAttribute('#map-b .parse-error', 'data-position')).toBe('3');
    expect(await openPanel(page, 'a')).toContain('libperf does not skip leading white space');
    expect(await page.textContent('#explain-a .explain-spaces')).toContain('This page does not trim it');
    expect(await openPanel(page, 'b')).toContain("a space after a range: libperf does not allow white space there");
  });
});

describe('huge lists stay responsive', () => {
  it('10,000 cpus (54 KB of text): no keystroke takes the page more than one 16 ms frame', async () => {
    await open(page, 'playground');
    const big = Array.from({ length: 10_000 }, (_, i) => 2 * i).join(',');
    expect(big.length).toBe(54_444);
    await page.fill('#in-b', '0-19999');
    await page.fill('#in-a', big);
    await page.waitForFunction(() => document.querySelector('#map-a [data-field="nr"]')?.textContent === '10,000'
      && document.querySelector('#res-merge [data-field="nr"]')?.textContent === '20,000', null, { timeout: 20_000 });
    await page.click('#in-a');
    await page.keyboard.press('ControlOrMeta+End');
    await page.waitForTimeout(300);

    // what the page measures (wall clock): long tasks, event handling, and its own drawing
    await page.evaluate(() => {
      const w = window as unknown as { __perf: { long: number[]; events: [string, number][]; keys: number[] } };
      w.__perf = { long: [], events: [], keys: [] };
      new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__perf.long.push(e.duration); }).observe({ type: 'longtask' });
      new PerformanceObserver((l) => {
        for (const e of l.getEntries() as PerformanceEventTiming[]) w.__perf.events.push([e.name, e.processingEnd - e.processingStart]);
      }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
      document.addEventListener('keydown', (e) => w.__perf.keys.push(e.timeStamp), true);
      performance.clearMeasures();
    });
    // what the main thread spent (thread time, from a trace): immune to other processes taking the cpu
    const cdp = await desktop.newCDPSession(page);
    const trace: { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string } }[] = [];
    cdp.on('Tracing.dataCollected', (d) => trace.push(...(d.value as unknown as typeof trace)));
    const traced = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });

    // type ",20000" then take it back, waiting for each answer to be drawn (the merge grows to 20,001 cpus and back)
    const keys = [...',20000'].concat(Array(6).fill('Backspace'), [...',2000'], Array(5).fill('Backspace'));
    const latency: number[] = [];
    for (const key of keys) {
      const seq = Number(await page.getAttribute('#results', 'data-seq'));
      const t0 = Date.now();
      await page.keyboard.press(key);
      await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('#results')!.dataset.seq) > n
        && document.querySelectorAll('#view-playground .cpu-grid:not([data-drawn="1"])').length === 0, seq);
      latency.push(Date.now() - t0);
    }
    await cdp.send('Tracing.end');
    await traced;
    expect(await page.textContent('#map-a [data-field="nr"]')).toBe('10,000');

    const perf = await page.evaluate(() => {
      const w = window as unknown as { __perf: { long: number[]; events: [string, number][]; keys: number[] } };
      const measures = (name: string): number[] => performance.getEntriesByName(name).map((m) => m.duration);
      return { ...w.__perf, renders: measures('pg-render'), grids: measures('cpu-grids') };
    });
    // the renderer's main thread: the CrRendererMain thread that laid the page out
    const mains = trace.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    const layouts = (t: { pid: number; tid: number }): number => trace.filter((e) => e.name === 'Layout' && e.pid === t.pid && e.tid === t.tid).length;
    const main = mains.sort((x, y) => layouts(y) - layouts(x))[0]!;
    const tasks = trace.filter((e) => e.name === 'RunTask' && e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
    const cpuMs = tasks.map((t) => (t.tdur ?? t.dur ?? 0) / 1000);
    const wallMs = tasks.map((t) => (t.dur ?? 0) / 1000);
    const handling = perf.events.filter(([n]) => ['keydown', 'keypress', 'beforeinput', 'input', 'keyup'].includes(n)).map(([, ms]) => ms);
    const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
    const max = (xs: number[]): number => Math.max(0, ...xs);
    const report = {
      keystrokes: keys.length,
      'main-thread tasks': tasks.length,
      'task cpu ms (max, median)': [max(cpuMs), median(cpuMs)].map((x) => +x.toFixed(1)),
      'task wall ms (max)': +max(wallMs).toFixed(1),
      'long tasks (wall ms)': perf.long.map((x) => +x.toFixed(0)),
      'event handling ms over 16 ms of event time (max)': +max(handling).toFixed(1),
      'answer drawing ms (max, median)': [max(perf.renders), median(perf.renders)].map((x) => +x.toFixed(1)),
      'grid drawing per frame ms (max, median)': [max(perf.grids), median(perf.grids)].map((x) => +x.toFixed(1)),
      'keystroke to drawn answer ms (median, max)': [median(latency), max(latency)],
    };
    console.log(`10,000-cpu typing: ${JSON.stringify(report)}`);
    expect(perf.keys.length).toBe(keys.length);
    // the work: no main-thread task of the keystrokes spent 16 ms of cpu time
    expect(max(cpuMs), JSON.stringify(report)).toBeLessThan(16);
    // so a long task the observer saw (50 ms of wall time or more) was another process holding the cpu, not the page's work
    // and as the page itself sees it (wall clock, so a loaded machine shows here): typically well inside a frame
    expect(median(perf.renders)).toBeLessThan(16);
    expect(median(perf.grids)).toBeLessThan(16);
    expect(median(handling.length ? handling : [0])).toBeLessThan(16);
    expect(await liveRefs(page)).toBe('0');
  }, 60_000);
});

describe('checker at work', () => {
  it('correct program: nothing to report', async () => {
    await open(page, 'checker');
    await runProgram(page, 'correct');
    expect(await page.getAttribute('#check-out', 'data-state')).toBe('clean');
    expect(await findings(page)).toEqual([]);
    expect(await page.textContent('#log')).toBe('merge 0-5 | intersect 2-3');
    expect(await page.$$eval('#cells tbody tr[data-state="retired"]', (r) => r.length)).toBe(4);
  });

  it('missed put: a leak at the line that made the reference', async () => {
    await open(page, 'checker');
    await runProgram(page, 'missed-put');
    const line = await lineOf(page, 'a.intersect(b)');
    const caller = await lineOf(page, "log('common cpus:'");
    const [f, ...more] = await findings(page);
    expect(more).toEqual([]);
    expect(f!.kind).toBe('leak');
    expect(f!.line).toBe(String(line));
    expect(f!.text).toContain(`1 reference made by CpuMap.intersect at program line ${line}`);
    expect(f!.text).toContain(`at commonCpus (program line ${line}:`);
    expect(f!.text).toContain(`at program line ${caller}:`);
    expect(f!.text).not.toMatch(/https?:|<anonymous>/);
    expect(await gutterClass(page, line)).toContain('mark-leak');
    expect(await page.textContent('#cells tr[data-state="live"]')).toContain('CpuMap.intersect');
    expect(await liveRefs(page)).toBe('0');
  });

  it('double put: the second put, with where the reference was made and first put', async () => {
    await open(page, 'checker');
    await runProgram(page, 'double-put');
    const made = await lineOf(page, 'online.get()');
    const second = await lineOf(page, '// put twice');
    const [f, ...more] = await findings(page);
    expect(more).toEqual([]);
    expect(f!.kind).toBe('double-put');
    expect(f!.line).toBe(String(second));
    expect(f!.text).toMatch(new RegExp(`double put of reference #\\d+ to map #\\d+ at program line ${second}:`));
    expect(f!.text).toContain(`reference made by CpuMap.get:\n    at program line ${made}:`);
    expect(f!.text).toContain(`second put:\n    at program line ${second}:`);
  });

  it('use after put while another reference lives: reported, and the program goes on', async () => {
    await open(page, 'checker');
    await runProgram(page, 'use-after-put');
    const used = await lineOf(page, 'cpus.nr');
    const [f, ...more] = await findings(page);
    expect(more).toEqual([]);
    expect(f!.kind).toBe('use-after-put');
    expect(f!.line).toBe(String(used));
    expect(f!.text).toContain(`use after put: nr() through reference #`);
    expect(f!.text).toContain('is still alive through 1 other reference');
    expect(f!.text).toContain(`nr() called:\n    at program line ${used}:`);
    expect(await page.textContent('#log')).toBe('cpus in the map: 5');
  });

  it('leak in a loop of 1000: one site, a count of 1000, all cleaned up after the run', async () => {
    await open(page, 'checker');
    for (let round = 0; round < 2; round++) {
      await runProgram(page, 'leak-loop');
      const line = await lineOf(page, 'all.merge(one)');
      const [f, ...more] = await findings(page);
      expect(more).toEqual([]);
      expect(f!.kind).toBe('leak');
      expect(f!.line).toBe(String(line));
      expect(f!.text).toContain('1000 leaked references to 1 map, from 1 site');
      expect(f!.text).toContain(`1000 references made by CpuMap.merge, never put`);
      expect(f!.text).toContain(`at program line ${line}:`);
      expect(await page.textContent('#cells h3')).toContain('2,001');
      expect(await page.textContent('#cleanup')).toContain('The 1,000 references the program left live went away with its worker');
      expect(await liveRefs(page)).toBe('0');
    }
    // and the next run starts clean
    await runProgram(page, 'correct');
    expect(await page.getAttribute('#check-out', 'data-state')).toBe('clean');
  });

  it("throw mode: the first error stops the program; what it held is reported as leaked", async () => {
    await open(page, 'checker');
    await runProgram(page, 'use-after-put', 'throw');
    const used = await lineOf(page, 'cpus.nr');
    const held = await lineOf(page, 'cpus.get()');
    const fs = await findings(page);
    expect(fs.map((f) => [f.kind, f.line])).toEqual([['use-after-put', String(used)], ['leak', String(held)]]);
    expect(await page.textContent('#check-out')).toContain('throw mode');
    expect(await liveRefs(page)).toBe('0');
  });

  it('edited programs: the lines shown are the lines of the edited text', async () => {
    await open(page, 'checker');
    await page.click('[data-program="missed-put"]');
    const original = await lineOf(page, 'a.intersect(b)');
    const code = await programText(page);
    await setProgram(page, `// added\n// lines\n\n${code}`);
    await runProgram(page, null);
    expect((await findings(page))[0]!.line).toBe(String(original + 3));

    await setProgram(page, "const m = CpuMap.parse('1-2');\nm.put();\nlog(m.toString());");
    await runProgram(page, null);
    const [f] = await findings(page);
    // the map is gone (its only reference was put): thrown even in report mode
    expect(f!.kind).toBe('use-after-put');
    expect(f!.text).toMatch(/use after put: toString\(\) through reference #\d+ at program line 3:/);
    expect(f!.line).toBe('3');

    await setProgram(page, "CpuMap.parse('0-3x');");
    await runProgram(page, null);
    const [g] = await findings(page);
    expect(g!.kind).toBe('exception');
    expect(g!.text).toContain('CpuMapError ESYNTAX');
    expect(g!.line).toBe('1');
    expect(await liveRefs(page)).toBe('0');
  });
});

describe('checker: programs run in a worker, with a time limit', () => {
  const LOOP = "log('before the loop');\nlet turns = 0;\nwhile (true) { turns++; }\n";

  it('runs the program in a Web Worker of its own, not on the page', async () => {
    await open(page, 'checker');
    await setProgram(page, "log(typeof document, typeof window, typeof WorkerGlobalScope);\nconst m = CpuMap.parse('1-3');\nlog(m.toString());\nm.put();");
    await runProgram(page, null);
    expect(await page.textContent('#log')).toBe('undefined undefined function\n1-3');
    expect(await page.getAttribute('#check-out', 'data-state')).toBe('clean');
    // the next run's worker, started ahead, is the bundled program worker
    const spare = (): boolean => page.workers().some((w) => /\/assets\/program-worker-[\w-]+\.js$/.test(w.url()) && w.url().startsWith(origin));
    await expect.poll(spare, { timeout: 5000 }).toBe(true);
  });

  it('stops a program that does not finish after 3 s, the page staying responsive, and the next run works', async () => {
    await open(page, 'checker');
    expect(await page.textContent('.run-row .hint')).toContain('time limit 3 s');
    await setProgram(page, LOOP);
    const t0 = Date.now();
    await page.click('#run');
    await page.waitForSelector('#check-out[data-state="running"]');
    expect(await page.textContent('#check-out')).toContain('stopped after 3 s if it has not finished');
    expect(await page.textContent('#run')).toBe('Stop');
    // the page's thread is free while the program loops: it answers at once, and the editor still takes input
    const t1 = Date.now();
    expect(await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(1))))).toBe(1);
    await page.fill('#editor .cm-content', `${LOOP}// typed while it ran`);
    expect(Date.now() - t1).toBeLessThan(1000);
    expect(Date.now() - t0).toBeLessThan(2500);

    await page.waitForSelector('#check-out[data-state="timeout"]', { timeout: 10_000 });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(2900);
    expect(took).toBeLessThan(6000);
    expect(await page.textContent('#stopped')).toBe('stopped after 3 s: the program did not finish — an infinite loop?');
    // what it logged before the loop was posted as it was written
    expect(await page.textContent('#log')).toBe('before the loop');
    expect(await page.textContent('#run')).toBe('Run');
    await shot(page, 'checker-timeout-1280x800');

    // the playground updates right after
    await page.click('#tab-playground');
    await page.fill('#in-a', '0-5,9');
    await page.waitForFunction(() => document.querySelector('#map-a [data-field="list"]')?.textContent === '0-5,9', null, { timeout: 1000 });
    expect(await liveRefs(page)).toBe('0');

    // and the next run works, in a fresh worker
    await page.click('#tab-checker');
    await page.waitForSelector('#view-checker:not([hidden])');
    await runProgram(page, 'double-put');
    const second = await lineOf(page, '// put twice');
    expect((await findings(page)).map((f) => [f.kind, f.line])).toEqual([['double-put', String(second)]]);
    // the loop was typed over "correct", the program shown first: the edit was kept, put the original back
    await page.click('[data-program="correct"]');
    await page.click('#restore');
    await runProgram(page, null);
    expect(await page.getAttribute('#check-out', 'data-state')).toBe('clean');
  });

  it('the Stop button ends a run at once', async () => {
    await open(page, 'checker');
    await setProgram(page, LOOP);
    await page.click('#run');
    await page.waitForSelector('#check-out[data-state="running"]');
    const t0 = Date.now();
    await page.click('#run');
    await page.waitForSelector('#check-out[data-state="stopped"]');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await page.textContent('#stopped')).toMatch(/^stopped by you after \d+\.\d s/);
    await runProgram(page, 'use-after-put');
    expect((await findings(page)).map((f) => f.kind)).toEqual(['use-after-put']);
  });

  it("program runs never move the page's live-reference counter", async () => {
    await open(page, 'checker');
    const before = { live: await liveRefs(page), made: await page.textContent('#made-refs') };
    expect(before.live).toBe('0');
    await runProgram(page, 'leak-loop');
    expect(await page.textContent('#cells h3')).toContain('(1,000 still live at its end)');
    await runProgram(page, 'double-put', 'throw');
    await setProgram(page, LOOP);
    await page.click('#run');
    await page.waitForSelector('#check-out[data-state="running"]');
    expect(await liveRefs(page)).toBe('0');
    await page.waitForSelector('#check-out[data-state="timeout"]', { timeout: 10_000 });
    expect({ live: await liveRefs(page), made: await page.textContent('#made-refs') }).toEqual(before);
    expect(await page.textContent('#worker-note')).toContain('it does not move when a program runs');
  });
});

describe('the checker editor', () => {
  it('keeps an edited program across reloads, marked as edited, without the original\'s description', async () => {
    await open(page, 'checker');
    await page.click('[data-program="missed-put"]');
    const blurb = (await page.textContent('#prog-blurb'))!;
    expect(blurb).toContain('intersect() returns a new reference');
    expect(await page.isDisabled('#restore')).toBe(true);
    const edited = "// mine now\nconst m = CpuMap.parse('0-3');\nlog(m.toString());\nm.put();";
    await setProgram(page, edited);
    await page.waitForSelector('[data-program="missed-put"][data-edited="1"]');
    expect(await page.textContent('#prog-blurb')).not.toContain('intersect() returns a new reference');
    expect(await page.textContent('#prog-blurb')).toContain('edited');
    expect(await page.isEnabled('#restore')).toBe(true);

    // another program, then a reload: the edit is still there, still marked
    await page.click('[data-program="double-put"]');
    expect(await page.getAttribute('[data-program="double-put"]', 'data-edited')).toBe('0');
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]');
    await page.click('[data-program="missed-put"]');
    expect(await programText(page)).toBe(edited);
    expect(await page.getAttribute('[data-program="missed-put"]', 'data-edited')).toBe('1');
    await runProgram(page, null);
    expect(await page.textContent('#log')).toBe('0-3');

    // Restore original forgets the edit, for good
    await page.click('#restore');
    expect(await programText(page)).toContain('function commonCpus');
    expect(await page.textContent('#prog-blurb')).toContain('intersect() returns a new reference');
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]');
    await page.click('[data-program="missed-put"]');
    expect(await programText(page)).toContain('function commonCpus');
  });

  it('a syntax error is marked in the gutter at its line', async () => {
    await open(page, 'checker');
    await setProgram(page, "const a = CpuMap.parse('0-3');\na.put();\nlog('x' +);\nlog('never');");
    await runProgram(page, null);
    const [f] = await findings(page);
    expect(f!.kind).toBe('exception');
    expect(f!.line).toBe('3');
    expect(f!.text).toMatch(/SyntaxError/);
    expect(f!.text).toContain('near program line 3');
    expect(await gutterClass(page, 3)).toContain('mark-syntax');
    expect(await page.$eval('#editor .cm-marks', (g) => g.textContent)).toContain('✕');
  });

  it('copies and downloads the report as text and as JSON', async () => {
    await desktop.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await open(page, 'checker');
    await runProgram(page, 'double-put');
    await page.click('#copy-report');
    await page.waitForSelector('#report-status:has-text("Report copied.")');
    const text = await page.evaluate(() => navigator.clipboard.readText());
    expect(text).toContain('cpumap-wasm checker report: program "double-put", report mode');
    expect(text).toMatch(/1\. \[double-put\] reference #\d+ to map #\d+ put a second time at program line 7/);
    expect(text).toContain('  7  evsel.put();                  // put twice');

    const [txt] = await Promise.all([page.waitForEvent('download'), page.click('#download-text')]);
    expect(txt.suggestedFilename()).toBe('cpumap-checker-double-put.txt');
    expect(readFileSync((await txt.path())!, 'utf8')).toBe(text);
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    expect(json.suggestedFilename()).toBe('cpumap-checker-double-put.json');
    const data = JSON.parse(readFileSync((await json.path())!, 'utf8'));
    expect(data).toMatchObject({ tool: 'cpumap-wasm checker', program: 'double-put', edited: false, onError: 'report' });
    expect(data.result.findings.map((x: { kind: string }) => x.kind)).toEqual(['double-put']);
    expect(data.result.references.total).toBe(2);
  });
});

describe('state in the address', () => {
  it('a copied link opens the page as it was: lists, strict, view, example, program and mode', async () => {
    await desktop.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await open(page, 'playground');
    await page.fill('#in-a', '0-3,9,12');
    await page.fill('#in-b', '2-5,0x10');
    await page.check('#strict');
    await page.waitForFunction(() => document.querySelector('#map-b [data-field="list"]')?.textContent === '2-5,16');
    await page.click('#tab-perfdata');
    await page.click('[data-example="stat-task"]');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#pd-out')?.dataset.file === 'stat-task.data');
    await page.click('#tab-checker');
    await page.click('[data-program="double-put"]');
    const program = "// shared\nconst m = CpuMap.parse('1-2');\nm.put();\nm.put();";
    await setProgram(page, program);
    await page.selectOption('#mode', 'throw');
    await page.click('#copy-link');
    await page.waitForSelector('#copy-status:has-text("Link copied")');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(page.url());
    expect(link).toMatch(/#checker\?a=0-3,9,12&b=2-5,0x10&strict=1&ex=stat-task&prog=double-put&mode=throw&code=[\w-]+$/);

    // a fresh browser (no stored edits) opens the link
    const other = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await other.newPage();
    watch(p, 'link');
    try {
      await p.goto(link);
      await p.waitForSelector('body[data-ready="1"]');
      expect(await p.isVisible('#view-checker')).toBe(true);
      expect(await p.getAttribute('#tab-checker', 'aria-selected')).toBe('true');
      expect(await p.getAttribute('[data-program="double-put"]', 'aria-pressed')).toBe('true');
      expect(await programText(p)).toBe(program);
      expect(await p.getAttribute('[data-program="double-put"]', 'data-edited')).toBe('1');
      expect(await p.inputValue('#mode')).toBe('throw');
      await runProgram(p, null, 'throw');
      expect((await findings(p)).map((f) => f.kind)).toEqual(['double-put']);
      await p.click('#tab-playground');
      expect(await p.isChecked('#strict')).toBe(true);
      expect(await p.textContent('#in-a')).toBe('0-3,9,12');
      await p.waitForFunction(() => document.querySelector('#map-b [data-field="list"]')?.textContent === '2-5,16');
      expect(await field(p, '#res-intersect', 'list')).toBe('2-3');
      await p.click('#tab-perfdata');
      expect(await p.getAttribute('#pd-out', 'data-file')).toBe('stat-task.data');
      expect(await p.getAttribute('[data-example="stat-task"]', 'aria-current')).toBe('true');
    } finally {
      await other.close();
    }
  });

  it('long lists travel deflated', async () => {
    await open(page, 'playground');
    const big = Array.from({ length: 2000 }, (_, i) => 3 * i).join(',');
    await page.fill('#in-a', big);
    await page.waitForFunction(() => document.querySelector('#map-a [data-field="nr"]')?.textContent === '2,000');
    await page.waitForSelector('body[data-url-synced="1"]');
    const link = page.url();
    expect(link).toMatch(/[?&]az=[\w-]+/);
    expect(link.length).toBeLessThan(big.length);
    await page.goto(link.replace('load=', 'again='));
    await page.waitForFunction(() => document.querySelector('#map-a [data-field="nr"]')?.textContent === '2,000');
    expect(await page.evaluate(() => document.querySelector('#in-a')!.textContent!.length)).toBeGreaterThan(0);
  });
});

describe('keyboard and accessibility', () => {
  it('the view tabs: one tab stop, arrow keys, Home and End', async () => {
    await open(page, 'playground');
    const tabStops = await page.$$eval('[role="tab"]', (ts) => ts.map((t) => (t as HTMLElement).tabIndex));
    expect(tabStops).toEqual([0, -1, -1]);
    await page.focus('#tab-playground');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-perfdata');
    expect(await page.isVisible('#view-perfdata')).toBe(true);
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-checker');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-playground');
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-checker');
    expect(await page.$$eval('[role="tab"]', (ts) => ts.map((t) => `${t.getAttribute('aria-selected')}/${(t as HTMLElement).tabIndex}`)))
      .toEqual(['false/-1', 'false/-1', 'true/0']);
    await page.keyboard.press('Home');
    expect(await page.isVisible('#view-playground')).toBe(true);
    // one-key shortcuts outside text fields
    await page.keyboard.press('3');
    expect(await page.isVisible('#view-checker')).toBe(true);
    await page.keyboard.press('?');
    await page.waitForSelector('dialog#help[open]');
    expect(await page.textContent('#help')).toContain('Keyboard shortcuts');
    expect(await page.textContent('#help')).toContain('run the program');
    await page.keyboard.press('Escape');
    expect(await page.$('dialog#help[open]')).toBeNull();
  });

  it('the cpu grids: reached with Tab, read out, walked with the arrow keys', async () => {
    await open(page, 'playground');
    await page.fill('#in-a', '0-3,8');
    await page.waitForFunction(() => document.querySelector('#map-a [data-field="list"]')?.textContent === '0-3,8');
    const label = (await page.getAttribute('#map-a .cpu-grid', 'aria-label'))!;
    expect(label).toContain('grid of map A, 5 of 12 cpus set: 0-3,8');
    // from the list field, Tab reaches the grid (after the explanation's summary)
    await page.click('#in-a');
    for (let i = 0; i < 4 && !(await page.evaluate(() => document.activeElement?.classList.contains('cpu-grid'))); i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('#map-a') !== null && document.activeElement?.classList.contains('cpu-grid'))).toBe(true);
    const said = (): Promise<string | null> => page.textContent('#map-a .cpu-grid [aria-live]');
    expect(await said()).toBe('cpu 0: set');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await said()).toBe('cpu 4: not set');
    await page.keyboard.press('End');
    expect(await said()).toBe('cpu 11: not set');
    await page.keyboard.press('Home');
    expect(await said()).toBe('cpu 0: set');
    expect(await page.isVisible('#map-a .grid-cursor')).toBe(true);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`axe-core finds nothing serious or critical in any view (${scheme} theme)`, async () => {
      const axeSource = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
      await page.emulateMedia({ colorScheme: scheme });
      try {
        const found: string[] = [];
        for (const view of ['playground', 'perfdata', 'checker']) {
          await open(page, view);
          if (view === 'playground') {
            await page.click('[data-preset="lenient reading"]');
            await page.waitForSelector('#explain-a .explain-hint');
            await page.click('#explain-a summary');
          } else if (view === 'perfdata') {
            await page.click('[data-example="stat-update"]');
            await page.waitForSelector('#pd-maps');
          } else {
            await runProgram(page, 'missed-put');
          }
          await page.addScriptTag({ content: axeSource });
          const violations = await page.evaluate(async () => {
            const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
            const r = await axe.run(document);
            return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
          });
          for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') found.push(`${view}: ${v.id} (${v.impact}) ${v.nodes.join(', ')}`);
          await shot(page, `${view}-1280x800-${scheme}`);
        }
        expect(found).toEqual([]);
      } finally {
        await page.emulateMedia({ colorScheme: null });
      }
    });
  }

  it('the editor gutter: line numbers and marked lines at 4.5:1 or more, in both themes', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await open(page, 'checker');
      await runProgram(page, 'use-after-put', 'throw'); // an error line, a leak line and site lines
      const ratios = await page.$$eval('#editor .cm-gutterElement', (els) => {
        const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const lum = (c: number[]): number => {
          const [r, g, b] = c.map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        const background = (el: Element | null): string => {
          for (let e = el; e; e = e.parentElement) {
            const c = getComputedStyle(e).backgroundColor;
            if (c && !/rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent') return c;
          }
          return 'rgb(255, 255, 255)';
        };
        return els.filter((e) => (e.textContent ?? '').trim() !== '' && (e as HTMLElement).offsetHeight > 0).map((e) => {
          const [a, b] = [lum(rgb(getComputedStyle(e).color)), lum(rgb(background(e)))];
          return { text: e.textContent, cls: e.className, ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
        });
      });
      expect(ratios.some((r) => r.cls.includes('mark-error')) && ratios.some((r) => r.cls.includes('mark-leak'))).toBe(true);
      const low = ratios.filter((r) => r.ratio < 4.5).map((r) => `${scheme} ${r.text} ${r.cls} ${r.ratio.toFixed(2)}`);
      expect(low).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: null });
  });

  it('without JavaScript, the page is only its message', async () => {
    const noJs = await browser!.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    try {
      const p = await noJs.newPage();
      await p.goto(url);
      expect((await p.evaluate(() => document.body.innerText)).trim())
        .toBe('This demo runs the library in your browser: it needs JavaScript and WebAssembly.');
    } finally {
      await noJs.close();
    }
  });
});

describe('layout and screenshots', () => {
  async function prepare(p: Page, view: string): Promise<void> {
    await open(p, view);
    if (view === 'playground') {
      await p.click('[data-preset="overlap"]');
      await p.waitForFunction(() => document.querySelector('#map-a [data-field="list"]')?.textContent === '0-7,16');
    } else if (view === 'perfdata') {
      await p.click('[data-example="stat-mask"]');
      await p.waitForSelector('#pd-maps');
    } else {
      await runProgram(p, 'double-put');
    }
  }

  it('desktop, 1280x800: every view', async () => {
    for (const view of ['playground', 'perfdata', 'checker']) {
      await prepare(page, view);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      await shot(page, `${view}-1280x800-light`);
    }
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`phone, 390x844 (${scheme}): no horizontal scrolling in any view`, async () => {
      const phone = await browser!.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, hasTouch: true, colorScheme: scheme });
      const p = await phone.newPage();
      watch(p, `390-${scheme}`);
      try {
        for (const view of ['playground', 'perfdata', 'checker']) {
          await prepare(p, view);
          const [scrollWidth, innerWidth] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
          expect(scrollWidth, `${view}: page width at 390px`).toBeLessThanOrEqual(innerWidth!);
          await shot(p, `${view}-390x844-${scheme}`);
        }
        // the parse error and the leak report, the widest things on the page
        await open(p, 'playground');
        await p.click('[data-preset="parse errors"]');
        await p.waitForSelector('#map-b .parse-error');
        expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await open(p, 'checker');
        await runProgram(p, 'leak-loop');
        expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      } finally {
        await phone.close();
      }
    });
  }

  it('phone: after Run, and after opening a file, the result is scrolled into view', async () => {
    const phone = await browser!.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, hasTouch: true, reducedMotion: 'reduce' });
    const p = await phone.newPage();
    watch(p, '390');
    const inView = (sel: string): Promise<boolean> => p.$eval(sel, (el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.top < window.innerHeight - 80;
    });
    try {
      await open(p, 'checker');
      expect(await inView('#check-out')).toBe(false);
      await p.click('[data-program="double-put"]');
      await p.click('#run');
      await p.waitForSelector('#check-out[data-state="findings"]');
      await p.waitForFunction(() => { const r = document.querySelector('#check-out')!.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight - 80; });
      expect(await inView('#check-out .finding')).toBe(true);
      await shot(p, 'checker-after-run-390x844');

      await open(p, 'perfdata');
      await p.click('[data-example="stat-mask"]');
      await p.waitForSelector('#pd-maps');
      await p.waitForFunction(() => { const r = document.querySelector('#pd-out')!.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight - 80; });
      expect(await inView('#pd-file')).toBe(true);
      await shot(p, 'perfdata-after-open-390x844');
    } finally {
      await phone.close();
    }
  });
});

describe('hygiene', () => {
  it('no console errors, failed requests or requests off the page origin', () => {
    expect(problems).toEqual([]);
  });
});
