import { watch } from 'node:fs';
import { projectCourseLocation } from '../course';

/** Edits arrive as bursts of file events (editors write, rename, touch); one refresh per burst. */
const SETTLE_MS = 120;

/**
 * A Server-Sent Events stream that emits `event: change` whenever a file under
 * content/ or public/images/ changes, until the client goes away.
 */
export function watchContent(signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const { contentDir, publicDir } = projectCourseLocation();
  return new ReadableStream({
    start(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const notify = () => {
        clearTimeout(timer);
        timer = setTimeout(
          () => controller.enqueue(encoder.encode('event: change\ndata: {}\n\n')),
          SETTLE_MS,
        );
      };
      const watchers = [watch(contentDir, { recursive: true }, notify)];
      try {
        watchers.push(watch(`${publicDir}/images`, { recursive: true }, notify));
      } catch {
        // No images folder yet: lessons without images still reload.
      }
      // A comment line every 20 s keeps proxies from closing an idle stream.
      const keepAlive = setInterval(
        () => controller.enqueue(encoder.encode(': keep-alive\n\n')),
        20_000,
      );
      controller.enqueue(encoder.encode(': watching content\n\n'));
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        clearInterval(keepAlive);
        watchers.forEach((watcher) => watcher.close());
        controller.close();
      });
    },
  });
}
