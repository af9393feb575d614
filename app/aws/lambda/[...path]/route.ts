import { handleLambdaApiRequest } from '@/lib/lambda';
import { getWorkspaceRateLimiter } from '@/lib/server/request-limits';
import { getAppServices } from '@/lib/server/services';

/** The Lambda-compatible API: point the AWS SDKs and CLI at <origin>/aws/lambda. */
async function handle(request: Request): Promise<Response> {
  const { lambda, functions, codeStore, codeLinks } = await getAppServices();
  return handleLambdaApiRequest(request, {
    lambda,
    functions,
    codeStore,
    codeLinks,
    workspaceRate: getWorkspaceRateLimiter(),
  });
}

export { handle as GET, handle as POST, handle as PUT, handle as DELETE };
