import { handleLearnerRequest } from '@/lib/server/learner-route';

/** The functions in the learner's workspace, as the Lambda API's FunctionConfiguration. */
export function GET(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, services }) =>
    Response.json({ functions: await services.lambda.listFunctions(learnerId) }),
  );
}
