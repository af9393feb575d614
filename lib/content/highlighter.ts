import { createHighlighter, type Highlighter } from 'shiki';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import { CODE_LANGUAGES } from './components';

/**
 * Light and dark code themes; the page switches between them with CSS variables.
 * The "-default" GitHub themes are chosen for contrast: their token colours meet
 * WCAG AA (4.5:1) on their backgrounds, where plain github-light's do not.
 */
export const CODE_THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;

let highlighter: Promise<Highlighter> | undefined;

/**
 * One highlighter per process, created on first use. The JavaScript regex engine
 * avoids loading a WebAssembly module into the server bundle.
 */
export function getHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({
    themes: Object.values(CODE_THEMES),
    langs: CODE_LANGUAGES.filter((lang) => !['text', 'txt', 'plaintext', 'console'].includes(lang)),
    engine: createJavaScriptRegexEngine(),
  });
  return highlighter;
}
