// A cpu list field: a small CodeMirror editor rather than an <input>. A
// 54 KB list is one line, and an <input> re-lays out all of it on every
// keystroke (10 ms and more, before anything else runs); CodeMirror draws
// only the visible part of a long line, so a keystroke costs about 1 ms.
// A newline is allowed: libperf reads it as a separator (sysfs lists end
// with one). Nothing is trimmed: the parser gets the text as typed.

import { EditorState } from '@codemirror/state';
import { EditorView, keymap, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { replaceSelectionOnInput } from './cm-typing.js';

export interface ListField {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  setInvalid(invalid: boolean): void;
}

export function createListField(parent: HTMLElement, opts: { id: string; labelledBy: string; initial: string; onChange(): void }): ListField {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: opts.initial,
      extensions: [
        history(),
        drawSelection(),
        replaceSelectionOnInput,
        keymap.of([...defaultKeymap, ...historyKeymap]),
        EditorView.contentAttributes.of({
          id: opts.id, 'aria-labelledby': opts.labelledBy, tabindex: '0', 'aria-multiline': 'true', role: 'textbox',
          spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off',
        }),
        EditorView.updateListener.of((u) => { if (u.docChanged) opts.onChange(); }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setInvalid(invalid) {
      if (invalid) view.contentDOM.setAttribute('aria-invalid', 'true');
      else view.contentDOM.removeAttribute('aria-invalid');
      parent.classList.toggle('invalid', invalid);
    },
  };
}
