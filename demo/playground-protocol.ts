// What the playground (playground.ts) and its worker (playground-worker.ts)
// say to each other: plain data only. The worker parses both lists, merges
// and intersects them and explains how libperf read each, so typing in a
// list of 10,000 cpus never blocks the page.

import type { MapInfo } from './map-info.js';
import type { Token, Verdict } from './explain.js';

/** Page -> worker: the two lists as typed, and the mode. */
export interface ListsRequest {
  seq: number;
  a: string;
  b: string;
  strict: boolean;
}

/** A parse failure, as CpuMapError reports it. */
export interface ListError {
  code: string;
  message: string;
  position?: number;
}

/** How libperf read one list (demo/explain.ts), cut to what the page shows. */
export interface ExplainData {
  /** The first MAX_TOKENS tokens. */
  tokens: Token[];
  tokenCount: number;
  /** The tokens worth a sentence (not a plain decimal number, '-' or ','), the first MAX_NOTES. */
  notes: Token[];
  noteCount: number;
  verdict: Verdict;
  /** What the other mode would say: the library's own result (not the explainer's). */
  other: { strict: boolean; error?: ListError; list?: string };
  /** The input starts or ends with white space. */
  spaces: { leading: boolean; trailing: boolean };
}

export interface ListResult {
  map?: MapInfo;
  error?: ListError;
  explain: ExplainData;
}

/** Worker -> page. */
export interface ListsResult {
  seq: number;
  a: ListResult;
  b: ListResult;
  /** Both lists parsed: their merge, intersection and relations. */
  merge?: MapInfo;
  intersect?: MapInfo;
  relations?: { equal: boolean; aSubsetB: boolean; bSubsetA: boolean };
  /** Milliseconds the worker spent. */
  ms: number;
  /** Maps made for this update (all put before the result was posted). */
  made: number;
  /** The worker's own checker: references live now, and made since it started. */
  refs: { live: number; total: number };
}

export type PlaygroundMessage = { type: 'ready' } | { type: 'result'; result: ListsResult };

export const MAX_TOKENS = 240;
export const MAX_NOTES = 8;
