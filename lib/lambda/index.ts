/*
 * Lambda on the course: the service (typed methods for callers in this
 * process), the AWS-compatible HTTP API in front of it, and the pieces the
 * server wires together. Callers outside lib/lambda import this module only.
 */
export {
  LambdaService,
  REGION,
  type FunctionDeployment,
  type InvocationHistoryPage,
  type InvocationRecord,
  type InvokeResult,
} from './lambda-service';
export { handleLambdaApiRequest, LAMBDA_API_PREFIX } from './http-api';
export { LambdaError } from './errors';
export { createCodeArchive } from './code-archive';
export { CodeLinkSigner, CodeStore } from './code-store';
export { FunctionRepository } from './function-repository';
export {
  COLLECTION_INTERVAL_MS,
  DEFAULT_ASYNC_EVENTS_PER_SERVER,
  DEFAULT_ASYNC_EVENTS_PER_WORKSPACE,
  DEFAULT_ASYNC_QUEUE_MB_PER_SERVER,
  DEFAULT_ASYNC_QUEUE_MB_PER_WORKSPACE,
  DEFAULT_CODE_STORAGE_MB_PER_WORKSPACE,
  DEFAULT_HISTORY_RECORDS_PER_WORKSPACE,
  DEFAULT_UNZIPPED_STORAGE_MB_PER_WORKSPACE,
} from './quotas';
export { createEphemeralLambdaService } from './ephemeral-service';
