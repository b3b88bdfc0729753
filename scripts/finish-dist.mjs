// After tsc: make the CLI executable (tsc keeps its shebang) and report sizes.
import { chmodSync, statSync, existsSync } from 'node:fs';
const cli = new URL('../dist/cli.js', import.meta.url);
if (existsSync(cli)) chmodSync(cli, 0o755);
for (const f of ['index.js', 'libperf.js', 'generated/wasm-binary.js']) {
  const u = new URL(`../dist/${f}`, import.meta.url);
  if (existsSync(u)) console.log(`dist/${f} ${statSync(u).size} bytes`);
}
