/** Where the learner's theme choice is kept in the browser. */
export const THEME_STORAGE_KEY = 'theme';

export type ThemeChoice = 'system' | 'light' | 'dark';

/**
 * Runs in <head> before the page paints, so a dark-mode learner never sees a
 * light flash: it applies the stored choice, or the system's, to <html>.
 */
export const THEME_INIT_SCRIPT = `(function(){try{var c=localStorage.getItem('${THEME_STORAGE_KEY}');var d=c==='dark'||(c!=='light'&&window.matchMedia('(prefers-color-scheme: dark)').matches);var e=document.documentElement;e.classList.toggle('dark',d);e.style.colorScheme=d?'dark':'light';}catch(_){}})();`;
