// Compiles the inlined wasm once per JS realm and makes the default instance
// when this module is first evaluated, synchronously: no top-level await, so
// the package loads through require() as well as import, and bundles in any
// output format.
//
// Synchronous compilation (new WebAssembly.Module) is allowed for a module of
// this size (about 9 KB) everywhere the package runs: Node, Bun and Deno
// have no limit, nor have Firefox and Safari; Chromium refuses it on a page's
// main thread only above 8 MB (4 KB before version 114). The demo's Chromium
// test loads the package on a page's main thread.

import { WASM_BASE64 } from './generated/wasm-binary.js';
import { Core } from './core.js';
import { wasmApi, type WasmModule } from './wasm-api.js';

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** @internal The compiled module; instances share it. */
export const wasmModule: WasmModule = new wasmApi.Module(decodeBase64(WASM_BASE64));

/** A fresh, isolated wasm instance: its own memory, maps and refcounts. */
export function createCore(): Core {
  return new Core(new wasmApi.Instance(wasmModule, {}));
}

/** The instance behind the default CpuMap statics and the libperf functions. */
export const defaultCore: Core = createCore();
