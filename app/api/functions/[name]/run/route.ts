import { readJsonBody } from '@/lib/http/json';
import { labRunRequestSchema } from '@/lib/lambda/lambda-service';
import { handleLearnerRequest } from '@/lib/server/learner-route';

/**
 * The code lab's Run: saves the learner's files and settings as the function
 * `name` in their workspace and invokes it, answering with the response, the
 * log and the structured report in one round trip.
 */
export function POST(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handleLearnerRequest(request, async ({ learnerId, services }) => {
    const { name } = await params;
    const body = await readJsonBody(request, labRunRequestSchema, 8 * 1024 * 1024);
    const { configuration, result } = await services.lambda.deployAndInvoke(learnerId, name, body);
    return Response.json({
      functionName: configuration.FunctionName,
      requestId: result.record.requestId,
      payload: result.payload,
      errorType: result.record.errorType,
      log: result.record.log,
      report: result.record.report,
    });
  });
}
