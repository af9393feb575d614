import { readJsonBody } from '@/lib/http/json';
import { labSaveRequestSchema, MAX_LAB_REQUEST_BYTES } from '@/lib/labs/contract';
import { handleLearnerRequest } from '@/lib/server/learner-route';

interface LabRoute {
  params: Promise<{ module: string; lab: string }>;
}

/** The learner's saved copy of the lab, or `null` when they have not changed it. */
export function GET(request: Request, { params }: LabRoute) {
  return handleLearnerRequest(request, async ({ learnerId, labs }) => {
    const { module, lab } = await params;
    return Response.json(await (await labs()).getSave(learnerId, `${module}/${lab}`));
  });
}

/** Autosave: `{ files: [{ path, content }], settings: { memoryMb, timeoutS, environment, eventText } }`. */
export function PUT(request: Request, { params }: LabRoute) {
  return handleLearnerRequest(request, async ({ learnerId, labs }) => {
    const { module, lab } = await params;
    const body = await readJsonBody(request, labSaveRequestSchema, MAX_LAB_REQUEST_BYTES);
    return Response.json(await (await labs()).save(learnerId, `${module}/${lab}`, body));
  });
}

/** Reset to starter: forgets the learner's copy. */
export function DELETE(request: Request, { params }: LabRoute) {
  return handleLearnerRequest(request, async ({ learnerId, labs }) => {
    const { module, lab } = await params;
    await (await labs()).reset(learnerId, `${module}/${lab}`);
    return new Response(null, { status: 204 });
  });
}
