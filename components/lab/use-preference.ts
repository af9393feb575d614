import { useCallback, useSyncExternalStore } from 'react';

/** Tells this tab's other readers of a preference that it changed (the storage event reaches only other tabs). */
const CHANGE_EVENT = 'course-preference-change';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('storage', onChange);
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener('storage', onChange);
    window.removeEventListener(CHANGE_EVENT, onChange);
  };
}

/** Where preferences live when the browser refuses localStorage (private modes, policies): for this page only. */
const inMemory = new Map<string, string>();

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key) ?? inMemory.get(key) ?? null;
  } catch {
    return inMemory.get(key) ?? null;
  }
}

/**
 * A small preference kept in this browser (the editor's wrap, the panes'
 * split): the same for every lab, and the server's render uses the default.
 */
export function usePreference<T>(
  key: string,
  fallback: T,
  parse: (stored: string) => T | undefined,
): [T, (value: T) => void] {
  const stored = useSyncExternalStore(
    subscribe,
    () => read(key),
    () => null,
  );
  const value = stored === null ? fallback : (parse(stored) ?? fallback);
  const set = useCallback(
    (next: T) => {
      inMemory.set(key, String(next));
      try {
        window.localStorage.setItem(key, String(next));
      } catch {
        // Kept in memory only.
      }
      window.dispatchEvent(new Event(CHANGE_EVENT));
    },
    [key],
  );
  return [value, set];
}
