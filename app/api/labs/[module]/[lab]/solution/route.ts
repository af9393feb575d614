import { handleLearnerRequest } from '@/lib/server/learner-route';

/** The lab's reference solution, for "Show solution". */
export function GET(
  request: Request,
  { params }: { params: Promise<{ module: string; lab: string }> },
) {
  return handleLearnerRequest(request, async ({ labs }) => {
    const { module, lab } = await params;
    return Response.json({ files: (await labs()).solution(`${module}/${lab}`) });
  });
}
