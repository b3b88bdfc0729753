/**
 * A dependency-free, browser-safe reader of Linux perf.data files, enough to
 * find the CPU maps and CPU-related header features in them.
 *
 * Both layouts are supported:
 * - file mode: magic "PERFILE2", a 104-byte header with the attrs and data
 *   sections and a 256-bit feature bitmap; the feature sections' table
 *   follows the data section;
 * - pipe mode: magic and a 16-byte header, then only events; header features
 *   travel as PERF_RECORD_HEADER_FEATURE (80) events.
 * Files written on a machine of the other byte order are read by swapping
 * each field; CPU map payloads are also given converted to little endian.
 *
 * Every read is bounds-checked. The reader is tolerant by default: what
 * does not fit becomes a problem in `problems` (what was expected, at which
 * file offset) and reading goes on with whatever can still be found, so a
 * truncated or damaged file keeps every CPU map that lies before the damage.
 * `{ strict: true }` throws a PerfDataError at the first problem instead. A
 * file whose magic or header cannot be read throws in either mode.
 */
import { ByteReader } from './perfdata/byteReader.js';
import { PerfDataError } from './perfdata/error.js';
import { walkEvents, readAttr, type EventStreamContents } from './perfdata/events.js';
import { decodeFeatures, featureSection } from './perfdata/features.js';
import { HEADER_FEAT_BITS, HEADER_HOSTNAME } from './perfdata/names.js';
import { Problems, type ReadPerfDataOptions } from './perfdata/problems.js';
import type { PerfAttr, PerfDataInfo, PerfFeatureSection, PerfFileSection } from './perfdata/types.js';

export { PerfDataError } from './perfdata/error.js';
export { cpuMapPayloadToLittleEndian } from './perfdata/cpuMapPayload.js';
export { eventTypeName, featureName } from './perfdata/names.js';
export type * from './perfdata/types.js';
export type { PerfDataProblem, PerfDataProblemCode, ReadPerfDataOptions } from './perfdata/problems.js';

/** sizeof(struct perf_file_header). */
export const PERF_FILE_HEADER_SIZE = 104;
/** sizeof(struct perf_pipe_file_header). */
export const PERF_PIPE_HEADER_SIZE = 16;
/** The header size of files from before the feature bitmap (offsetof(perf_file_header, adds_features)). */
const PERF_FILE_HEADER_SIZE_NO_FEATURES = 72;
const FEATURE_BITMAP_OFFSET = 72;
const FILE_SECTION_SIZE = 16;

const MAGIC2 = 'PERFILE2';
const MAGIC2_SWAPPED = '2ELIFREP';
const MAGIC1 = 'PERFFILE';

