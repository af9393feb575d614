'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Development only: re-renders the page when a file under content/ changes, so
 * an author sees an edited lesson without reloading. Next's own hot reload does
 * not watch lessons because they are read from disk, not imported.
 */
export function DevContentReload() {
  const router = useRouter();
  useEffect(() => {
    const events = new EventSource('/api/dev/content-events');
    events.addEventListener('change', () => router.refresh());
    return () => events.close();
  }, [router]);
  return null;
}
