'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** Calls `onChange` whenever a file under content/ changes (development only). */
export function useContentChanges(
  onChange: () => void,
  enabled = process.env.NODE_ENV === 'development',
): void {
  useEffect(() => {
    if (!enabled) return;
    const events = new EventSource('/api/dev/content-events');
    events.addEventListener('change', onChange);
    return () => events.close();
  }, [onChange, enabled]);
}

/**
 * Development only: re-renders the page when a file under content/ changes, so
 * an author sees an edited lesson without reloading. Next's own hot reload does
 * not watch lessons because they are read from disk, not imported.
 */
export function DevContentReload() {
  const router = useRouter();
  useContentChanges(router.refresh);
  return null;
}