function ascii(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  return s;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function detectByteOrder(bytes: Uint8Array): boolean {
  if (bytes.length < 8) {
    throw new PerfDataError(
      `not a perf.data file: expected the 8-byte magic "${MAGIC2}" at offset 0, but the input has only ${bytes.length} bytes`,
      0,
    );
  }
  const magic = ascii(bytes.subarray(0, 8));
  if (magic === MAGIC2) return true;
  if (magic === MAGIC2_SWAPPED) return false;
  if (magic === MAGIC1 || magic === 'ELIFFREP') {
    throw new PerfDataError('version 1 perf.data files (magic "PERFFILE") are not supported', 0);
  }
  throw new PerfDataError(
    `not a perf.data file: expected the magic "${MAGIC2}" (or "${MAGIC2_SWAPPED}" from a machine of the ` +
      `other byte order) at offset 0, found ${hex(bytes.subarray(0, 8))} ("${magic}")`,
    0,
  );
}

/** Reads a perf_file_section at `at` and checks that it lies inside the file. */
function readSection(r: ByteReader, at: number, what: string): PerfFileSection {
  const section = readSectionUnchecked(r, at, what);
  checkSection(r, at, what, section);
  return section;
}

function readSectionUnchecked(r: ByteReader, at: number, what: string): PerfFileSection {
  return { offset: r.u64(at, `${what} section offset`), size: r.u64(at + 8, `${what} section size`) };
}

function checkSection(r: ByteReader, at: number, what: string, { offset, size }: PerfFileSection): void {
  if (offset + size > r.length) {
    throw new PerfDataError(
      `${what} section [${offset}, ${offset + size}) described at offset ${at} ends beyond the end of the file (${r.length} bytes)`,
      at,
    );
  }
}

/** Set bits of the 256-bit feature bitmap, ascending. */
function featureBits(r: ByteReader): number[] {
  const fromWords = (wordBytes: 4 | 8): number[] => {
    const bits: number[] = [];
    const words = HEADER_FEAT_BITS / (wordBytes * 8);
    for (let w = 0; w < words; w++) {
      const at = FEATURE_BITMAP_OFFSET + w * wordBytes;
      const word = wordBytes === 8 ? r.u64n(at, 'feature bitmap') : BigInt(r.u32(at, 'feature bitmap'));
      for (let b = 0; b < wordBytes * 8; b++) {
        if ((word >> BigInt(b)) & 1n) bits.push(w * wordBytes * 8 + b);
      }
    }
    return bits;
  };
  const bits = fromWords(8);
  // A big-endian writer with a 32-bit `unsigned long` stored the bitmap as
  // u32 words; perf recognises that by HOSTNAME (always written) missing.
  if (!r.littleEndian && !bits.includes(HEADER_HOSTNAME)) {
    const bits32 = fromWords(4);
    if (bits32.includes(HEADER_HOSTNAME)) return bits32;
  }
  return bits;
}

function readAttrsSection(r: ByteReader, attrSize: number, section: PerfFileSection): PerfAttr[] {
  if (section.size === 0) return [];
  if (attrSize < FILE_SECTION_SIZE + 16 || section.size % attrSize !== 0) {
    throw new PerfDataError(
      `attrs section of ${section.size} bytes is not a whole number of entries of attr_size ${attrSize}`,
      16,
    );
  }
  const attrs: PerfAttr[] = [];
  for (let at = section.offset; at < section.offset + section.size; at += attrSize) {
    const what = `attr entry at offset ${at}`;
    const { attr, attrSize: sz } = readAttr(r, at, attrSize - FILE_SECTION_SIZE, what);
    const ids = readSection(r, at + sz, `${what}: ids`);
    for (let i = 0; i + 8 <= ids.size; i += 8) attr.ids.push(r.u64n(ids.offset + i, `${what}: id`));
    attrs.push(attr);
  }
  return attrs;
}

/**
 * perf ends the FEATURE events of a pipe with an empty one whose id is the
 * writer's HEADER_LAST_FEATURE (32 for perf 6.1, a number that newer perf
 * uses for CPU_DOMAIN_INFO). It is recognised as the last FEATURE event,
 * empty, with an id above all the others, and is not a feature.
 */
function dropFeatureEndMark(sections: PerfFeatureSection[]): void {
  const last = sections[sections.length - 1];
  if (last === undefined || last.size !== 0) return;
  if (sections.slice(0, -1).every((s) => s.id < last.id)) sections.pop();
}

const NO_EVENTS: EventStreamContents = { events: {}, totalEvents: 0, cpuMapEvents: [], statConfigEvents: [], featureSections: [], attrs: [] };

/**
 * Reads a perf.data file (file or pipe mode, either byte order).
 *
 * Returns everything that could be read, with `problems` listing what could
 * not (empty for a sound file). A recording that was killed before perf
 * wrote its header back (data size 0) is read to the end of the file and
 * reported as 'unfinished-recording'.
 *
 * @throws PerfDataError when the input is not a perf.data file or its header
 *   cannot be read, and with `{ strict: true }` at the first problem.
 */
export function readPerfData(bytes: Uint8Array, options: ReadPerfDataOptions = {}): PerfDataInfo {
  const problems = new Problems(options.strict === true);
  const littleEndian = detectByteOrder(bytes);
  const r = new ByteReader(bytes, littleEndian);
  const byteOrder = littleEndian ? 'little' : 'big';
  const headerSize = r.u64(8, 'header size');

  if (headerSize === PERF_PIPE_HEADER_SIZE) {
    const s = walkEvents(r, PERF_PIPE_HEADER_SIZE, bytes.length, 'file', problems);
    dropFeatureEndMark(s.featureSections);
    return {
      mode: 'pipe',
      byteOrder,
      headerSize,
      attrs: s.attrs,
      events: s.events,
      totalEvents: s.totalEvents,
      cpuMapEvents: s.cpuMapEvents,
      statConfigEvents: s.statConfigEvents,
      featureSections: s.featureSections,
      features: decodeFeatures(r, s.featureSections, problems),
      problems: problems.list,
    };
  }

  if (headerSize !== PERF_FILE_HEADER_SIZE && headerSize !== PERF_FILE_HEADER_SIZE_NO_FEATURES) {
    throw new PerfDataError(
      `header size at offset 8 is ${headerSize}; expected ${PERF_FILE_HEADER_SIZE} (file mode) or ` +
        `${PERF_PIPE_HEADER_SIZE} (pipe mode)`,
      8,
    );
  }
  r.need(0, headerSize, 'file header');
  const attrSize = r.u64(16, 'attr_size');
  const attrSection = problems.attempt('bad-attrs', () => readSection(r, 24, 'attrs'));

  // The data section: a file cut short still has the events before the cut,
  // and a killed recording (size never written back) has them up to the end.
  let dataSection: PerfFileSection | undefined;
  let dataEnd = 0;
  let unfinished = false;
  let cut = false;
  problems.attempt('bad-data-section', () => {
    // a size of any magnitude only means the file ends early: the events up
    // to its end are still read (its offset must lie in the file, though)
    const d = { offset: r.u64(40, 'data section offset'), size: Number(r.u64n(48, 'data section size')) };
    if (d.offset > r.length) checkSection(r, 40, 'data', d); // throws: nothing of it is in the file
    dataSection = d;
    if (d.size === 0 && d.offset < r.length) {
      unfinished = true;
      dataEnd = r.length;
      problems.add('unfinished-recording',
        `data section at ${d.offset} has size 0 but ${r.length - d.offset} bytes follow it: the recording ` +
          'did not finish (perf record was killed before writing its header back); events are read to the ' +
          'end of the file and there are no header features',
        40);
      return;
    }
    dataEnd = d.offset + d.size;
    if (dataEnd > r.length) {
      dataEnd = r.length;
      cut = true;
      problems.attempt('truncated', () => checkSection(r, 40, 'data', d));
    }
  });
  const attrs = attrSection === undefined ? [] : problems.attempt('bad-attrs', () => readAttrsSection(r, attrSize, attrSection)) ?? [];
  const s = dataSection === undefined
    ? NO_EVENTS
    : walkEvents(r, dataSection.offset, dataEnd, unfinished || cut ? 'file' : 'data section', problems);

  const featureSections: PerfFeatureSection[] = [];
  // the feature table follows the data section: not there when that was cut
  if (headerSize === PERF_FILE_HEADER_SIZE && dataSection !== undefined && !unfinished && !cut) {
    const bits = featureBits(r);
    const tableAt = dataSection.offset + dataSection.size;
    const tableFits = problems.attempt('truncated', () => {
      r.need(tableAt, bits.length * FILE_SECTION_SIZE, `feature section table (${bits.length} entries, after the data section)`);
      return true;
    });
    if (tableFits) {
      bits.forEach((id, i) => {
        const what = `feature ${featureSection(id, 0, 0).name} (${id})`;
        const sec = problems.attempt('bad-feature', () => readSection(r, tableAt + i * FILE_SECTION_SIZE, what));
        if (sec !== undefined) featureSections.push(featureSection(id, sec.offset, sec.size));
      });
    }
  }
  featureSections.push(...s.featureSections);

  return {
    mode: 'file',
    byteOrder,
    headerSize,
    ...(attrSection !== undefined && { attrSection }),
    ...(dataSection !== undefined && { dataSection }),
    attrs: [...attrs, ...s.attrs],
    events: s.events,
    totalEvents: s.totalEvents,
    cpuMapEvents: s.cpuMapEvents,
    statConfigEvents: s.statConfigEvents,
    featureSections,
    features: decodeFeatures(r, featureSections, problems),
    problems: problems.list,
  };
}
