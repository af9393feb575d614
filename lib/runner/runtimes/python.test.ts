import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCgroupHierarchy } from '../cgroup';
import {
  ExecutionEnvironment,
  type EnvironmentSpec,
  type FunctionErrorPayload,
} from '../execution-environment';
import { isBubblewrapUsable } from '../sandbox';
import { testEnvironmentSpec } from '../testing/environment-spec';

const cgroups = openCgroupHierarchy('runner-test-python');
const sandbox = isBubblewrapUsable() ? 'bwrap' : 'none';
const REQUEST_ID = '6bc28136-xmpl-4365-b021-0ce6b2e64ab0';
const LOG_TIME = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`;

const environments: ExecutionEnvironment[] = [];
const codeDirs: string[] = [];

afterEach(async () => {
  await Promise.all(environments.splice(0).map((environment) => environment.destroy('reclaimed')));
  for (const dir of codeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes the files into a fresh code folder; the sandbox user must be able to read it. */
function codeDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'runner-python-'));
  // mkdtemp makes it 0700: the sandbox runs as an unprivileged host user, who must be able to enter it.
  chmodSync(dir, 0o755);
  codeDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function spec(dir: string, handler = 'index.handler'): EnvironmentSpec {
  return testEnvironmentSpec(dir, {
    functionName: 'py',
    runtime: 'python3.11',
    handler,
    memoryMb: 512,
    timeoutMs: 5000,
  });
}

async function start(
  files: Record<string, string>,
  handler?: string,
): Promise<{ environment: ExecutionEnvironment; initError: FunctionErrorPayload | undefined }> {
  const started = await ExecutionEnvironment.start(spec(codeDir(files), handler), {
    sandbox,
    cgroups,
  });
  environments.push(started.environment);
  return started;
}

async function ready(source: string): Promise<ExecutionEnvironment> {
  const { environment, initError } = await start({ 'index.py': source });
  expect(initError).toBeUndefined();
  return environment;
}

describe(`python3.11 runtime (sandbox: ${sandbox})`, () => {
  it('returns the handler value as JSON, with the event parsed', async () => {
    const environment = await ready(
      'def handler(event, context):\n    return {"got": event["n"] + 1, "none": None, "text": "é"}\n',
    );
    const outcome = await environment.invoke(JSON.stringify({ n: 41 }), REQUEST_ID);
    expect(outcome.errorType).toBeUndefined();
    expect(JSON.parse(outcome.payload)).toEqual({ got: 42, none: null, text: 'é' });
  });

  it('answers "null" for a handler that returns None', async () => {
    const environment = await ready('def handler(event, context):\n    pass\n');
    const outcome = await environment.invoke('{}', REQUEST_ID);
    expect(outcome.payload).toBe('null');
  });

  it('runs module code once and keeps module state across invocations', async () => {
    const environment = await ready(
      'print("init ran")\ncount = 0\ndef handler(event, context):\n    global count\n    count += 1\n    return count\n',
    );
    expect(environment.initOutput).toContain('init ran');
    expect((await environment.invoke('{}', 'r1')).payload).toBe('1');
    const second = await environment.invoke('{}', 'r2');
    expect(second.payload).toBe('2');
    expect(second.output).not.toContain('init ran');
  });

  it('loads "dir/module.function" and dotted package handlers', async () => {
    const slash = await start(
      { 'src/app.py': 'def handler(event, context):\n    return "slash"\n' },
      'src/app.handler',
    );
    expect(slash.initError).toBeUndefined();
    expect((await slash.environment.invoke('{}', 'r1')).payload).toBe('"slash"');
    const dotted = await start(
      {
        'pkg/__init__.py': '',
        'pkg/mod.py': 'def handler(event, context):\n    return "dotted"\n',
      },
      'pkg.mod.handler',
    );
    expect(dotted.initError).toBeUndefined();
    expect((await dotted.environment.invoke('{}', 'r2')).payload).toBe('"dotted"');
  });

  it('gives the handler a context like Lambda', async () => {
    const environment = await ready(
      [
        'def handler(event, context):',
        '    return {',
        '        "function_name": context.function_name,',
        '        "function_version": context.function_version,',
        '        "invoked_function_arn": context.invoked_function_arn,',
        '        "memory_limit_in_mb": context.memory_limit_in_mb,',
        '        "aws_request_id": context.aws_request_id,',
        '        "log_group_name": context.log_group_name,',
        '        "log_stream_name": context.log_stream_name,',
        '        "remaining": context.get_remaining_time_in_millis(),',
        '        "cognito": context.identity.cognito_identity_id,',
        '        "client_context": context.client_context,',
        '        "class": type(context).__name__,',
        '    }',
        '',
      ].join('\n'),
    );
    const outcome = await environment.invoke('{}', REQUEST_ID);
    const context = JSON.parse(outcome.payload);
    expect(context).toMatchObject({
      function_name: 'py',
      function_version: '$LATEST',
      invoked_function_arn: 'arn:aws:lambda:us-east-1:123456789012:function:py',
      memory_limit_in_mb: '512',
      aws_request_id: REQUEST_ID,
      log_group_name: '/aws/lambda/py',
      cognito: null,
      client_context: null,
      class: 'LambdaContext',
    });
    expect(context.log_stream_name).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.remaining).toBeGreaterThan(0);
    expect(context.remaining).toBeLessThanOrEqual(5000);
  });

  it('passes client context and Cognito identity through', async () => {
    const environment = await ready(
      'def handler(event, context):\n    return [context.client_context.custom, context.client_context.client.app_title, context.identity.cognito_identity_id]\n',
    );
    const outcome = await environment.invoke('{}', REQUEST_ID, {
      clientContext: { custom: { k: 'v' }, client: { app_title: 'app' }, env: {} },
      identity: { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' },
    });
    expect(JSON.parse(outcome.payload)).toEqual([{ k: 'v' }, 'app', 'id-1']);
  });

  it('prints as-is and logs in Lambda format, with the request id, in order, on stdout', async () => {
    const environment = await ready(
      [
        'import logging, sys',
        'logging.warning("during init")',
        'def handler(event, context):',
        '    print("plain print")',
        '    logging.getLogger().info("hidden at the default level")',
        '    logging.warning("a warning")',
        '    logging.getLogger().setLevel(logging.INFO)',
        '    logging.getLogger().info("an info")',
        '    print("to stderr", file=sys.stderr)',
        '    return 1',
        '',
      ].join('\n'),
    );
    expect(environment.initOutput).toMatch(
      new RegExp(`^\\[WARNING\\]\\t${LOG_TIME}\\t\\tduring init$`, 'm'),
    );
    const outcome = await environment.invoke('{}', REQUEST_ID);
    const lines = outcome.output.split('\n').filter(Boolean);
    expect(lines[0]).toBe('plain print');
    expect(lines[1]).toMatch(
      new RegExp(`^\\[WARNING\\]\\t${LOG_TIME}\\t${REQUEST_ID}\\ta warning$`),
    );
    expect(lines[2]).toMatch(new RegExp(`^\\[INFO\\]\\t${LOG_TIME}\\t${REQUEST_ID}\\tan info$`));
    expect(outcome.output).toContain('to stderr');
    expect(outcome.output).not.toContain('hidden at the default level');
    expect(outcome.output).not.toContain('END-OF-OUTPUT');
  });

  it('reports a raised exception as Lambda does and stays usable', async () => {
    const environment = await ready(
      'def handler(event, context):\n    if event.get("fail"):\n        raise ValueError("boom")\n    return "fine"\n',
    );
    const outcome = await environment.invoke(JSON.stringify({ fail: true }), REQUEST_ID);
    expect(outcome.errorType).toBe('ValueError');
    expect(outcome.environmentEnded).toBe(false);
    const payload = JSON.parse(outcome.payload);
    expect(payload).toMatchObject({
      errorType: 'ValueError',
      errorMessage: 'boom',
      requestId: REQUEST_ID,
    });
    expect(payload.stackTrace).toEqual([
      expect.stringMatching(
        /^ {2}File ".*index\.py", line 3, in handler\n {4}raise ValueError\("boom"\)\n$/,
      ),
    ]);
    expect(outcome.output).toMatch(
      /^\[ERROR\] ValueError: boom\nTraceback \(most recent call last\):\n {2}File ".*index\.py", line 3, in handler\n/m,
    );

    const next = await environment.invoke('{}', 'r2');
    expect(next.errorType).toBeUndefined();
    expect(next.payload).toBe('"fine"');
  });

  it.each([
    [
      'a missing module',
      { 'other.py': '' },
      'index.handler',
      'Runtime.ImportModuleError',
      "Unable to import module 'index': No module named 'index'",
    ],
    [
      'a missing import inside the module',
      { 'index.py': 'import not_installed\n' },
      'index.handler',
      'Runtime.ImportModuleError',
      "Unable to import module 'index': No module named 'not_installed'",
    ],
    [
      'a missing handler',
      { 'index.py': 'def other(event, context):\n    pass\n' },
      'index.handler',
      'Runtime.HandlerNotFound',
      "Handler 'handler' missing on module 'index'",
    ],
    [
      'a syntax error',
      { 'index.py': 'x = 1\n\ndef handler(event, context)\n    pass\n' },
      'index.handler',
      'Runtime.UserCodeSyntaxError',
      "Syntax error in module 'index': expected ':' (index.py, line 3)",
    ],
    [
      'a malformed handler',
      { 'index.py': '' },
      'x',
      'Runtime.MalformedHandlerName',
      "Bad handler 'x': not enough values to unpack (expected 2, got 1)",
    ],
  ])('fails INIT on %s', async (_name, files, handler, errorType, errorMessage) => {
    const { environment, initError } = await start(files, handler);
    expect(initError).toMatchObject({ errorType, errorMessage });
    expect(environment.state).toBe('dead');
    expect(environment.initOutput).toContain(`[ERROR] ${errorType}: ${errorMessage}`);
  });

  it('reports an exception raised at module level during INIT under its own type', async () => {
    const { initError } = await start({ 'index.py': 'raise RuntimeError("bad config")\n' });
    expect(initError).toMatchObject({ errorType: 'RuntimeError', errorMessage: 'bad config' });
    expect(initError?.stackTrace?.at(-1)).toMatch(/index\.py", line 1, in <module>/);
  });

  it('ends the environment on sys.exit() with Runtime.ExitError', async () => {
    const environment = await ready(
      'import sys\ndef handler(event, context):\n    print("leaving")\n    sys.exit(2)\n',
    );
    const outcome = await environment.invoke('{}', REQUEST_ID);
    expect(outcome.errorType).toBe('Runtime.ExitError');
    expect(JSON.parse(outcome.payload).errorMessage).toBe(
      `RequestId: ${REQUEST_ID} Error: Runtime exited with error: exit status 2`,
    );
    expect(outcome.environmentEnded).toBe(true);
    expect(outcome.output).toContain('leaving');
  });

  it('ends the environment on os._exit()', async () => {
    const environment = await ready('import os\ndef handler(event, context):\n    os._exit(3)\n');
    const outcome = await environment.invoke('{}', REQUEST_ID);
    expect(outcome.errorType).toBe('Runtime.ExitError');
    expect(JSON.parse(outcome.payload).errorMessage).toContain('exit status 3');
  });

  it('reports a value JSON cannot hold as Runtime.MarshalError', async () => {
    const environment = await ready('def handler(event, context):\n    return {1, 2}\n');
    const outcome = await environment.invoke('{}', REQUEST_ID);
    expect(outcome.errorType).toBe('Runtime.MarshalError');
    expect(JSON.parse(outcome.payload)).toMatchObject({
      errorType: 'Runtime.MarshalError',
      errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable',
      requestId: REQUEST_ID,
    });
    expect(outcome.environmentEnded).toBe(false);
  });

  it('carries a large result and a large output whole', async () => {
    const environment = await ready(
      'def handler(event, context):\n    print("y" * 100000)\n    return "x" * 3000000\n',
    );
    const outcome = await environment.invoke('{}', REQUEST_ID);
    expect(outcome.errorType).toBeUndefined();
    expect(JSON.parse(outcome.payload)).toHaveLength(3_000_000);
    expect(outcome.output).toContain('y'.repeat(100_000));
  });
});
