// Compiles the inlined wasm once per JS realm and makes the default instance
// at import time (top-level await), so `import { CpuMap }` needs no init call.

import { WASM_BASE64 } from './generated/wasm-binary.js';
import { Core } from './core.js';

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The compiled module; instances share it. */
export const wasmModule: WebAssembly.Module = await WebAssembly.compile(decodeBase64(WASM_BASE64));

/** A fresh, isolated wasm instance: its own memory, maps and refcounts. */
export async function createCore(): Promise<Core> {
  return new Core(await WebAssembly.instantiate(wasmModule, {}));
}

/** The instance behind the default CpuMap statics and the libperf functions. */
export const defaultCore: Core = await createCore();
