// The runtime client for nodejs20.x, nodejs22.x and nodejs24.x, run inside the
// sandbox as `/var/lang/bin/node /var/runtime/bootstrap.mjs` on that runtime's
// Node.js. It plays the part of Lambda's Node.js runtime interface client
// (github.com/aws/aws-lambda-nodejs-runtime-interface-client, "the RIC"): it
// loads the function (INIT), then serves one invocation at a time. It talks to
// the runner over file descriptor 3 in newline-delimited JSON, never over
// stdout, which belongs to the learner.
//
// Where the runtimes differ, it follows the Node.js version it runs on:
// callback handlers `(event, context, callback)` fail INIT from Node.js 24 on
// (Lambda removed them there) and draw a warning before.
//
// Runner -> runtime: {"type":"invoke","requestId","event","deadline","nonce","clientContext","identity"}
// Runtime -> runner: {"type":"ready"} | {"type":"init-error","error"} |
//                    {"type":"result","requestId","payload"} | {"type":"error","requestId","error","fatal"}
// After each result the runtime writes `nonce` on its own line to stdout and to
// stderr, so the runner knows it has read all of the invocation's output.

import { existsSync, statSync, writeSync } from 'node:fs';
// The default export, not named ones: registerHooks (Node.js 22 and later) is no export of Node.js 20's node:module.
import nodeModule from 'node:module';
import { Socket } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { nodePathFolders, resolveSync } from './node-path-hooks.mjs';
import { installUnsandboxedPaths } from './unsandboxed-paths.mjs';

const CONTROL_FD = 3;
/** Lambda's limit on a synchronous response; the runner refuses control messages much larger than this. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT ?? '/var/task';
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** The RIC's words when a Node.js 24 (or later) function's handler takes a callback. */
const CALLBACK_REMOVED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';
/** The RIC's warning, up to Node.js 22, for a handler that is not async and takes a callback. */
const CALLBACK_WARNING =
  'AWS Lambda plans to remove support for callback-based function handlers starting with Node.js 24. You will need to update this function to use an async handler to use Node.js 24 or later. For more information and to provide feedback on this change, see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client/issues/137. To disable this warning, set the AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING environment variable.';

let currentRequestId = 'undefined';

// A socket, not a file stream: a blocking read() in libuv's thread pool would
// keep process.exit() from returning.
const control = new Socket({ fd: CONTROL_FD, readable: true, writable: true });

function send(message) {
  return new Promise((resolve) => control.write(`${JSON.stringify(message)}\n`, resolve));
}

/** For the last words of a dying process, which cannot wait for a callback. */
function sendSync(message) {
  const bytes = Buffer.from(`${JSON.stringify(message)}\n`);
  for (let offset = 0; offset < bytes.length;) {
    try {
      offset += writeSync(CONTROL_FD, bytes, offset);
    } catch (error) {
      if (error.code !== 'EAGAIN') return;
    }
  }
}

// Lambda's Node runtime prefixes console output with time, request id and level.
function patchConsole() {
  const levels = {
    log: 'INFO',
    info: 'INFO',
    warn: 'WARN',
    error: 'ERROR',
    debug: 'DEBUG',
    trace: 'TRACE',
  };
  for (const [method, level] of Object.entries(levels)) {
    // Every level goes to stdout so the log keeps the order the lines were written in.
    const stream = process.stdout;
    console[method] = (...args) => {
      const message =
        method === 'trace'
          ? `Trace: ${format(...args)}\n${new Error().stack.split('\n').slice(2).join('\n')}`
          : format(...args);
      stream.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
    };
  }
}

