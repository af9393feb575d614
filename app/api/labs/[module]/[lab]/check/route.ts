import { readJsonBody } from '@/lib/http/json';
import { labCheckRequestSchema } from '@/lib/labs/lab-service';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/**
 * Runs the exercise's checks on the learner's files (`{ files: [{ path, content }] }`)
 * and answers each check's result; passing them all marks the exercise done.
 */
export function POST(request: Request, { params }: { params: Promise<{ module: string; lab: string }> }) {
  return handleLearnerRequest(request, async ({ learnerId, labs }) => {
    const { module, lab } = await params;
    const { files } = await readJsonBody(request, labCheckRequestSchema, 8 * 1024 * 1024);
    return Response.json(await labs.check(learnerId, `${module}/${lab}`, files));
  });
}
