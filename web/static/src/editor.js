// Entry for the query page's editor: CodeMirror 6 with the SPARQL mode of @codemirror/legacy-modes.
import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";

// Makes an editor in `parent`; `onRun` is called on Ctrl/Cmd-Enter.
function createEditor(parent, doc, onRun) {
  const view = new EditorView({
    doc,
    parent,
    extensions: [
      keymap.of([{ key: "Mod-Enter", run: () => { onRun(); return true; } }]),
      basicSetup,
      StreamLanguage.define(sparql),
      EditorView.lineWrapping,
    ],
  });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
  };
}
window.KGEditor = { createEditor };