function errorShape(error) {
  if (error instanceof Error) {
    return {
      errorType:
        error.name === 'Error' && error.constructor?.name ? error.constructor.name : error.name,
      errorMessage: error.message,
      trace: String(error.stack ?? '').split('\n'),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

class RuntimeError extends Error {
  constructor(type, message, cause) {
    super(message, { cause });
    this.name = type;
  }
}

/** "dir/file.fn.inner" -> module "dir/file", property path ["fn", "inner"], as Lambda splits it. */
function parseHandler(handler) {
  const match = /^([^.]*\/)?([^./]+)\.(.+)$/.exec(handler ?? '');
  if (!match) throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${handler}`);
  return { modulePath: `${match[1] ?? ''}${match[2]}`, propertyPath: match[3].split('.') };
}

/** The RIC's order: the exact file, then .js, .mjs and .cjs (src/function/module-loader.ts). */
function resolveModuleFile(modulePath) {
  const base = path.resolve(TASK_ROOT, modulePath);
  for (const candidate of [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

async function loadHandler(handlerSetting) {
  const { modulePath, propertyPath } = parseHandler(handlerSetting);
  const file = resolveModuleFile(modulePath);
  if (!file) {
    throw new RuntimeError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${modulePath}'\nRequire stack:\n- /var/runtime/bootstrap.mjs`,
    );
  }
  let moduleExports;
  try {
    moduleExports = await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new RuntimeError(
        'Runtime.UserCodeSyntaxError',
        `${error.name}: ${error.message}`,
        error,
      );
    if (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'MODULE_NOT_FOUND') {
      throw new RuntimeError('Runtime.ImportModuleError', `Error: ${error.message}`, error);
    }
    throw error;
  }
  // A CommonJS module's exports arrive as the default export.
  let target = moduleExports;
  for (const [index, key] of propertyPath.entries()) {
    const next = target?.[key] ?? (index === 0 ? moduleExports.default?.[key] : undefined);
    target = next;
  }
  if (typeof target !== 'function') {
    throw new RuntimeError(
      'Runtime.HandlerNotFound',
      `${path.basename(modulePath)}.${propertyPath.join('.')} is undefined or not exported`,
    );
  }
  checkHandlerSignature(target);
  return target;
}

/**
 * Callback handlers by Node.js version, as the RIC judges them: by the number
 * of parameters the function declares. From Node.js 24, three or more fail
 * INIT with Runtime.CallbackHandlerDeprecated, even on an async function
 * (src/function/callback-deprecation.ts). Before, a function that is not async
 * and declares exactly three draws a warning in the log, unless
 * AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING is set (src/WarningForCallbackHandlers.js).
 */
function checkHandlerSignature(handler) {
  if (NODE_MAJOR >= 24) {
    if (handler.length >= 3)
      throw new RuntimeError('Runtime.CallbackHandlerDeprecated', CALLBACK_REMOVED);
  } else if (
    handler.length === 3 &&
    handler.constructor?.name !== 'AsyncFunction' &&
    process.env.AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING === undefined
  ) {
    console.warn(CALLBACK_WARNING);
  }
}

/**
 * Lets the function's ES modules import packages from NODE_PATH (layers), as
 * Lambda's runtime does (node-path-hooks.mjs says how). Installed only when a
 * NODE_PATH folder exists, so a function without layers starts as before.
 */
function resolveEsModulesThroughNodePath() {
  if (nodePathFolders().length === 0) return;
  if (typeof nodeModule.registerHooks === 'function')
    nodeModule.registerHooks({ resolve: resolveSync });
  else nodeModule.register('./node-path-hooks.mjs', import.meta.url);
}

function createContext(invoke) {
  const env = process.env;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: invoke.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: invoke.requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: invoke.identity,
    clientContext: invoke.clientContext,
    getRemainingTimeInMillis: () => Math.max(0, invoke.deadline - Date.now()),
  };
  return context;
}

/** Handles the runtime itself keeps open: stdio and the control channel. */
const RUNTIME_RESOURCES = new Set(['TTYWrap', 'PipeWrap', 'FSReqCallback']);

/**
 * With callbackWaitsForEmptyEventLoop (the default), Lambda answers a
 * callback-style handler only once its timers and sockets are done.
 */
