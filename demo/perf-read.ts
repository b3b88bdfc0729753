// Reading a perf.data file as far as it goes. The library's reader reports
// problems as `problems` beside what it read (the tolerant reader); a reader
// that still throws at the first problem gets a second try here on the part
// of the file before the problem: for a pipe, the events up to the last one
// that fits; for a file, the header with its data section cut to the last
// whole event and no feature table (a cut file has lost it). What that
// second read finds is shown with the problem that stopped the first.

import {
  readPerfData, PerfDataError, PERF_PIPE_HEADER_SIZE as PIPE_HEADER_SIZE, PERF_FILE_HEADER_SIZE as FILE_HEADER_SIZE,
  type PerfDataInfo,
} from '../src/perfdata.js';
import { wholeRecords } from './perf-records.js';

export interface Problem { code: string; message: string; offset: number }

export interface FileRead {
  info?: PerfDataInfo;
  problems: Problem[];
  /** What was read is only the part before a problem. */
  partial: boolean;
}

function problemOf(e: unknown): Problem {
  if (e instanceof PerfDataError) return { code: 'EPERFDATA', message: e.message, offset: e.offset };
  return { code: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e), offset: 0 };
}

/** End of the last whole event in [start, end). */
function lastWholeEvent(bytes: Uint8Array, le: boolean, start: number, end: number): number {
  const last = wholeRecords(bytes, le, start, end).at(-1);
  return last ? last.offset + last.size : start;
}

/** The part of the file a strict reader can read, or undefined when there is none. */
function readablePart(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length < 16) return undefined;
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== 'PERFILE2' && magic !== '2ELIFREP') return undefined;
  const le = magic === 'PERFILE2';
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = Number(v.getBigUint64(8, le));
  if (headerSize === PIPE_HEADER_SIZE) {
    const end = lastWholeEvent(bytes, le, PIPE_HEADER_SIZE, bytes.length);
    return end < bytes.length ? bytes.subarray(0, end) : undefined;
  }
  if (headerSize !== FILE_HEADER_SIZE || bytes.length < FILE_HEADER_SIZE) return undefined;
  const dataOffset = Number(v.getBigUint64(40, le));
  const dataSize = Number(v.getBigUint64(48, le));
  if (dataOffset < FILE_HEADER_SIZE || dataOffset > bytes.length) return undefined;
  const end = lastWholeEvent(bytes, le, dataOffset, Math.min(bytes.length, dataOffset + dataSize));
  const copy = bytes.slice(0, end);
  const w = new DataView(copy.buffer);
  w.setBigUint64(48, BigInt(end - dataOffset), le);
  // the attrs section, when it lies past the cut, is gone too
  const attrsOffset = Number(v.getBigUint64(24, le));
  const attrsSize = Number(v.getBigUint64(32, le));
  if (attrsOffset + attrsSize > end) w.setBigUint64(32, 0n, le);
  copy.fill(0, 72, FILE_HEADER_SIZE); // no feature bits: the feature table followed the data
  return copy;
}

export function readFile(bytes: Uint8Array): FileRead {
  try {
    const info = readPerfData(bytes);
    // the tolerant reader's problems (absent from a reader that throws instead)
    const problems = (info as PerfDataInfo & { problems?: Problem[] }).problems ?? [];
    // a tolerant read of something that is not a perf.data file at all finds nothing: say only the problem
    const empty = info.totalEvents === 0 && info.featureSections.length === 0 && info.attrs.length === 0;
    return { info: problems.length > 0 && empty ? undefined : info, problems, partial: problems.length > 0 };
  } catch (e) {
    const problem = problemOf(e);
    const part = readablePart(bytes);
    if (part !== undefined) {
      try {
        return { info: readPerfData(part), problems: [problem], partial: true };
      } catch {
        // nothing readable before the problem either
      }
    }
    return { problems: [problem], partial: true };
  }
}
