// The demo page: three views over the library, as Node users get it
// (../src/index.js: the wasm is inlined and instantiated by top-level await).

import { configure, refcheck } from '../src/index.js';
import { byId } from './dom.js';
import { initPlayground } from './playground.js';
import { initInspector } from './inspector.js';
import { initChecker } from './checker.js';

// Checking is decided when the first map is made: turn it on for the whole
// page before any. 'report' collects double puts and uses after put instead
// of throwing (the checker view switches per run).
configure({ refcheck: { onError: 'report', stackDepth: 4, leaksAtExit: false } });

const liveRefs = byId('live-refs');
const liveN = byId('live-refs-n');
const made = byId('made-refs');

function updateCounter(): void {
  const n = refcheck.report().references;
  liveN.textContent = String(n);
  liveRefs.dataset.live = String(n);
  liveRefs.classList.toggle('leaking', n > 0);
  const total = refcheck.mark() as number;
  made.textContent = `· ${total.toLocaleString('en-US')} made so far`;
}

const VIEWS = ['playground', 'perfdata', 'checker'] as const;
type View = (typeof VIEWS)[number];

function route(): void {
  const hash = location.hash.replace(/^#/, '');
  const view: View = (VIEWS as readonly string[]).includes(hash) ? (hash as View) : 'playground';
  for (const v of VIEWS) {
    byId(`view-${v}`).hidden = v !== view;
    const tab = byId(`tab-${v}`);
    tab.setAttribute('aria-selected', String(v === view));
  }
  document.body.dataset.view = view;
  updateCounter();
}

initPlayground(updateCounter);
initInspector(updateCounter);
initChecker(updateCounter);
window.addEventListener('hashchange', route);
byId('loading').hidden = true;
route();
document.body.dataset.ready = '1';