async function waitForEmptyEventLoop(deadline) {
  while (Date.now() < deadline) {
    if (process.getActiveResourcesInfo().every((kind) => RUNTIME_RESOURCES.has(kind))) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function runHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      const finish = () =>
        error !== undefined && error !== null ? reject(error) : resolve(result);
      if (context.callbackWaitsForEmptyEventLoop)
        waitForEmptyEventLoop(invokeDeadline).then(finish);
      else finish();
    };
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') {
        returned.then(
          (value) => {
            if (!settled) {
              settled = true;
              resolve(value);
            }
          },
          (error) => {
            if (!settled) {
              settled = true;
              reject(error);
            }
          },
        );
      } else if (handler.length < 3 && !settled) {
        // A synchronous handler that takes no callback answers with its return value.
        settled = true;
        resolve(returned);
      }
    } catch (error) {
      settled = true;
      reject(error);
    }
  });
}

let invokeDeadline = 0;

function endOfOutput(nonce) {
  process.stdout.write(`\n${nonce}\n`);
  process.stderr.write(`\n${nonce}\n`);
}

async function main() {
  patchConsole();
  resolveEsModulesThroughNodePath();
  // Without a sandbox only: Lambda's /tmp, /opt and /var/task, mapped to this environment's folders.
  installUnsandboxedPaths();
  let handler;
  try {
    handler = await loadHandler(process.env._HANDLER);
  } catch (error) {
    console.error(
      `${error.name === 'Error' ? 'Uncaught Exception' : error.name}\t${JSON.stringify(errorShape(error))}`,
    );
    // Stay alive: the runner ends the environment once it has the error, so the
    // error cannot lose a race with this process's exit.
    await send({ type: 'init-error', error: errorShape(error) });
    return;
  }

  let currentInvoke;
  process.on('unhandledRejection', (reason) => {
    const error = new RuntimeError(
      'Runtime.UnhandledPromiseRejection',
      `${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`,
    );
    console.error(`Unhandled Promise Rejection\t${JSON.stringify(errorShape(error))}`);
    if (currentInvoke) {
      endOfOutput(currentInvoke.nonce);
      sendSync({
        type: 'error',
        requestId: currentInvoke.requestId,
        error: errorShape(error),
        fatal: true,
      });
    }
    process.exit(128);
  });
  process.on('uncaughtException', (error) => {
    console.error(`Uncaught Exception\t${JSON.stringify(errorShape(error))}`);
    if (currentInvoke) {
      endOfOutput(currentInvoke.nonce);
      sendSync({
        type: 'error',
        requestId: currentInvoke.requestId,
        error: errorShape(error),
        fatal: true,
      });
    }
    process.exit(129);
  });

  await send({ type: 'ready' });
  for await (const line of createInterface({ input: control })) {
    const invoke = JSON.parse(line);
    currentInvoke = invoke;
    currentRequestId = invoke.requestId;
    invokeDeadline = invoke.deadline;
    const context = createContext(invoke);
    let event;
    try {
      event = JSON.parse(invoke.event);
    } catch {
      event = invoke.event;
    }
    try {
      const result = await runHandler(handler, event, context);
      const payload = (result === undefined ? 'null' : JSON.stringify(result)) ?? 'null';
      endOfOutput(invoke.nonce);
      if (Buffer.byteLength(payload) > MAX_RESPONSE_BYTES) {
        const error = {
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        };
        await send({ type: 'error', requestId: invoke.requestId, error, fatal: false });
      } else {
        await send({ type: 'result', requestId: invoke.requestId, payload });
      }
    } catch (error) {
      const shape = errorShape(error);
      console.error(`Invoke Error \t${JSON.stringify(shape)}`);
      endOfOutput(invoke.nonce);
      await send({ type: 'error', requestId: invoke.requestId, error: shape, fatal: false });
    }
    currentInvoke = undefined;
  }
}

await main();
