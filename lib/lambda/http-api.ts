import { randomUUID } from 'node:crypto';
import { awsErrorResponse, callerThrottledReply } from '../aws/errors';
import { SignatureError, verifySigV4Head } from '../aws/sigv4';
import { BodyTooLargeError, readBodyWithLimit } from '../http/body';
import { requestOrigin } from '../http/json';
import type { RateLimiter } from '../http/rate-limit';
import { readZip, type CodeLinkSigner, type CodeStore } from './code-store';
import { MAX_SYNC_PAYLOAD_BYTES } from './definitions';
import { LambdaError } from './errors';
import type { FunctionRepository } from './function-repository';
import type { InvocationType, LambdaService } from './lambda-service';

/** The prefix the API is mounted under on the app's origin. */
export const LAMBDA_API_PREFIX = '/aws/lambda';
/** The body limit of the operations that carry code: a 50 MB zip, base64-encoded in JSON, fits. */
export const MAX_CODE_BODY_BYTES = 70 * 1024 * 1024;
/** The body limit of Invoke, whose body is the payload: Lambda's synchronous limit. */
export const MAX_INVOKE_BODY_BYTES = MAX_SYNC_PAYLOAD_BYTES;
/** The body limit of every other operation: settings and empty bodies, far below it. */
export const MAX_CONTROL_BODY_BYTES = 256 * 1024;

interface Route {
  method: string;
  pattern: RegExp;
  /** The operation's name, as the Lambda API calls it in its errors. */
  operation: string;
  /** Bytes of body this operation may carry; reading stops past it. @default MAX_CONTROL_BODY_BYTES */
  maxBodyBytes?: number;
  handle(context: RouteContext, match: string[]): Promise<Response>;
}

export interface LambdaApiDependencies {
  lambda: LambdaService;
  functions: Pick<FunctionRepository, 'workspaceForAccessKey'>;
  codeStore: CodeStore;
  codeLinks: CodeLinkSigner;
  /** Requests per workspace; without it nothing is throttled. */
  workspaceRate?: RateLimiter;
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
  {
    method: 'POST',
    pattern: /^\/2015-03-31\/functions\/?$/,
    operation: 'CreateFunction',
    maxBodyBytes: MAX_CODE_BODY_BYTES,
    handle: async (c) => json(201, await c.lambda.createFunction(c.workspaceId, readJson(c))),
  },
  {
    method: 'GET',
    pattern: /^\/2015-03-31\/functions\/?$/,
    operation: 'ListFunctions',
    handle: async (c) => json(200, { Functions: await c.lambda.listFunctions(c.workspaceId) }),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/?$`),
    operation: 'GetFunction',
    handle: async (c, [name]) => {
      const { configuration, definition } = await c.lambda.getFunction(
        c.workspaceId,
        functionName(name!),
      );
      return json(200, {
        Configuration: configuration,
        Code: {
          RepositoryType: 'S3',
          Location: `${requestOrigin(c.request)}${LAMBDA_API_PREFIX}/${c.codeLinks.sign(definition.codeId, new Date())}`,
        },
        ...(definition.ReservedConcurrentExecutions !== undefined
          ? {
              Concurrency: {
                ReservedConcurrentExecutions: definition.ReservedConcurrentExecutions,
              },
            }
          : {}),
      });
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/configuration/?$`),
    operation: 'GetFunctionConfiguration',
    handle: async (c, [name]) =>
      json(200, (await c.lambda.getFunction(c.workspaceId, functionName(name!))).configuration),
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/code/?$`),
    operation: 'UpdateFunctionCode',
    maxBodyBytes: MAX_CODE_BODY_BYTES,
    handle: async (c, [name]) =>
      json(200, await c.lambda.updateFunctionCode(c.workspaceId, functionName(name!), readJson(c))),
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/configuration/?$`),
    operation: 'UpdateFunctionConfiguration',
    handle: async (c, [name]) =>
      json(
        200,
        await c.lambda.updateFunctionConfiguration(c.workspaceId, functionName(name!), readJson(c)),
      ),
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/?$`),
    operation: 'DeleteFunction',
    handle: async (c, [name]) => {
      await c.lambda.deleteFunction(c.workspaceId, functionName(name!));
      return new Response(null, { status: 204 });
    },
  },
  // Lambda names this operation InvokeFunction in its size errors.
  {
    method: 'POST',
    pattern: new RegExp(`^/2015-03-31/functions/${FUNCTION}/invocations/?$`),
    operation: 'InvokeFunction',
    maxBodyBytes: MAX_INVOKE_BODY_BYTES,
    handle: invoke,
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/2017-10-31/functions/${FUNCTION}/concurrency/?$`),
    operation: 'PutFunctionConcurrency',
    handle: async (c, [name]) =>
      json(
        200,
        await c.lambda.putFunctionConcurrency(c.workspaceId, functionName(name!), readJson(c)),
      ),
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/2017-10-31/functions/${FUNCTION}/concurrency/?$`),
    operation: 'DeleteFunctionConcurrency',
    handle: async (c, [name]) => {
      await c.lambda.deleteFunctionConcurrency(c.workspaceId, functionName(name!));
      return new Response(null, { status: 204 });
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/2019-09-30/functions/${FUNCTION}/provisioned-concurrency/?$`),
    operation: 'PutProvisionedConcurrencyConfig',
    handle: async (c, [name]) =>
      json(
        202,
        await c.lambda.putProvisionedConcurrency(
          c.workspaceId,
          functionName(name!),
          c.url.searchParams.get('Qualifier'),
          readJson(c),
        ),
      ),
  },
  {
    method: 'POST',
    pattern: /^\/2018-10-31\/layers\/([^/]+)\/versions\/?$/,
    operation: 'PublishLayerVersion',
    maxBodyBytes: MAX_CODE_BODY_BYTES,
    handle: async (c, [layer]) =>
      json(
        201,
        await c.lambda.publishLayerVersion(c.workspaceId, {
          ...(readJson(c) as object),
          LayerName: decodeURIComponent(layer!),
        }),
      ),
  },
  {
    method: 'GET',
    pattern: /^\/2018-10-31\/layers\/([^/]+)\/versions\/?$/,
    operation: 'ListLayerVersions',
    handle: async (c, [layer]) =>
      json(200, {
        LayerVersions: await c.lambda.listLayerVersions(c.workspaceId, decodeURIComponent(layer!)),
      }),
  },
];

