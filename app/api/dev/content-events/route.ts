import { watchContent } from '@/lib/server/content-watch';
import { IS_DEVELOPMENT } from '@/lib/server/services';

export const dynamic = 'force-dynamic';

/** Development only: a Server-Sent Events stream with one "change" event per content edit. */
export function GET(request: Request) {
  if (!IS_DEVELOPMENT) return new Response('Not found', { status: 404 });
  return new Response(watchContent(request.signal), {
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    },
  });
}
