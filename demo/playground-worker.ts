// The playground's worker: parses the two lists with the library (an
// instance of its own, checking on, like the page), merges and intersects
// them, explains how libperf read each, and posts plain data back. Only the
// newest request matters: the page sends one at a time and keeps the latest
// keystroke until the previous answer arrived.

import { CpuMap, CpuMapError, configure, refcheck } from '../src/index.js';
import { describeMap } from './map-info.js';
import { explain } from './explain.js';
import {
  MAX_NOTES, MAX_TOKENS,
  type ExplainData, type ListError, type ListResult, type ListsRequest, type ListsResult, type PlaygroundMessage,
} from './playground-protocol.js';

configure({ refcheck: { onError: 'report', stackDepth: 4, leaksAtExit: false } });

const scope = self as unknown as {
  postMessage(message: PlaygroundMessage, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ListsRequest>) => void): void;
};

function errorOf(e: unknown): ListError {
  if (e instanceof CpuMapError) return { code: e.code, message: e.message, position: e.position };
  return { code: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) };
}

/** The library's verdict on `text` in one mode: the map (kept in `made`) or the error. */
function parse(text: string, strict: boolean, made: CpuMap[]): { map?: CpuMap; error?: ListError } {
  try {
    const map = CpuMap.parse(text, { strict });
    made.push(map);
    return { map };
  } catch (e) {
    return { error: errorOf(e) };
  }
}

function noteworthy(t: { kind: string; base?: number; start: number; end: number }, text: string): boolean {
  // a lone '0' is "octal" too, but reads as what it looks like
  if (t.kind === 'number' || t.kind === 'end') return t.base === 16 || (t.base === 8 && t.end - t.start > 1);
  if (t.kind === 'dash') return false;
  if (t.kind === 'separator') return text[t.start] !== ',';
  return true;
}

function side(text: string, strict: boolean, made: CpuMap[]): { result: ListResult; map?: CpuMap } {
  const mine = parse(text, strict, made);
  const other = parse(text, !strict, made);
  const x = explain(text, strict);
  const notes = x.tokens.filter((t) => noteworthy(t, text));
  const explainData: ExplainData = {
    tokens: x.tokens.slice(0, MAX_TOKENS),
    tokenCount: x.tokens.length,
    notes: notes.slice(0, MAX_NOTES),
    noteCount: notes.length,
    verdict: x.verdict,
    other: { strict: !strict, error: other.error, list: other.map?.toString() },
    spaces: { leading: /^\s/.test(text), trailing: /\s$/.test(text) },
  };
  return {
    result: { map: mine.map ? describeMap(mine.map) : undefined, error: mine.error, explain: explainData },
    map: mine.map,
  };
}

function update(req: ListsRequest): { result: ListsResult; transfer: Transferable[] } {
  const made: CpuMap[] = [];
  const transfer: Transferable[] = [];
  try {
    const a = side(req.a, req.strict, made);
    const b = side(req.b, req.strict, made);
    const result: ListsResult = {
      seq: req.seq, a: a.result, b: b.result, ms: 0, made: 0, refs: { live: 0, total: 0 },
    };
    if (a.map && b.map) {
      const merged = a.map.merge(b.map);
      made.push(merged);
      const common = a.map.intersect(b.map);
      made.push(common);
      result.merge = describeMap(merged);
      result.intersect = describeMap(common);
      result.relations = { equal: a.map.equals(b.map), aSubsetB: a.map.isSubsetOf(b.map), bSubsetA: b.map.isSubsetOf(a.map) };
    }
    for (const info of [result.a.map, result.b.map, result.merge, result.intersect]) if (info) transfer.push(info.cpus.buffer);
    result.made = made.length;
    return { result, transfer };
  } finally {
    for (const m of made) m.put();
  }
}

scope.addEventListener('message', (e) => {
  const t0 = performance.now();
  const { result, transfer } = update(e.data);
  // buffers shared by two results (none today) cannot be transferred twice
  const unique = [...new Set(transfer)];
  result.refs = { live: refcheck.report().references, total: refcheck.mark() as number };
  result.ms = performance.now() - t0;
  scope.postMessage({ type: 'result', result }, unique);
});
scope.postMessage({ type: 'ready' });
