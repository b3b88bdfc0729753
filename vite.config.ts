// The browser demo (issue "Browser demo"): `npm start` serves it, `npm run build:demo`
// writes a static folder, dist-demo/, that works from any static server.
// vitest has its own vitest.config.ts (a config with root 'demo' would hide the tests).
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'demo',
  // relative asset paths: dist-demo/ works from any folder of any static server
  base: './',
  publicDir: false,
  build: {
    outDir: '../dist-demo',
    emptyOutDir: true,
    // the package instantiates its inlined wasm with top-level await
    target: 'es2022',
    // keep class and function names: the checker's reports name the library
    // call that made a reference (CpuMap.parse, CpuMap.merge...) from V8 frames
    minify: false,
    cssMinify: true,
    // the bundled perf.data examples stay files next to the page (no data: URLs)
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  // the checker view's program worker (demo/program-worker.ts) imports the
  // library, which instantiates its wasm with top-level await: an ES module
  // worker (the default, iife, has no top-level await)
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
