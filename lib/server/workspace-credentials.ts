import { REGION } from '../lambda';
import type { AppServices } from './services';

export interface WorkspaceCredentialsView {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  accountId: string;
  /** Where the Lambda-compatible API answers: pass it as endpoint / --endpoint-url. */
  lambdaEndpoint: string;
}

export async function workspaceCredentials(
  services: AppServices,
  workspaceId: string,
  origin: string,
): Promise<WorkspaceCredentialsView> {
  const keys = await services.functions.credentialsFor(workspaceId, new Date());
  return {
    ...keys,
    region: REGION,
    accountId: services.lambda.accountId(workspaceId),
    lambdaEndpoint: `${origin}/aws/lambda`,
  };
}
