import { useEffect, useRef, useState, type RefObject } from 'react';

/** Phones: the width below which a lab shows a plain text area instead of Monaco. */
const NARROW_QUERY = '(max-width: 639px)';
/** How far ahead of the screen the editor starts loading, so it is ready when the lab scrolls in. */
const PRELOAD_MARGIN = '400px';

/**
 * Whether the lab has come near the screen (it stays true once it has) and
 * whether the screen is phone-narrow. Monaco is large, so the editor mounts
 * only once the lab is near; phones get a text area, which reads and types
 * better there.
 */
export function useLabVisibility<T extends Element>(): {
  rootRef: RefObject<T | null>;
  visible: boolean;
  narrow: boolean;
} {
  const rootRef = useRef<T>(null);
  const [visible, setVisible] = useState(false);
  const [narrow, setNarrow] = useState(false);

  useEffect(() => {
    const node = rootRef.current;
    if (!node) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setVisible(true);
          observer.disconnect();
        }
      },
      { rootMargin: PRELOAD_MARGIN },
    );
    observer.observe(node);
    const query = window.matchMedia(NARROW_QUERY);
    const update = () => setNarrow(query.matches);
    update();
    query.addEventListener('change', update);
    return () => {
      observer.disconnect();
      query.removeEventListener('change', update);
    };
  }, []);

  return { rootRef, visible, narrow };
}
