// Typing over a selection that spans lines, in Chromium, leaves CodeMirror
// (which reads the text back from the DOM Chromium changed) with an extra
// empty line: select all, type "x", and the text is "x\n". This extension
// takes that one case itself: text typed or inserted over a selection
// replaces it in the editor's state, and the DOM is left to CodeMirror.

import { EditorView } from '@codemirror/view';

export const replaceSelectionOnInput = EditorView.domEventHandlers({
  beforeinput(e, view) {
    if (e.inputType !== 'insertText' || e.data === null || view.composing) return false;
    if (view.state.selection.ranges.every((r) => r.empty)) return false;
    e.preventDefault();
    view.dispatch(view.state.replaceSelection(e.data), { userEvent: 'input.type', scrollIntoView: true });
    return true;
  },
});
