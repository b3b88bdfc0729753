// Shared set-up of the demo's end-to-end tests: build the demo with vite as
// `npm run build:demo` does (into a folder of its own), serve the static
// folder from a sub-path with a plain node:http server, and drive Debian's
// Chromium with playwright-core. Pages opened with `demo.page()` record
// console errors, page errors, failed requests and requests that leave the
// page's origin in `demo.problems`.
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(ROOT, 'test-results', 'screenshots');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'perf-data');
/** The page is served below a sub-path: its asset paths must be relative. */
export const BASE_PATH = '/some/static/host/cpumap-demo/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface Demo {
  browser: Browser;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The page's address (origin and BASE_PATH). */
  url: string;
  /** What went wrong on the pages opened with page(). */
  problems: string[];
  /** A new page in a new context (1280x800 unless told), watched under `label`. */
  page(label: string, options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

function execOrFail(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${[cmd, ...args].join(' ')} failed:\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

function staticServer(dir: string): Promise<Server> {
  const s = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(BASE_PATH)) {
      res.writeHead(404).end('not found');
      return;
    }
    let rel = path.slice(BASE_PATH.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(dir, rel));
    if (!file.startsWith(dir + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

/**
 * Records in `problems` what goes wrong on page `p`: console errors, page
 * errors, failed requests, HTTP errors and requests that leave `origin`.
 */
export function watchPage(p: Page, label: string, origin: string, problems: string[]): void {
  p.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${label} console error: ${m.text()}`);
  });
  p.on('pageerror', (e) => problems.push(`${label} page error: ${e.message}`));
  p.on('requestfailed', (r) => {
    // ERR_ABORTED: the test navigated while a request (a spare worker's script) was on its way
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`${label} request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  p.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')) {
      problems.push(`${label} request off the page's origin: ${u}`);
    }
  });
  p.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${label} HTTP ${r.status()} for ${r.url()}`);
  });
}

/** Builds and serves the demo and starts Chromium. Throws with what to do when Chromium or the wasm is missing. */
export async function startDemo(): Promise<Demo> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the demo's end-to-end tests drive it with playwright-core. ` +
      'Install it (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH.');
  }
  if (!existsSync(join(ROOT, 'src/generated/wasm-binary.ts'))) {
    throw new Error('src/generated/wasm-binary.ts is missing: run `node scripts/build-wasm.mjs` first (npm test does).');
  }
  mkdirSync(SHOTS, { recursive: true });
  const outDir = mkdtempSync(join(tmpdir(), 'cpumap-demo-'));
  let server: Server | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    rmSync(outDir, { recursive: true, force: true });
  };
  try {
    await execOrFail(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build',
      '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error']);
    server = await staticServer(outDir);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    await close();
    throw e;
  }
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const problems: string[] = [];
  const b = browser;
  return {
    browser: b,
    origin,
    url: `${origin}${BASE_PATH}`,
    problems,
    async page(label, options) {
      const context = await b.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, ...options });
      const p = await context.newPage();
      watchPage(p, label, origin, problems);
      return p;
    },
    close,
  };
}

/** Opens a view of the page and waits until it is ready. */
export async function openView(p: Page, url: string, view: string): Promise<void> {
  await p.goto(`${url}#${view}`);
  await p.waitForSelector('body[data-ready="1"]');
  await p.waitForSelector(`#view-${view}:not([hidden])`);
}

/** A full-page screenshot into test-results/screenshots/NAME.png. */
export async function screenshot(p: Page, name: string): Promise<void> {
  await p.evaluate(() => document.fonts.ready);
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * The cpus shown filled in a grid, read back from its canvas pixels (the
 * "set" colour at a corner of each cell); the grid must draw one cell per cpu.
 */
export async function filledCpus(p: Page, selector: string): Promise<number[]> {
  await p.waitForSelector(`${selector}[data-drawn="1"]`);
  return p.$eval(selector, (el) => {
    const d = (el as HTMLElement).dataset;
    if (d.per !== '1') throw new Error(`grid cells stand for ${d.per} cpus each`);
    const canvas = el.querySelector('canvas')!;
    const scale = canvas.width / parseFloat(canvas.style.width);
    const img = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const cols = Number(d.cols);
    const step = Number(d.cell) + Number(d.gap);
    const filled: number[] = [];
    for (let cpu = 0; cpu < Number(d.extent); cpu++) {
      const x = (cpu % cols) * step + 1;
      const y = (Number(d.anyRow) + Math.floor(cpu / cols)) * step + 1;
      const i = (Math.floor(y * scale) * canvas.width + Math.floor(x * scale)) * 4;
      if (img[i] === 0x25 && img[i + 1] === 0x63 && img[i + 2] === 0xc9) filled.push(cpu);
    }
    return filled;
  });
}
