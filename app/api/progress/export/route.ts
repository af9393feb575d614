import { handleLearnerRequest } from '@/lib/server/learner-route';

/** Downloads the learner's progress as a JSON file they can import elsewhere. */
export function GET(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, progress }) => {
    const file = await (await progress()).export(learnerId);
    const date = file.exportedAt.slice(0, 10);
    return new Response(`${JSON.stringify(file, null, 2)}\n`, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="course-progress-${date}.json"`,
      },
    });
  });
}
