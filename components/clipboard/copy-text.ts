/**
 * What copying needs from the browser, passed in so the choice between the
 * two ways of copying can be tested without one.
 */
export interface ClipboardEnvironment {
  /** The async Clipboard API; browsers offer it only on HTTPS pages and on localhost. */
  clipboard?: { writeText(text: string): Promise<void> };
  /** The older way, for a course served over plain HTTP on another host: select a hidden textarea and copy. */
  copyBySelection?(text: string): boolean;
}

/**
 * Puts `text` on the clipboard. Returns whether it got there: the Clipboard
 * API can refuse (no permission, page not focused), and then the selection
 * fallback is tried before giving up.
 */
export async function copyText(text: string, environment: ClipboardEnvironment): Promise<boolean> {
  if (environment.clipboard) {
    try {
      await environment.clipboard.writeText(text);
      return true;
    } catch {
      // Refused: fall through to the selection fallback.
    }
  }
  try {
    return environment.copyBySelection?.(text) ?? false;
  } catch {
    return false;
  }
}

/** The page's own clipboard: the Clipboard API where the browser offers it, the selection fallback always. */
export function browserClipboard(): ClipboardEnvironment {
  return {
    clipboard: typeof navigator !== 'undefined' ? navigator.clipboard : undefined,
    copyBySelection: (text) => {
      const active = document.activeElement as HTMLElement | null;
      const area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.setAttribute('aria-hidden', 'true');
      // Off screen but rendered: a hidden (display: none) element cannot be selected.
      area.style.position = 'fixed';
      area.style.top = '-1000px';
      area.style.opacity = '0';
      document.body.append(area);
      area.select();
      try {
        // Deprecated, but the only way to copy where the Clipboard API is missing.
        return document.execCommand('copy');
      } finally {
        area.remove();
        // Selecting moved focus to the textarea; give it back to the button.
        active?.focus();
      }
    },
  };
}
