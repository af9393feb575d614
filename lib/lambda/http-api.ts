import { randomUUID } from 'node:crypto';
import { SignatureError, verifySigV4 } from '../aws/sigv4';
import { requestOrigin } from '../http/json';
import { readZip, type CodeLinkSigner, type CodeStore } from './code-store';
import { LambdaError } from './errors';
import type { FunctionRepository } from './function-repository';
import type { InvocationType, LambdaService } from './lambda-service';

/** The prefix the API is mounted under on the app's origin. */
export const LAMBDA_API_PREFIX = '/aws/lambda';
/** Bodies larger than this are refused before parsing (a 50 MB zip, base64-encoded, fits). */
const MAX_BODY_BYTES = 70 * 1024 * 1024;

interface Route {
  method: string;
  pattern: RegExp;
  handle(context: RouteContext, match: string[]): Promise<Response>;
}

export interface LambdaApiDependencies {
  lambda: LambdaService;
  functions: FunctionRepository;
  codeStore: CodeStore;
  codeLinks: CodeLinkSigner;
}

interface RouteContext {
  workspaceId: string;
  lambda: LambdaService;
  codeLinks: CodeLinkSigner;
  request: Request;
  url: URL;
  body: Uint8Array;
}

const FUNCTION = '([^/]+)';

/**
 * The Lambda API's REST routes (https://docs.aws.amazon.com/lambda/latest/api/),
 * as the AWS SDKs and CLI call them, for the operations the course supports.
 */
const ROUTES: Route[] = [
  { method: 'POST', pattern: /^\/2015-03-31\/functions\/?$/, handle: async (c) => json(201, await c.lambda.createFunction(c.workspaceId, readJson(c))) },
  { method: 'GET', pattern: /^\/2015-03-31\/functions\/?$/, handle: async (c) => json(200, { Functions: await c.lambda.listFunctions(c.workspaceId) }) },
  {
    method: 'GET',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/?$`),
    handle: async (c, [name]) => {
      const { configuration, definition } = await c.lambda.getFunction(c.workspaceId, functionName(name!));
      return json(200, {
        Configuration: configuration,
        Code: { RepositoryType: 'S3', Location: `${requestOrigin(c.request)}${LAMBDA_API_PREFIX}/${c.codeLinks.sign(definition.codeId, new Date())}` },
        ...(definition.ReservedConcurrentExecutions !== undefined ? { Concurrency: { ReservedConcurrentExecutions: definition.ReservedConcurrentExecutions } } : {}),
      });
    },
  },
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/configuration/?$`), handle: async (c, [name]) => json(200, (await c.lambda.getFunction(c.workspaceId, functionName(name!))).configuration) },
  { method: 'PUT', pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/code/?$`), handle: async (c, [name]) => json(200, await c.lambda.updateFunctionCode(c.workspaceId, functionName(name!), readJson(c))) },
  { method: 'PUT', pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/configuration/?$`), handle: async (c, [name]) => json(200, await c.lambda.updateFunctionConfiguration(c.workspaceId, functionName(name!), readJson(c))) },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/?$`),
    handle: async (c, [name]) => {
      await c.lambda.deleteFunction(c.workspaceId, functionName(name!));
      return new Response(null, { status: 204 });
    },
  },
  { method: 'POST', pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/invocations/?$`), handle: invoke },
  { method: 'PUT', pattern: new RegExp(`^/2017-10-31/functions/${FUNCTION}/concurrency/?$`), handle: async (c, [name]) => json(200, await c.lambda.putFunctionConcurrency(c.workspaceId, functionName(name!), readJson(c))) },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/2017-10-31/functions/${FUNCTION}/concurrency/?$`),
    handle: async (c, [name]) => {
      await c.lambda.deleteFunctionConcurrency(c.workspaceId, functionName(name!));
      return new Response(null, { status: 204 });
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/2019-09-30/functions/${FUNCTION}/provisioned-concurrency/?$`),
    handle: async (c, [name]) => json(202, await c.lambda.putProvisionedConcurrency(c.workspaceId, functionName(name!), c.url.searchParams.get('Qualifier'), readJson(c))),
  },
  { method: 'POST', pattern: /^\/2018-10-31\/layers\/([^/]+)\/versions\/?$/, handle: async (c, [layer]) => json(201, await c.lambda.publishLayerVersion(c.workspaceId, { ...(readJson(c) as object), LayerName: decodeURIComponent(layer!) })) },
  { method: 'GET', pattern: /^\/2018-10-31\/layers\/([^/]+)\/versions\/?$/, handle: async (c, [layer]) => json(200, { LayerVersions: await c.lambda.listLayerVersions(c.workspaceId, decodeURIComponent(layer!)) }) },
];

