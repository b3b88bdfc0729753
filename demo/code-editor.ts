// The checker's program editor: CodeMirror 6 with JavaScript highlighting,
// line numbers, and marks on the lines a run's findings name (the line
// number turns red, orange or blue, and a glyph in a gutter of its own says
// what happened there). Tab is left to move the focus, as in a form; the
// colours come from CSS custom properties, so the dark theme applies.

import { EditorState, RangeSet, StateEffect, StateField } from '@codemirror/state';
import {
  EditorView, GutterMarker, drawSelection, gutter, gutterLineClass, highlightActiveLine, highlightActiveLineGutter,
  keymap, lineNumbers,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, ensureSyntaxTree, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { javascript } from '@codemirror/lang-javascript';
import { tags } from '@lezer/highlight';
import { replaceSelectionOnInput } from './cm-typing.js';

/** What a marked line is: the line of an error, of a leak, another site a finding names, a syntax error. */
export type MarkKind = 'error' | 'leak' | 'site' | 'syntax';

const GLYPHS: Record<MarkKind, string> = { error: '✕', leak: '●', site: '·', syntax: '✕' };

class LineMark extends GutterMarker {
  override elementClass: string;
  constructor(readonly kind: MarkKind, readonly title: string) {
    super();
    this.elementClass = `mark mark-${kind}`;
  }
  override eq(other: GutterMarker): boolean {
    return other instanceof LineMark && other.kind === this.kind && other.title === this.title;
  }
  override toDOM(): Node {
    const el = document.createElement('span');
    el.className = `mark-glyph mark-${this.kind}`;
    el.textContent = GLYPHS[this.kind];
    el.title = this.title;
    return el;
  }
}

/** A class on every gutter element of a marked line (the line number gets the colour). */
class LineClass extends GutterMarker {
  override elementClass: string;
  constructor(readonly kind: MarkKind) {
    super();
    this.elementClass = `mark mark-${kind}`;
  }
  override eq(other: GutterMarker): boolean { return other instanceof LineClass && other.kind === this.kind; }
}

export interface LineMarkSpec { line: number; kind: MarkKind; title: string }

const setMarks = StateEffect.define<LineMarkSpec[]>();

interface Marks { glyphs: RangeSet<GutterMarker>; classes: RangeSet<GutterMarker> }

const marksField = StateField.define<Marks>({
  create: () => ({ glyphs: RangeSet.empty, classes: RangeSet.empty }),
  update(value, tr) {
    for (const e of tr.effects) {
      if (e.is(setMarks)) {
        const doc = tr.state.doc;
        const specs = e.value.filter((m) => m.line >= 1 && m.line <= doc.lines).sort((p, q) => p.line - q.line);
        const glyphs = specs.map((m) => new LineMark(m.kind, m.title).range(doc.line(m.line).from));
        const classes = specs.map((m) => new LineClass(m.kind).range(doc.line(m.line).from));
        return { glyphs: RangeSet.of(glyphs), classes: RangeSet.of(classes) };
      }
    }
    // an edit makes the marks stale: they go with the first change
    return tr.docChanged ? { glyphs: RangeSet.empty, classes: RangeSet.empty } : value;
  },
  provide: (f) => gutterLineClass.from(f, (m) => m.classes),
});

const marksGutter = gutter({
  class: 'cm-marks',
  markers: (view) => view.state.field(marksField).glyphs,
});

const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword], color: 'var(--syn-keyword)' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--syn-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--syn-number)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--syn-comment)', fontStyle: 'italic' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: 'var(--syn-function)' },
  { tag: [tags.definition(tags.variableName)], color: 'var(--syn-definition)' },
  { tag: [tags.propertyName], color: 'var(--syn-property)' },
  { tag: [tags.operator, tags.punctuation], color: 'var(--syn-punct)' },
]);

export interface CodeEditor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  setMarks(marks: LineMarkSpec[]): void;
  /** Select line `line` and bring it into view. */
  goToLine(line: number): void;
  /** The line of the first syntax error the JavaScript grammar finds, if any. */
  syntaxErrorLine(): number | undefined;
}

export function createEditor(parent: HTMLElement, opts: { onChange(text: string): void; onRun(): void; label: string }): CodeEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: '',
      extensions: [
        lineNumbers(),
        marksGutter,
        marksField,
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        javascript(),
        replaceSelectionOnInput,
        syntaxHighlighting(highlight),
        EditorState.tabSize.of(2),
        keymap.of([
          { key: 'Mod-Enter', run: () => { opts.onRun(); return true; } },
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        EditorView.contentAttributes.of({ 'aria-label': opts.label, tabindex: '0', spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off' }),
        EditorView.updateListener.of((u) => { if (u.docChanged) opts.onChange(u.state.doc.toString()); }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 } });
      view.scrollDOM.scrollTop = 0;
    },
    setMarks(marks) {
      view.dispatch({ effects: setMarks.of(marks) });
    },
    goToLine(line) {
      const doc = view.state.doc;
      if (line < 1 || line > doc.lines) return;
      const l = doc.line(line);
      view.dispatch({ selection: { anchor: l.from, head: l.to }, effects: EditorView.scrollIntoView(l.from, { y: 'center' }) });
      view.focus();
    },
    syntaxErrorLine() {
      const tree = ensureSyntaxTree(view.state, view.state.doc.length, 200);
      if (tree === null) return undefined;
      let at: number | undefined;
      tree.iterate({
        enter: (n) => {
          if (at !== undefined) return false;
          if (n.type.isError) { at = n.from; return false; }
          return undefined;
        },
      });
      return at === undefined ? undefined : view.state.doc.lineAt(at).number;
    },
  };
}
