// End-to-end tests of the perf.data inspector's Topology section
// (demo/topology-view.ts): real perf.data files opened in Chromium, the
// groups the page shows compared with the library's own
// Topology.fromPerfData(file).aggregate(the file's cpu map, level).
import { describe, it, expect, beforeAll, beforeEach, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpuMap, Topology, type AggrLevel } from '../../src/index.js';
import { readPerfData } from '../../src/perfdata.js';
import { CHROMIUM, FIXTURES, filledCpus, openView, screenshot, startDemo, type Demo } from './browser.js';
import { skipReason } from '../systemTools.js';

/** No Chromium here (and not CI): every test is skipped, saying so. */
const skip = skipReason([CHROMIUM], "the demo's topology end-to-end tests");

const LEVELS: AggrLevel[] = ['socket', 'die', 'core', 'node'];

let demo: Demo | undefined;
let page: Page;
let setupError: Error | undefined;

beforeAll(async () => {
  if (skip !== undefined) return;
  try {
    demo = await startDemo();
    page = await demo.page('1280x800');
  } catch (e) {
    setupError = e instanceof Error ? e : new Error(String(e));
  }
}, 60_000);

beforeEach(() => {
  if (setupError) throw setupError;
});

afterAll(async () => {
  await demo?.close();
});

/** Opens a fixture (path below test/fixtures/perf-data/) as a visitor picks a file. */
async function openFixture(p: Page, rel: string): Promise<void> {
  await openView(p, demo!.url, 'perfdata');
  const name = rel.split('/').pop()!;
  await p.evaluate(() => { delete document.querySelector<HTMLElement>('#pd-out')!.dataset.file; });
  await p.setInputFiles('#file', join(FIXTURES, rel));
  await p.waitForFunction((n) => document.querySelector<HTMLElement>('#pd-out')?.dataset.file === n, name);
  await p.waitForSelector('#pd-topology');
}

/** What the library says: the groups of the file's CPU_MAP cpus at `level`, as label and cpu list. */
function expectedGroups(rel: string, level: AggrLevel): { label: string; cpus: string }[] {
  const info = readPerfData(new Uint8Array(readFileSync(join(FIXTURES, rel))));
  const topology = Topology.fromPerfData(info);
  const ev = info.cpuMapEvents.find((e) => e.source === 'cpu_map')!;
  const map = CpuMap.decode(ev.payloadLittleEndian, { lenient: true });
  const agg = topology.aggregate(map, level);
  try {
    return agg.toJSON().groups.map((g) => ({ label: g.label, cpus: g.cpus }));
  } finally {
    agg.put();
    map.put();
  }
}

async function shownGroups(p: Page): Promise<{ label: string; cpus: string; text: string }[]> {
  return p.$$eval('#pd-topology .topo-group', (els) => els.map((e) => ({
    label: (e as HTMLElement).dataset.label ?? '',
    cpus: (e as HTMLElement).dataset.cpus ?? '',
    text: (e as HTMLElement).innerText,
  })));
}

async function checkedLevel(p: Page): Promise<string | null> {
  return p.$eval('#pd-topology input[type="radio"]:checked', (e) => (e as HTMLInputElement).value);
}

