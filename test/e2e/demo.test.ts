// End-to-end tests of the browser demo (demo/, vite.config.ts), built, served
// from a sub-path and driven in Debian's Chromium by ./browser.ts.
// Screenshots of every view go to test-results/screenshots/.
import { describe, it, expect, beforeAll, beforeEach, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, openView, screenshot, startDemo, watchPage, type Demo } from './browser.js';

let demo: Demo | undefined;
let browser: Browser | undefined;
let page: Page;
let origin = '';
/** Console errors, page errors, failed requests and requests that left the page's origin. */
let problems: string[] = [];

const watch = (p: Page, label: string): void => watchPage(p, label, origin, problems);
const open = (p: Page, view: string): Promise<void> => openView(p, demo!.url, view);
const shot = screenshot;

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

/** Line (1-based) of the first line of the editor's program holding `text`. */
async function lineOf(p: Page, text: string): Promise<number> {
  const code = await p.inputValue('#code');
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

beforeEach(() => {
  if (setupError) throw setupError;
});

async function setUp(): Promise<void> {
  demo = await startDemo();
  ({ browser, origin, problems } = demo);
  page = await demo.page('1280x800');
}

afterAll(async () => {
  await demo?.close();
});

describe('the page', () => {
  it('loads from a sub-path of a static server, with the project header and three views', async () => {
    await open(page, 'playground');
    expect(await page.textContent('header h1')).toContain('cpumap-wasm');
    expect(await page.textContent('.pitch')).toMatch(/WebAssembly/);
    expect(await page.$$eval('.tabs a', (as) => as.map((a) => a.getAttribute('href')))).toEqual(['#playground', '#perfdata', '#checker']);
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

  it('explains a file it does not understand: the message and the file offset', async () => {
    await open(page, 'perfdata');
    await page.setInputFiles('#file', {
      name: 'garbage.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a perf.data file\n'),
    });
    await page.waitForSelector('#pd-error');
    const text = await page.textContent('#pd-error');
    expect(text).toContain('garbage.bin is not a perf.data file');
    expect(text).toContain('expected the magic "PERFILE2"');
    expect(text).toContain('file offset 0');
    expect(await page.getAttribute('#pd-error', 'data-offset')).toBe('0');

    // a real file cut short: the reader names the header field that points past the end
    const cut = readFileSync(join(FIXTURES, 'stat-cpu0.data')).subarray(0, 300);
    await page.setInputFiles('#file', { name: 'cut.data', mimeType: 'application/octet-stream', buffer: cut });
    await page.waitForFunction(() => document.querySelector('#pd-error')?.textContent?.includes('cut.data'));
    expect(await page.textContent('#pd-error')).toContain('ends beyond the end of the file');
    expect(await page.getAttribute('#pd-error', 'data-offset')).toBe('40');
  });
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
    expect(await page.getAttribute(`#gutter [data-line="${line}"]`, 'class')).toContain('mark-leak');
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
    const code = await page.inputValue('#code');
    await page.fill('#code', `// added\n// lines\n\n${code}`);
    await runProgram(page, null);
    expect((await findings(page))[0]!.line).toBe(String(original + 3));

    await page.fill('#code', "const m = CpuMap.parse('1-2');\nm.put();\nlog(m.toString());");
    await runProgram(page, null);
    const [f] = await findings(page);
    // the map is gone (its only reference was put): thrown even in report mode
    expect(f!.kind).toBe('use-after-put');
    expect(f!.text).toMatch(/use after put: toString\(\) through reference #\d+ at program line 3:/);
    expect(f!.line).toBe('3');

    await page.fill('#code', "CpuMap.parse('0-3x');");
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
    await page.fill('#code', "log(typeof document, typeof window, typeof WorkerGlobalScope);\nconst m = CpuMap.parse('1-3');\nlog(m.toString());\nm.put();");
    await runProgram(page, null);
    expect(await page.textContent('#log')).toBe('undefined undefined function\n1-3');
    expect(await page.getAttribute('#check-out', 'data-state')).toBe('clean');
    // the next run's worker, started ahead, is the bundled program worker
    const workers = page.workers().map((w) => w.url());
    expect(workers.some((u) => /\/assets\/program-worker-[\w-]+\.js$/.test(u) && u.startsWith(origin)), workers.join(', ')).toBe(true);
  });

  it('stops a program that does not finish after 3 s, the page staying responsive, and the next run works', async () => {
    await open(page, 'checker');
    expect(await page.textContent('.run-row .hint')).toContain('time limit 3 s');
    await page.fill('#code', LOOP);
    const t0 = Date.now();
    await page.click('#run');
    await page.waitForSelector('#check-out[data-state="running"]');
    expect(await page.textContent('#check-out')).toContain('stopped after 3 s if it has not finished');
    expect(await page.textContent('#run')).toBe('Stop');
    // the page's thread is free while the program loops: it answers at once, and the editor still takes input
    const t1 = Date.now();
    expect(await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(1))))).toBe(1);
    await page.fill('#code', `${LOOP}// typed while it ran`);
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
    await runProgram(page, 'correct');
    expect(await page.getAttribute('#check-out', 'data-state')).toBe('clean');
  });

  it('the Stop button ends a run at once', async () => {
    await open(page, 'checker');
    await page.fill('#code', LOOP);
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
    await page.fill('#code', LOOP);
    await page.click('#run');
    await page.waitForSelector('#check-out[data-state="running"]');
    expect(await liveRefs(page)).toBe('0');
    await page.waitForSelector('#check-out[data-state="timeout"]', { timeout: 10_000 });
    expect({ live: await liveRefs(page), made: await page.textContent('#made-refs') }).toEqual(before);
    expect(await page.textContent('#worker-note')).toContain('it does not move when a program runs');
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
      await shot(page, `${view}-1280x800`);
    }
  });

  it('phone, 375 wide: no horizontal scrolling in any view', async () => {
    const phone = await browser!.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 1, hasTouch: true });
    const p = await phone.newPage();
    watch(p, '375');
    try {
      for (const view of ['playground', 'perfdata', 'checker']) {
        await prepare(p, view);
        const [scrollWidth, innerWidth] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        expect(scrollWidth, `${view}: page width at 375px`).toBeLessThanOrEqual(innerWidth!);
        await shot(p, `${view}-375`);
      }
      // the parse error and the leak report, the widest things on the page
      await open(p, 'playground');
      await p.click('[data-preset="parse errors"]');
      await p.waitForSelector('#map-b .parse-error');
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await open(p, 'checker');
      await runProgram(p, 'leak-loop');
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await shot(p, 'checker-leak-loop-375');
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
