import { requestOrigin } from '@/lib/http/json';
import { handleLearnerRequest } from '@/lib/server/learner-route';
import { workspaceCredentials } from '@/lib/server/workspace-credentials';

/** The workspace's access key for the AWS SDKs and CLI, with the endpoint to point them at. */
export function GET(request: Request) {
  return handleLearnerRequest(request, async ({ learnerId, services }) =>
    Response.json(await workspaceCredentials(services, learnerId, requestOrigin(request))),
  );
}