async function invoke(c: RouteContext, [name]: string[]): Promise<Response> {
  const invocationType = c.request.headers.get('x-amz-invocation-type') ?? 'RequestResponse';
  if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
    throw new LambdaError(
      'InvalidParameterValueException',
      400,
      `X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not ${invocationType}.`,
    );
  }
  const logType = c.request.headers.get('x-amz-log-type') ?? 'None';
  if (logType !== 'None' && logType !== 'Tail')
    throw new LambdaError(
      'InvalidParameterValueException',
      400,
      `X-Amz-Log-Type must be None or Tail, not ${logType}.`,
    );
  const result = await c.lambda.invoke(c.workspaceId, functionName(name!), c.body, {
    invocationType: invocationType as InvocationType,
    logType,
    qualifier: c.url.searchParams.get('Qualifier'),
  });
  const headers = new Headers({
    'content-type': 'application/json',
    'x-amz-executed-version': result.executedVersion,
    'x-amzn-requestid': result.record.requestId || randomUUID(),
  });
  if (result.functionError) headers.set('x-amz-function-error', result.functionError);
  if (result.logResult) headers.set('x-amz-log-result', result.logResult);
  return new Response(result.statusCode === 200 ? result.payload : null, {
    status: result.statusCode,
    headers,
  });
}

/**
 * Answers one request to the Lambda-compatible API. Every request must carry a
 * valid AWS Signature Version 4 from a workspace's access key; the workspace
 * is the "account" whose functions it sees.
 *
 * Nothing of the body is read until the request is known to be signed by a
 * workspace's key, within its workspace's request rate, and for an operation
 * that takes a body that large: an anonymous upload costs the server no memory,
 * and an authenticated one at most its operation's limit.
 */
