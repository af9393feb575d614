'use client';

import { DiffEditor, Editor, loader, type BeforeMount, type OnMount } from '@monaco-editor/react';
import { useEffect, useRef, useState } from 'react';
import type { EditorReveal } from './editor-types';
import { labApi } from './lab-api';

/*
 * Monaco is served by the app (scripts/copy-monaco.mjs copies it to
 * public/monaco): @monaco-editor/react would otherwise fetch it from a CDN,
 * and the course must work with no internet.
 */
loader.config({ paths: { vs: '/monaco/vs' } });

type Monaco = Parameters<BeforeMount>[0];

/** The language Monaco highlights a lab file as. */
export function languageOf(path: string): string {
  if (/\.(mjs|cjs|js)$/.test(path)) return 'javascript';
  if (/\.(ts|mts)$/.test(path)) return 'typescript';
  if (path.endsWith('.py')) return 'python';
  if (path.endsWith('.json')) return 'json';
  return 'plaintext';
}

let typingsLoaded: Promise<void> | undefined;

/**
 * Makes Node handlers TypeScript-aware: JavaScript gets the compiler's
 * completions and syntax markers, and the aws-lambda typings load once per
 * page, so a JSDoc `@type {import('aws-lambda').Handler}` gives `event.` and
 * `context.` completions.
 */
const configureMonaco: BeforeMount = (monaco: Monaco) => {
  // vs-dark's comment green is 4.2:1 on its background; this one is 6:1, as WCAG AA asks of text.
  monaco.editor.defineTheme('course-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [{ token: 'comment', foreground: '7ca668' }],
    colors: {},
  });
  const javascript = monaco.languages.typescript.javascriptDefaults;
  javascript.setCompilerOptions({
    allowJs: true,
    checkJs: false,
    allowNonTsExtensions: true,
    target: monaco.languages.typescript.ScriptTarget.ES2022,
    module: monaco.languages.typescript.ModuleKind.ESNext,
    moduleResolution: monaco.languages.typescript.ModuleResolutionKind.NodeJs,
    types: ['aws-lambda'],
  });
  // Syntax errors are marked as the learner types; type errors are not, as plain JavaScript would drown in them.
  javascript.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false });
  typingsLoaded ??= fetch('/monaco/aws-lambda-types.json')
    .then((response) =>
      response.ok ? (response.json() as Promise<{ path: string; content: string }[]>) : [],
    )
    .then((libs) => {
      for (const lib of libs) javascript.addExtraLib(lib.content, lib.path);
    })
    .catch(() => undefined);
};

/** Whether the site is in its dark theme (the `dark` class on <html>), following changes. */
export function useDarkTheme(): boolean {
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const root = document.documentElement;
    const update = () => setDark(root.classList.contains('dark'));
    update();
    const observer = new MutationObserver(update);
    observer.observe(root, { attributes: true, attributeFilter: ['class'] });
    return () => observer.disconnect();
  }, []);
  return dark;
}

export interface CodeEditorProps {
  /** A stable name for the file's model, e.g. "first-handler/index.mjs". */
  modelPath: string;
  path: string;
  value: string;
  onChange(value: string): void;
  /** Ctrl/Cmd+Enter inside the editor. */
  onRun(): void;
  label: string;
  /** Long lines wrap at the editor's edge instead of scrolling sideways. */
  wrap: boolean;
  /** Moves the cursor to a line of this file (a stack frame's link), when set. */
  reveal: EditorReveal | undefined;
  /** Fills its container's height (full screen) instead of a fixed one. */
  fill: boolean;
}

