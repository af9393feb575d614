/*
 * Lambda on the course: the service (typed methods for callers in this
 * process), the AWS-compatible HTTP API in front of it, and the pieces the
 * server wires together. Callers outside lib/lambda import this module only.
 */
export { LambdaService, REGION, type FunctionDeployment, type InvocationHistoryPage, type InvocationRecord, type InvokeResult } from './lambda-service';
export { handleLambdaApiRequest, LAMBDA_API_PREFIX } from './http-api';
export { LambdaError } from './errors';
export { createCodeArchive } from './code-archive';
export { CodeLinkSigner, CodeStore } from './code-store';
export { FunctionRepository } from './function-repository';
export { COLLECTION_INTERVAL_MS } from './quotas';
export { createEphemeralLambdaService } from './ephemeral-service';