describe.skipIf(skip !== undefined)(`perf.data inspector: topology${skip ? ` (${skip})` : ''}`, () => {
  it('groups a perf stat file\'s cpus by socket, die, core and node as the library does, a grid per group', async () => {
    const rel = 'topology/stat-all.data';
    await openFixture(page, rel);
    expect(await page.getAttribute('#pd-topology', 'data-state')).toBe('groups');
    expect(await page.textContent('#pd-topology [data-field="topo-cpus"]')).toBe('0-1');
    // recorded without an aggregation option: perf stat's global mode, so the page starts at socket
    expect(await page.getAttribute('#pd-topology [data-field="aggr-mode"]', 'data-mode')).toBe('global');
    expect(await checkedLevel(page)).toBe('socket');

    for (const level of LEVELS) {
      await page.check(`#pd-topology input[value="${level}"]`);
      await page.waitForSelector(`#pd-topology .topo-out[data-level="${level}"]`);
      const want = expectedGroups(rel, level);
      const shown = await shownGroups(page);
      expect(shown.map(({ label, cpus }) => ({ label, cpus })), level).toEqual(want);
      expect(want.length).toBeGreaterThan(0);
      // the text alternative: label and cpu list as text; the grid fills exactly the group's cpus
      const items = await page.$$('#pd-topology .topo-group');
      for (const [i, g] of want.entries()) {
        expect(shown[i]!.text).toContain(g.label);
        expect(shown[i]!.text).toContain(g.cpus);
        const cpus = CpuMap.parse(g.cpus);
        try {
          expect(await filledCpus(page, `#pd-topology .topo-group:nth-child(${i + 1}) .cpu-grid`)).toEqual(cpus.toArray());
        } finally {
          cpus.put();
        }
      }
      expect(items.length).toBe(want.length);
    }
    // every map the section made was put
    expect(await page.getAttribute('#live-refs', 'data-live')).toBe('0');
    await screenshot(page, 'perfdata-topology-1280x800');
  });

  it('is driven from the keyboard: arrow keys move between levels; the group list is a focusable, labelled region', async () => {
    await openFixture(page, 'topology/stat-all.data');
    await page.focus('#pd-topology input[value="socket"]');
    await page.keyboard.press('ArrowRight');
    expect(await checkedLevel(page)).toBe('die');
    await page.waitForSelector('#pd-topology .topo-out[data-level="die"]');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#pd-topology .topo-out[data-level="core"]');
    expect((await shownGroups(page)).map((g) => g.label)).toEqual(expectedGroups('topology/stat-all.data', 'core').map((g) => g.label));
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement;
      return { cls: e.className, label: e.getAttribute('aria-label') };
    });
    expect(focused).toEqual({ cls: 'topo-groups', label: "The file's cpus by core" });
  });

  it('shows the aggregation mode a file was recorded with (STAT_CONFIG, in the numbering of the perf that wrote it)', async () => {
    const rel = 'stat-per-core.data';
    const info = readPerfData(new Uint8Array(readFileSync(join(FIXTURES, rel))));
    const aggr = info.statConfigEvents.at(-1)!.entries.find((e) => e.tag === 0n)!;
    await openFixture(page, rel);
    const mode = '#pd-topology [data-field="aggr-mode"]';
    expect(await page.getAttribute(mode, 'data-mode')).toBe('core');
    const text = (await page.textContent(mode))!;
    expect(text).toContain('--per-core');
    expect(text).toContain(`aggr_mode ${aggr.value}`);
    expect(text).toContain(`perf ${info.features.version}`);
    expect(text).toContain(`offset ${info.statConfigEvents.at(-1)!.offset}`);
    // the recorded mode is the level the page opens at
    expect(await checkedLevel(page)).toBe('core');
    expect((await shownGroups(page)).map(({ label, cpus }) => ({ label, cpus }))).toEqual(expectedGroups(rel, 'core'));
  });

  it('a pipe without header features: no topology, and the mode from STAT_CONFIG alone', async () => {
    await openFixture(page, 'stat-all-cpus-pipe.data');
    expect(await page.getAttribute('#pd-topology', 'data-state')).toBe('none');
    expect(await page.textContent('#pd-topology')).toContain('no header features');
    expect(await page.$$('#pd-topology .topo-group')).toHaveLength(0);
    // aggr_mode 1 means global in every perf version, so the page names it without one
    expect(await page.getAttribute('#pd-topology [data-field="aggr-mode"]', 'data-mode')).toBe('global');
    expect(await page.textContent('#pd-topology [data-field="aggr-mode"]')).toContain('no perf version in the file');
  });

  it('a perf record file: groups its cpus, and says no aggregation mode was recorded', async () => {
    const rel = 'record-cpu1.data';
    await openFixture(page, rel);
    expect(await page.textContent('#pd-topology [data-field="aggr-mode"]')).toContain('not a perf stat file');
    expect(await page.getAttribute('#pd-topology [data-field="aggr-mode"]', 'data-mode')).toBe('none');
    await page.check('#pd-topology input[value="node"]');
    await page.waitForSelector('#pd-topology .topo-out[data-level="node"]');
    expect((await shownGroups(page)).map(({ label, cpus }) => ({ label, cpus }))).toEqual(expectedGroups(rel, 'node'));
  });

  it('the any-cpu map of a perf stat of a task: the group perf gives it, its grid showing the any-cpu cell', async () => {
    const rel = 'stat-task.data';
    await openFixture(page, rel);
    expect(await page.textContent('#pd-topology [data-field="topo-cpus"]')).toBe('-1');
    for (const level of LEVELS) {
      await page.check(`#pd-topology input[value="${level}"]`);
      await page.waitForSelector(`#pd-topology .topo-out[data-level="${level}"]`);
      expect((await shownGroups(page)).map(({ label, cpus }) => ({ label, cpus })), level).toEqual(expectedGroups(rel, level));
    }
    expect(await page.textContent('#pd-topology .topo-group [data-field="nr"]')).toBe('the any-cpu entry');
    expect(await page.getAttribute('#pd-topology .topo-group .cpu-grid', 'data-any')).toBe('1');
    expect(await page.getAttribute('#live-refs', 'data-live')).toBe('0');
  });

  it('phone, 375 wide: the section does not scroll sideways', async () => {
    const p = await demo!.page('375', { viewport: { width: 375, height: 740 }, hasTouch: true });
    try {
      await openFixture(p, 'topology/stat-all.data');
      await p.check('#pd-topology input[value="core"]');
      await p.waitForSelector('#pd-topology .topo-out[data-level="core"] .cpu-grid[data-drawn="1"]');
      const [scrollWidth, innerWidth] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth!);
      await screenshot(p, 'perfdata-topology-375');
    } finally {
      await p.context().close();
    }
  });

  it('no console errors, failed requests or requests off the page origin', () => {
    expect(demo!.problems).toEqual([]);
  });
});
