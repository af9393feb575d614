import dynamic from 'next/dynamic';
import type { LabSourceFile } from '@/lib/labs/contract';
import { useDarkTheme } from './CodeEditor';
import type { EditorReveal } from './editor-types';
import { TabList } from './TabList';

// Monaco is large and browser-only: it loads after the lesson's text, and only once the lab is on screen.
const CodeEditor = dynamic(() => import('./CodeEditor').then((m) => m.CodeEditor), {
  ssr: false,
  loading: () => <EditorPlaceholder />,
});
// Phones get CodeMirror, which works with touch keyboards; desktops never load it.
const PhoneEditor = dynamic(() => import('./PhoneEditor').then((m) => m.PhoneEditor), {
  ssr: false,
  loading: () => <EditorPlaceholder />,
});

interface LabEditorProps {
  /** Prefix for the tabs' and panel's element ids: unique per lab on the page. */
  baseId: string;
  labId: string;
  files: LabSourceFile[];
  /** The index of the file in the open tab, and that file. */
  active: number;
  file: LabSourceFile;
  onSelect(index: number): void;
  onEdit(content: string): void;
  /** Control+Enter inside Monaco, which keeps the key to itself. */
  onRun(): void;
  /** Whether the lab has come near the screen: the editor mounts then, not before. */
  visible: boolean;
  /** Phones get CodeMirror, and no keyboard hints that need a hardware keyboard. */
  narrow: boolean;
  wrap: boolean;
  reveal: EditorReveal | undefined;
  /** Full screen: the editor fills the pane's height. */
  fill: boolean;
}

/** The lab's files as tabs, the open one in the editor, and how the keyboard works in it. */
export function LabEditor({
  baseId,
  labId,
  files,
  active,
  file,
  onSelect,
  onEdit,
  onRun,
  visible,
  narrow,
  wrap,
  reveal,
  fill,
}: LabEditorProps) {
  const dark = useDarkTheme();
  return (
    <div className={`flex min-w-0 flex-col ${fill ? 'min-h-0 flex-1' : ''}`}>
      <TabList
        label="Files"
        tabs={files.map((f, index) => ({ id: String(index), label: f.path }))}
        selected={String(active)}
        onSelect={(id) => onSelect(Number(id))}
        tabId={(id) => `${baseId}-tab-${id}`}
        controls={`${baseId}-editor`}
        monospace
      />
      <div
        id={`${baseId}-editor`}
        role="tabpanel"
        aria-labelledby={`${baseId}-tab-${active}`}
        data-testid="lab-editor"
        className={fill ? 'min-h-0 flex-1' : undefined}
      >
        {!visible ? (
          <EditorPlaceholder code={file.content} />
        ) : narrow ? (
          <PhoneEditor
            path={`${labId}/${file.path}`}
            value={file.content}
            onChange={onEdit}
            label={`${file.path}: code`}
            wrap={wrap}
            dark={dark}
            reveal={reveal?.path === file.path ? reveal : undefined}
          />
        ) : (
          <CodeEditor
            modelPath={`${labId}/${file.path}`}
            path={file.path}
            value={file.content}
            onChange={onEdit}
            onRun={onRun}
            label={`${file.path}: code editor. Press Control+Enter to run.`}
            wrap={wrap}
            reveal={reveal}
            fill={fill}
          />
        )}
      </div>
      {!narrow && (
        <p className="border-t border-slate-200 px-3 py-1.5 text-xs text-slate-600 dark:border-slate-700 dark:text-slate-400">
          <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>Enter</kbd> runs. In the editor, Tab indents: press{' '}
          <kbd>Ctrl</kbd>+<kbd>M</kbd> (<kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>M</kbd> on a Mac) to
          make Tab move focus out instead, and again to switch back.
        </p>
      )}
    </div>
  );
}

/** The code as text until the editor arrives: the lab reads before it becomes editable. */
function EditorPlaceholder({ code }: { code?: string }) {
  return (
    <pre
      tabIndex={0}
      className="h-[22rem] overflow-auto bg-slate-50 p-3 font-mono text-[13px] leading-5 text-slate-900 dark:bg-slate-950 dark:text-slate-100"
      aria-label="Code (the editor is loading)"
    >
      {code ?? 'Loading the editor…'}
    </pre>
  );
}
