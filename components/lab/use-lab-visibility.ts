import { useEffect, useRef, useState, type RefObject } from 'react';

/** Phones: the width below which a lab uses CodeMirror, which works with touch keyboards, instead of Monaco. */
const NARROW_QUERY = '(max-width: 639px)';
/** The lab's own width from which the editor and the output sit side by side (Tailwind's @5xl container size). */
const WIDE_PX = 1024;
/** How far ahead of the screen the editor starts loading, so it is ready when the lab scrolls in. */
const PRELOAD_MARGIN = '400px';

/**
 * Whether the lab has come near the screen (it stays true once it has),
 * whether the screen is phone-narrow, and whether the lab is wide. Monaco is large, so the editor mounts
 * only once the lab is near; phones get CodeMirror, which works with touch
 * keyboards.
 */
export function useLabVisibility<T extends Element>(): {
  rootRef: RefObject<T | null>;
  visible: boolean;
  narrow: boolean;
  /** The lab itself is wide enough for two columns (in the page, or full screen). */
  wide: boolean;
} {
  const rootRef = useRef<T>(null);
  const [visible, setVisible] = useState(false);
  const [narrow, setNarrow] = useState(false);
  const [wide, setWide] = useState(false);

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
    const sizes = new ResizeObserver(([entry]) => {
      if (entry) setWide(entry.contentRect.width >= WIDE_PX);
    });
    sizes.observe(node);
    const query = window.matchMedia(NARROW_QUERY);
    const update = () => setNarrow(query.matches);
    update();
    query.addEventListener('change', update);
    return () => {
      observer.disconnect();
      sizes.disconnect();
      query.removeEventListener('change', update);
    };
  }, []);

  return { rootRef, visible, narrow, wide };
}