export async function handleLambdaApiRequest(
  request: Request,
  deps: LambdaApiDependencies,
): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.slice(LAMBDA_API_PREFIX.length) || '/';
  try {
    // GetFunction's download link: authorised by its own signature, like a presigned S3 URL.
    const download = /^\/code\/([0-9a-f]{64})$/.exec(path);
    if (download && request.method === 'GET') return await downloadCode(download[1]!, url, deps);

    // The key's workspace is found once, while verifying; it is the caller's account.
    let workspaceId = '';
    const signature = await verifySigV4Head(
      {
        method: request.method,
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
      },
      async (accessKeyId) => {
        const account = await deps.functions.workspaceForAccessKey(accessKeyId);
        workspaceId = account?.workspaceId ?? '';
        return account?.secretAccessKey;
      },
    );

    const rate = deps.workspaceRate?.take(`workspace:${workspaceId}`);
    if (rate && !rate.allowed) {
      const reply = callerThrottledReply(
        `Rate exceeded: this workspace sent more than ${deps.workspaceRate!.ratePerSecond} requests per second; retry after ${rate.retryAfterSeconds} s.`,
        rate.retryAfterSeconds,
      );
      return new Response(reply.body, { status: reply.status, headers: reply.headers });
    }

    const found = findRoute(request.method, path);
    if (!found) {
      const known = ROUTES.some((route) => route.pattern.test(path));
      return awsErrorResponse(
        known ? 405 : 404,
        known ? 'MethodNotAllowedException' : 'UnknownOperationException',
        known
          ? `${request.method} is not supported on ${path}.`
          : `The course's Lambda API does not support ${request.method} ${path}.`,
      );
    }
    const body = await readBodyWithLimit(
      request.body,
      found.route.maxBodyBytes ?? MAX_CONTROL_BODY_BYTES,
      request.headers.get('content-length'),
    );
    signature.verifyBody(body);
    return await found.route.handle(
      { workspaceId, lambda: deps.lambda, codeLinks: deps.codeLinks, request, url, body },
      found.match,
    );
  } catch (error) {
    if (error instanceof SignatureError) return signatureError(error);
    if (error instanceof BodyTooLargeError) {
      const operation = findRoute(request.method, path)?.route.operation ?? 'this';
      return awsErrorResponse(
        413,
        'RequestTooLargeException',
        `Request must be smaller than ${error.maxBytes} bytes for the ${operation} operation.`,
      );
    }
    if (error instanceof LambdaError)
      return awsErrorResponse(error.status, error.type, error.message, { reason: error.reason });
    console.error(`Lambda API ${request.method} ${path} failed:`, error);
    return awsErrorResponse(
      500,
      'ServiceException',
      'The service encountered an internal error; it has been logged.',
    );
  }
}

function findRoute(method: string, path: string): { route: Route; match: string[] } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, match: match.slice(1) };
  }
  return undefined;
}

async function downloadCode(
  codeId: string,
  url: URL,
  deps: LambdaApiDependencies,
): Promise<Response> {
  if (
    !deps.codeLinks.verify(
      codeId,
      url.searchParams.get('expires'),
      url.searchParams.get('signature'),
      new Date(),
    )
  ) {
    return new Response(
      'This download link is invalid or has expired; call GetFunction again for a new one.',
      { status: 403, headers: { 'content-type': 'text/plain' } },
    );
  }
  const zip = await readZip(deps.codeStore, codeId);
  if (!zip)
    return new Response('No such package.', {
      status: 404,
      headers: { 'content-type': 'text/plain' },
    });
  return new Response(new Uint8Array(zip), {
    headers: { 'content-type': 'application/zip', 'content-length': String(zip.byteLength) },
  });
}

/** A function may be named by name, partial ARN or full ARN; the course knows only $LATEST. */
function functionName(segment: string): string {
  const decoded = decodeURIComponent(segment);
  const arn =
    /^(?:arn:aws:lambda:[a-z0-9-]+:)?(?:\d{12}:)?(?:function:)?([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/.exec(
      decoded,
    );
  if (!arn)
    throw new LambdaError(
      'InvalidParameterValueException',
      400,
      `1 validation error detected: Value '${decoded}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern`,
    );
  return arn[1]!;
}

function readJson(c: RouteContext): unknown {
  if (c.body.byteLength === 0) return {};
  try {
    return JSON.parse(Buffer.from(c.body).toString('utf8'));
  } catch {
    throw new LambdaError(
      'InvalidRequestContentException',
      400,
      'Could not parse request body into json: the body must be JSON.',
    );
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() },
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
  return awsErrorResponse(403, types[error.code], error.message);
}