async function invoke(c: RouteContext, [name]: string[]): Promise<Response> {
  const invocationType = c.request.headers.get('x-amz-invocation-type') ?? 'RequestResponse';
  if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
    throw new LambdaError('InvalidParameterValueException', 400, `X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not ${invocationType}.`);
  }
  const logType = c.request.headers.get('x-amz-log-type') ?? 'None';
  if (logType !== 'None' && logType !== 'Tail') throw new LambdaError('InvalidParameterValueException', 400, `X-Amz-Log-Type must be None or Tail, not ${logType}.`);
  const result = await c.lambda.invoke(c.workspaceId, functionName(name!), c.body, {
    invocationType: invocationType as InvocationType,
    logType,
    qualifier: c.url.searchParams.get('Qualifier'),
  });
  const headers = new Headers({ 'content-type': 'application/json', 'x-amz-executed-version': result.executedVersion, 'x-amzn-requestid': result.record.requestId || randomUUID() });
  if (result.functionError) headers.set('x-amz-function-error', result.functionError);
  if (result.logResult) headers.set('x-amz-log-result', result.logResult);
  return new Response(result.statusCode === 200 ? result.payload : null, { status: result.statusCode, headers });
}

/**
 * Answers one request to the Lambda-compatible API. Every request must carry a
 * valid AWS Signature Version 4 from a workspace's access key; the workspace
 * is the "account" whose functions it sees.
 */
export async function handleLambdaApiRequest(request: Request, deps: LambdaApiDependencies): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.slice(LAMBDA_API_PREFIX.length) || '/';
  try {
    // GetFunction's download link: authorised by its own signature, like a presigned S3 URL.
    const download = /^\/code\/([0-9a-f]{64})$/.exec(path);
    if (download && request.method === 'GET') return await downloadCode(download[1]!, url, deps);

    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > MAX_BODY_BYTES) throw new LambdaError('RequestTooLargeException', 413, `Request must be smaller than ${MAX_BODY_BYTES} bytes.`);
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.byteLength > MAX_BODY_BYTES) throw new LambdaError('RequestTooLargeException', 413, `Request must be smaller than ${MAX_BODY_BYTES} bytes.`);

    // The key's workspace is found once, while verifying; it is the caller's account.
    let workspaceId = '';
    await verifySigV4({ method: request.method, path: url.pathname, query: url.searchParams, headers: request.headers, body }, async (accessKeyId) => {
      const account = await deps.functions.workspaceForAccessKey(accessKeyId);
      workspaceId = account?.workspaceId ?? '';
      return account?.secretAccessKey;
    });

    for (const route of ROUTES) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(path);
      if (match) return await route.handle({ workspaceId, lambda: deps.lambda, codeLinks: deps.codeLinks, request, url, body }, match.slice(1));
    }
    const known = ROUTES.some((route) => route.pattern.test(path));
    return awsError(known ? 405 : 404, known ? 'MethodNotAllowedException' : 'UnknownOperationException', known ? `${request.method} is not supported on ${path}.` : `The course's Lambda API does not support ${request.method} ${path}.`);
  } catch (error) {
    if (error instanceof SignatureError) return signatureError(error);
    if (error instanceof LambdaError) return awsError(error.status, error.type, error.message, error.reason);
    console.error(`Lambda API ${request.method} ${path} failed:`, error);
    return awsError(500, 'ServiceException', 'The service encountered an internal error; it has been logged.');
  }
}

async function downloadCode(codeId: string, url: URL, deps: LambdaApiDependencies): Promise<Response> {
  if (!deps.codeLinks.verify(codeId, url.searchParams.get('expires'), url.searchParams.get('signature'), new Date())) {
    return new Response('This download link is invalid or has expired; call GetFunction again for a new one.', { status: 403, headers: { 'content-type': 'text/plain' } });
  }
  const zip = await readZip(deps.codeStore, codeId);
  if (!zip) return new Response('No such package.', { status: 404, headers: { 'content-type': 'text/plain' } });
  return new Response(new Uint8Array(zip), { headers: { 'content-type': 'application/zip', 'content-length': String(zip.byteLength) } });
}

/** A function may be named by name, partial ARN or full ARN; the course knows only $LATEST. */
function functionName(segment: string): string {
  const decoded = decodeURIComponent(segment);
  const arn = /^(?:arn:aws:lambda:[a-z0-9-]+:)?(?:\d{12}:)?(?:function:)?([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/.exec(decoded);
  if (!arn) throw new LambdaError('InvalidParameterValueException', 400, `1 validation error detected: Value '${decoded}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern`);
  return arn[1]!;
}

function readJson(c: RouteContext): unknown {
  if (c.body.byteLength === 0) return {};
  try {
    return JSON.parse(Buffer.from(c.body).toString('utf8'));
  } catch {
    throw new LambdaError('InvalidRequestContentException', 400, 'Could not parse request body into json: the body must be JSON.');
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() } });
}

/** The shape the AWS SDKs read: the type in x-amzn-ErrorType, the message in the body. */
function awsError(status: number, type: string, message: string, reason?: string): Response {
  return new Response(JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', message, ...(reason ? { Reason: reason } : {}) }), {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() },
  });
}

function signatureError(error: SignatureError): Response {
  const types: Record<SignatureError['code'], string> = {
    MissingAuthenticationToken: 'MissingAuthenticationTokenException',
    IncompleteSignature: 'IncompleteSignatureException',
    InvalidClientTokenId: 'UnrecognizedClientException',
    SignatureDoesNotMatch: 'InvalidSignatureException',
    RequestExpired: 'InvalidSignatureException',
  };
  return awsError(403, types[error.code], error.message);
}
