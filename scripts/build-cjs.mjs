// After tsc: the CommonJS build in dist/cjs/, one file per ESM file of dist/
// (not a bundle: cpumap-wasm and cpumap-wasm/libperf must share one module
// graph, hence one wasm instance). dist/cjs/package.json says "commonjs", so
// the .js files there load through require() and the .d.ts files next to
// them type-check as CommonJS declarations (what a .cts consumer resolves).
import { transformSync } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const out = join(dist, 'cjs');
// ESM-only entries: the CLI (a program) and the vitest helper (vitest is ESM).
const ESM_ONLY = new Set(['cli.js', 'cli.d.ts', 'refcheck/vitest.js', 'refcheck/vitest.d.ts']);
// import.meta.url (where the library's own files are, to trim stack frames)
// becomes the file's URL from __filename where CommonJS has one.
const META_URL = "typeof __filename === 'string' ? 'file://' + __filename : ''";

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (p !== out) yield* files(p); }
    else yield p;
  }
}

rmSync(out, { recursive: true, force: true });
let count = 0;
for (const file of files(dist)) {
  const rel = relative(dist, file);
  if (ESM_ONLY.has(rel) || rel.startsWith('cli/')) continue;
  const target = join(out, rel);
  if (rel.endsWith('.d.ts')) {
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  } else if (rel.endsWith('.js')) {
    const source = readFileSync(file, 'utf8');
    const usesMeta = source.includes('import.meta.url');
    const { code } = transformSync(source, {
      format: 'cjs',
      target: 'es2022',
      sourcefile: rel,
      define: usesMeta ? { 'import.meta.url': '__cpumapModuleUrl' } : {},
      banner: usesMeta ? `const __cpumapModuleUrl = ${META_URL};` : '',
    });
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
    count++;
  }
}
writeFileSync(join(out, 'package.json'), '{ "type": "commonjs" }\n');
console.log(`dist/cjs: ${count} CommonJS files`);
