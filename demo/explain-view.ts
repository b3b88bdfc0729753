// How libperf read a list, as the page shows it under each input: a one-line
// hint when something was ignored or read in a surprising way, and a panel
// with the text cut into tokens (as regex101 explains a pattern), what each
// became, and what the other mode (strict or libperf's own) would say.

import { h, plural } from './dom.js';
import type { ExplainData } from './playground-protocol.js';
import type { Token, TokenKind } from './explain.js';

const KIND_NAMES: Record<TokenKind, string> = {
  number: 'cpu', dash: 'range', end: 'range end', skipped: 'skipped', 'no-end': 'missing end',
  separator: 'separator', ignored: 'ignored', error: 'error',
};

/** A token's text as shown: invisible characters made visible. */
function visible(text: string): string {
  return text.replace(/\n/g, '↵').replace(/\t/g, '⇥').replace(/ /g, '·').replace(/\0/g, '␀');
}

function tokenSpan(t: Token, input: string): HTMLElement {
  const text = t.kind === 'no-end' ? '0' : visible(input.slice(t.start, t.end)) || '⟂';
  const base = t.base === 16 ? ' hex' : t.base === 8 && t.end - t.start > 1 ? ' octal' : '';
  return h('span', { class: `tok tok-${t.kind}${base}`, title: t.note, 'data-kind': t.kind }, text);
}

/** Sentences for the tokens worth one, as a list. */
function notesList(x: ExplainData, input: string): HTMLElement | null {
  if (x.notes.length === 0) return null;
  return h('ul', { class: 'explain-notes' },
    x.notes.map((t) => h('li', { 'data-kind': t.kind },
      h('code', { class: `tok tok-${t.kind}` }, t.kind === 'no-end' ? '(nothing)' : visible(input.slice(t.start, t.end)) || '⟂'),
      h('span', { class: 'at' }, ` at ${t.start} `), t.note)),
    x.noteCount > x.notes.length ? h('li', { class: 'muted' }, `… and ${plural(x.noteCount - x.notes.length, 'more')}`) : null);
}

function otherMode(x: ExplainData): HTMLElement {
  const o = x.other;
  const who = o.strict ? 'Strict parsing' : 'libperf itself (no strict mode)';
  if (o.error) {
    const first = o.error.message.split('\n')[0] ?? '';
    return h('p', { class: 'explain-other bad', 'data-other': o.error.code },
      `${who} would reject it: `, h('b', { class: 'code' }, o.error.code), ` ${first.replace(/^invalid cpu list /, '')}`);
  }
  return h('p', { class: 'explain-other ok', 'data-other': 'ok' },
    `${who} would accept it too: `, h('code', null, o.list === '' ? '(no cpus)' : cut(o.list ?? '')));
}

function cut(s: string, n = 80): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** The spaces note: the page passes the text on exactly as typed, as perf would. */
function spacesNote(x: ExplainData): HTMLElement | null {
  if (!x.spaces.leading && !x.spaces.trailing) return null;
  const where = x.spaces.leading && x.spaces.trailing ? 'starts and ends' : x.spaces.leading ? 'starts' : 'ends';
  return h('p', { class: 'explain-spaces' },
    `The list ${where} with white space. This page does not trim it: libperf does not skip spaces ` +
    '(a list must start with a digit, and a space after a number is an error), so the text goes to the parser exactly as typed.');
}

/** The one-line hint shown without opening anything: the first thing worth knowing. */
export function hint(x: ExplainData, input: string): HTMLElement | null {
  const ignored = x.notes.find((t) => t.kind === 'ignored');
  const first = ignored ?? x.notes.find((t) => t.kind !== 'error');
  if (first === undefined) return null;
  const said = first.kind === 'ignored' ? `Ignored '${cut(visible(input.slice(first.start, first.end)), 40)}': ${first.note}` : first.note;
  return h('p', { class: 'explain-hint', role: 'note' }, h('span', { class: 'hint-mark', 'aria-hidden': 'true' }, 'i'),
    h('span', null, said),
    x.noteCount > 1 ? h('span', { class: 'muted' }, ` (+${x.noteCount - 1} more below)`) : null);
}

/**
 * The panel: tokens, notes, the other mode's verdict. Its content is built
 * when it is opened (and at once when `open`): a closed panel costs a
 * keystroke nothing.
 */
export function panel(x: ExplainData, input: string, id: string, open: boolean): HTMLDetailsElement {
  const summary = x.verdict.ok
    ? x.verdict.any ? 'the any-cpu map' : plural(x.verdict.cpus, 'cpu')
    : `${x.verdict.code} at position ${x.verdict.position}`;
  const details = h('details', { class: 'explain', id },
    h('summary', null, 'How libperf read it ', h('span', { class: 'muted' }, `· ${plural(x.tokenCount, 'token')} · ${summary}`)));
  let filled = false;
  const fill = (): void => {
    if (filled) return;
    filled = true;
    details.append(...content(x, input));
  };
  details.addEventListener('toggle', () => { if (details.open) fill(); });
  if (open) {
    fill();
    details.open = true;
  }
  return details;
}

function content(x: ExplainData, input: string): HTMLElement[] {
  const strip = h('p', { class: 'tokens', 'aria-label': 'the list cut into tokens' },
    x.tokens.map((t) => tokenSpan(t, input)),
    x.tokenCount > x.tokens.length ? h('span', { class: 'muted' }, ` … ${plural(x.tokenCount - x.tokens.length, 'more token')}`) : null);
  const legend = h('p', { class: 'tok-legend', 'aria-hidden': 'true' },
    (['number', 'end', 'dash', 'separator', 'skipped', 'ignored', 'error'] as TokenKind[])
      .filter((k) => x.tokens.some((t) => t.kind === k))
      .map((k) => h('span', { class: `tok tok-${k}` }, KIND_NAMES[k])));
  return [
    input === '' ? h('p', { class: 'small' }, "An empty list: libperf's any-cpu map [-1].") : strip,
    input === '' ? null : legend,
    notesList(x, input),
    spacesNote(x),
    otherMode(x),
  ].filter((n): n is HTMLElement => n !== null);
}
