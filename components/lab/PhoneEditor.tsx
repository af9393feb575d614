'use client';

import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import {
  bracketMatching,
  defaultHighlightStyle,
  HighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { useEffect, useRef } from 'react';
import type { EditorReveal } from './editor-types';

/*
 * Phones get CodeMirror 6 instead of Monaco, which does not support touch
 * typing: a contenteditable editor that works with on-screen keyboards, with
 * line numbers and highlighting. It loads only on narrow screens.
 */

/** Dark-theme colours, each at least 4.5:1 on the editor's background. */
const darkHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: '#c4a5ff' },
  { tag: [tags.string, tags.special(tags.string)], color: '#a5d6a7' },
  { tag: tags.comment, color: '#9ca3af', fontStyle: 'italic' },
  { tag: [tags.number, tags.bool, tags.null], color: '#fdba74' },
  { tag: [tags.function(tags.variableName), tags.propertyName], color: '#93c5fd' },
]);

function languageExtension(path: string): Extension {
  if (path.endsWith('.py')) return python();
  if (/\.(mjs|cjs|js)$/.test(path)) return javascript();
  return [];
}

function themeExtension(dark: boolean): Extension {
  return [
    EditorView.theme(
      {
        '&': {
          fontSize: '13px',
          backgroundColor: dark ? '#020617' : '#ffffff',
          color: dark ? '#f1f5f9' : '#0f172a',
        },
        '.cm-gutters': {
          backgroundColor: dark ? '#0f172a' : '#f1f5f9',
          color: dark ? '#94a3b8' : '#475569',
          border: 'none',
        },
        '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' },
        '.cm-activeLine': { backgroundColor: dark ? '#1e293b80' : '#e2e8f080' },
        '&.cm-focused': { outline: '2px solid #2563eb' },
      },
      { dark },
    ),
    syntaxHighlighting(dark ? darkHighlight : defaultHighlightStyle),
  ];
}

export interface PhoneEditorProps {
  path: string;
  value: string;
  onChange(value: string): void;
  label: string;
  wrap: boolean;
  dark: boolean;
  reveal: EditorReveal | undefined;
}

/** One lab file in CodeMirror; a new `path` starts a fresh document (each file keeps its text in the lab's state). */
export function PhoneEditor({
  path,
  value,
  onChange,
  label,
  wrap,
  dark,
  reveal,
}: PhoneEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const onChangeRef = useRef(onChange);
  // What a new view starts from; kept current so a file switch builds its view from today's settings.
  const latest = useRef({ value, wrap, dark });
  const compartments = useRef({ wrap: new Compartment(), theme: new Compartment() });
  useEffect(() => {
    onChangeRef.current = onChange;
    latest.current = { value, wrap, dark };
  });

  // One view per file: the document, language and undo history belong to the file.
  useEffect(() => {
    if (!host.current) return;
    const { wrap: wrapping, theme } = compartments.current;
    const { value, wrap, dark } = latest.current;
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          indentOnInput(),
          bracketMatching(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          languageExtension(path),
          EditorState.tabSize.of(2),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          wrapping.of(wrap ? EditorView.lineWrapping : []),
          theme.of(themeExtension(dark)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = undefined;
    };
    // Rebuilt per file only; value, wrap and theme changes are applied below without losing the cursor.
  }, [path, label]);

  useEffect(() => {
    const current = view.current;
    if (current && current.state.doc.toString() !== value) {
      current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({
      effects: [
        compartments.current.wrap.reconfigure(wrap ? EditorView.lineWrapping : []),
        compartments.current.theme.reconfigure(themeExtension(dark)),
      ],
    });
  }, [wrap, dark]);

  useEffect(() => {
    const current = view.current;
    if (!current || !reveal) return;
    const line = current.state.doc.line(
      Math.min(Math.max(reveal.line, 1), current.state.doc.lines),
    );
    const position = Math.min(line.from + Math.max(reveal.column - 1, 0), line.to);
    current.dispatch({
      selection: { anchor: position },
      effects: EditorView.scrollIntoView(position, { y: 'center' }),
    });
    current.focus();
  }, [reveal]);

  return <div ref={host} className="max-h-[70vh] min-h-64 overflow-auto" />;
}
