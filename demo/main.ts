// The demo page: three views over the library, as Node users get it
// (../src/index.js: the wasm is inlined and instantiated by top-level await).
// This file routes between the views (ARIA tabs), keeps the page's state in
// its address (url-state.ts), and handles the page-wide keys and buttons.

import { configure, refcheck } from '../src/index.js';
import { byId, h } from './dom.js';
import { initPlayground } from './playground.js';
import { initInspector } from './inspector.js';
import { initChecker } from './checker.js';
import { VIEWS, fromHash, toHash, viewOf, type DemoState, type View } from './url-state.js';
import { copyText } from './report-export.js';

// Checking is decided when the first map is made: turn it on for the whole
// page before any. 'report' collects double puts and uses after put instead
// of throwing (the checker view switches per run).
configure({ refcheck: { onError: 'report', stackDepth: 4, leaksAtExit: false } });

const liveRefs = byId('live-refs');
const liveN = byId('live-refs-n');
const made = byId('made-refs');
let view: View = 'playground';

function updateCounter(): void {
  // the page's own maps (inspector) and the playground worker's
  const worker = playground.refs();
  const n = refcheck.report().references + worker.live;
  liveN.textContent = String(n);
  liveRefs.dataset.live = String(n);
  liveRefs.classList.toggle('leaking', n > 0);
  const total = (refcheck.mark() as number) + worker.total;
  made.textContent = `· ${total.toLocaleString('en-US')} made so far`;
}

// ---- the views, as ARIA tabs: one tab stop, arrow keys move between them ----

const tabs = VIEWS.map((v) => byId<HTMLButtonElement>(`tab-${v}`));

function showView(v: View, focus = false): void {
  view = v;
  for (const name of VIEWS) {
    const selected = name === v;
    byId(`view-${name}`).hidden = !selected;
    const tab = byId(`tab-${name}`);
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    if (selected && focus) tab.focus();
  }
  document.body.dataset.view = v;
  updateCounter();
}

for (const tab of tabs) {
  tab.addEventListener('click', () => {
    showView(tab.dataset.view as View);
    changed();
  });
  tab.addEventListener('keydown', (e) => {
    const i = VIEWS.indexOf(view);
    const to: Record<string, number> = { ArrowRight: i + 1, ArrowLeft: i - 1 + VIEWS.length, Home: 0, End: VIEWS.length - 1 };
    if (!(e.key in to)) return;
    e.preventDefault();
    showView(VIEWS[to[e.key]! % VIEWS.length]!, true);
    changed();
  });
}

// ---- the state in the address ----

const playground = initPlayground(() => { updateCounter(); changed(); });
const inspector = initInspector(() => { updateCounter(); changed(); });
const checker = initChecker(() => { updateCounter(); changed(); });

function state(): DemoState {
  return { view, ...playground.state(), example: inspector.state().example, ...checker.state() };
}

let urlTimer = 0;
let writing: Promise<void> = Promise.resolve();

/** Write the state into the address now (replacing the entry: typing makes no history). */
function writeUrl(): Promise<void> {
  clearTimeout(urlTimer);
  writing = writing.then(async () => {
    const hash = await toHash(state());
    if (hash !== location.hash) history.replaceState(history.state, '', hash);
    document.body.dataset.urlSynced = '1';
  });
  return writing;
}

/** Something changed: update the address when the visitor pauses. */
function changed(): void {
  if (document.body.dataset.ready !== '1') return;
  document.body.dataset.urlSynced = '0';
  clearTimeout(urlTimer);
  urlTimer = window.setTimeout(() => void writeUrl(), 250);
}

async function restore(hash: string): Promise<void> {
  const s = await fromHash(hash);
  showView(s.view);
  if (s.a !== undefined || s.b !== undefined || s.strict !== undefined) playground.restore(s);
  if (s.program !== undefined || s.code !== undefined || s.mode !== undefined) checker.restore(s);
  if (s.example !== undefined) await inspector.openExample(s.example);
}

window.addEventListener('hashchange', () => {
  // a link followed inside the page, or a hash typed by hand: then the address says all again
  if (viewOf(location.hash) !== undefined) void restore(location.hash).then(changed);
});

// ---- copy link, the shortcuts panel, page-wide keys ----

const copyStatus = byId('copy-status');
async function copyLink(): Promise<void> {
  await writeUrl();
  const link = location.href;
  copyStatus.dataset.link = link;
  if (await copyText(link)) {
    copyStatus.replaceChildren('Link copied');
  } else {
    // no clipboard (insecure origin, denied): show the link to copy by hand
    const field = h('input', { type: 'text', readonly: true, value: link, 'aria-label': 'link to this page', class: 'link-field' });
    copyStatus.replaceChildren(field);
    field.select();
  }
  setTimeout(() => { if (copyStatus.dataset.link === link) copyStatus.replaceChildren(); }, 4000);
}
byId('copy-link').addEventListener('click', () => void copyLink());

const help = byId<HTMLDialogElement>('help');
byId('help-open').addEventListener('click', () => help.showModal());

function typingIn(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || t.matches('input, textarea, select'));
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && checker.stop()) {
    e.preventDefault();
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target) || help.open) return;
  if (e.key === '?') {
    e.preventDefault();
    help.showModal();
  } else if (e.key === '1' || e.key === '2' || e.key === '3') {
    showView(VIEWS[Number(e.key) - 1]!, true);
    changed();
  } else if (e.key === 'c') {
    void copyLink();
  }
});

byId('loading').hidden = true;
await restore(location.hash);
document.body.dataset.ready = '1';
