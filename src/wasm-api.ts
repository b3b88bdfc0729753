// The few WebAssembly JS-API shapes the package uses, declared here so that
// neither the sources nor the published .d.ts files need the DOM library
// (a Node-only TypeScript project has no `WebAssembly` namespace).

/** A compiled module (WebAssembly.Module). Opaque here. */
export type WasmModule = object;

/** A wasm linear memory (WebAssembly.Memory): only its buffer is read. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** An instance (WebAssembly.Instance): only its exports are read. */
export interface WasmInstance {
  readonly exports: object;
}

/** The synchronous constructors, as every runtime the package supports has them. */
export interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
}

/** The runtime's WebAssembly object. */
export const wasmApi: WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
