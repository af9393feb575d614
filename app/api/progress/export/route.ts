import { handleLearnerRequest } from '@/lib/server/learner-route';

/** Downloads everything the learner has (progress and lab saves) as a file they can import elsewhere. */
export function GET(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, progress }) => {
    const { name, text } = await (await progress()).exportFile(learnerId);
    return new Response(text, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${name}"`,
      },
    });
  });
}