/** The Monaco editor for one lab file at a time; a new `modelPath` switches files and keeps each one's undo history. */
export function CodeEditor({
  modelPath,
  path,
  value,
  onChange,
  onRun,
  label,
  wrap,
  reveal,
  fill,
}: CodeEditorProps) {
  const dark = useDarkTheme();
  const runRef = useRef(onRun);
  useEffect(() => {
    runRef.current = onRun;
  }, [onRun]);
  const [mounted, setMounted] = useState<{ editor: Parameters<OnMount>[0]; monaco: Monaco }>();
  usePythonSyntaxMarkers(mounted, languageOf(path) === 'python' ? value : undefined);

  useEffect(() => {
    const editor = mounted?.editor;
    if (!editor || !reveal || reveal.path !== path) return;
    editor.revealLineInCenter(reveal.line);
    editor.setPosition({ lineNumber: reveal.line, column: reveal.column });
    editor.focus();
  }, [mounted, reveal, path]);

  const onMount: OnMount = (editor, monaco) => {
    setMounted({ editor, monaco });
    // An action, not addCommand: Monaco's commands are global, so with two labs on a page the last one mounted would run.
    editor.addAction({
      id: 'course.lab.run',
      label: 'Run the code',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => runRef.current(),
    });
  };

  return (
    <Editor
      height={fill ? '100%' : '22rem'}
      path={`file:///labs/${modelPath}`}
      language={languageOf(path)}
      value={value}
      onChange={(next) => onChange(next ?? '')}
      beforeMount={configureMonaco}
      onMount={onMount}
      theme={dark ? 'course-dark' : 'vs'}
      loading={
        <p className="p-4 text-sm text-slate-600 dark:text-slate-400">Loading the editor…</p>
      }
      options={{
        ariaLabel: label,
        accessibilitySupport: 'auto',
        minimap: { enabled: false },
        // 13 px and a slim gutter fit an 80-column line in a lab 700 px wide (a 1280 px screen).
        fontSize: 13,
        lineNumbersMinChars: 3,
        folding: false,
        glyphMargin: false,
        scrollbar: { verticalScrollbarSize: 10, horizontalScrollbarSize: 10 },
        wordWrap: wrap ? 'on' : 'off',
        scrollBeyondLastLine: false,
        automaticLayout: true,
        tabSize: 2,
        renderLineHighlight: 'line',
        fixedOverflowWidgets: true,
      }}
    />
  );
}

const PYTHON_CHECK_DELAY_MS = 600;

/**
 * Monaco has no Python parser, so a moment after the learner stops typing the
 * server compiles the file (without running it) and the editor marks what
 * Python would reject, before Run.
 */
function usePythonSyntaxMarkers(
  mounted: { editor: Parameters<OnMount>[0]; monaco: Monaco } | undefined,
  source: string | undefined,
): void {
  useEffect(() => {
    const model = mounted?.editor.getModel();
    if (!mounted || !model) return;
    if (source === undefined) {
      mounted.monaco.editor.setModelMarkers(model, 'python-syntax', []);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      labApi
        .pythonSyntax(source, controller.signal)
        .then((problems) => {
          if (model.isDisposed()) return;
          mounted.monaco.editor.setModelMarkers(
            model,
            'python-syntax',
            problems.map((p) => ({
              severity: mounted.monaco.MarkerSeverity.Error,
              message: p.message,
              startLineNumber: p.line,
              startColumn: p.column,
              endLineNumber: p.endLine,
              endColumn: Math.max(p.endColumn, p.column + 1),
            })),
          );
        })
        // A check that fails or is overtaken by typing leaves the markers as they were: they are a help, not a gate.
        .catch(() => undefined);
    }, PYTHON_CHECK_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [mounted, source]);
}

/** The learner's code beside the reference solution, differences marked. */
export function SolutionDiff({
  path,
  original,
  modified,
  sideBySide,
}: {
  path: string;
  original: string;
  modified: string;
  /** Two columns on a wide lab; one column with changes interleaved on a narrow one. */
  sideBySide: boolean;
}) {
  const dark = useDarkTheme();
  return (
    <DiffEditor
      height="20rem"
      language={languageOf(path)}
      original={original}
      modified={modified}
      // The high-contrast themes mark changes with outlines rather than tinted backgrounds, which would drop syntax colours below 4.5:1.
      theme={dark ? 'hc-black' : 'hc-light'}
      loading={<p className="p-4 text-sm">Loading the comparison…</p>}
      // The diff options' own labels do not reach the inner editors' inputs in this Monaco; set them on each editor.
      onMount={(diff) => {
        diff.getOriginalEditor().updateOptions({ ariaLabel: `Your ${path}` });
        diff.getModifiedEditor().updateOptions({ ariaLabel: `The solution's ${path}` });
      }}
      options={{
        readOnly: true,
        originalEditable: false,
        renderSideBySide: sideBySide,
        // The lab decides from its own width; Monaco's default would switch to inline below 900 px without saying so.
        useInlineViewWhenSpaceIsLimited: false,
        minimap: { enabled: false },
        automaticLayout: true,
        scrollBeyondLastLine: false,
        fontSize: 13,
      }}
    />
  );
}
