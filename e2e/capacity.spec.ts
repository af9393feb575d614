import { InvokeCommand, LambdaClient, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { createCodeArchive } from '../lib/lambda/code-archive';
import type { LabBurstResult } from '../lib/labs/contract';
import { expect, startServer, temporaryDataDir, test } from './fixtures';

/*
 * "Course busy" is not a Lambda throttle (docs/decisions/009). A course server
 * of its own (the shared e2e server must keep its room for the other tests),
 * with room for two execution environments and a three-second wait for room:
 * another learner, with a cookie jar of their own, fills it with two
 * invocations that run for 50 s. Then the learner's Burst counts its calls as
 * course busy and none as throttled (429), Run answers 503 saying so, and the
 * Lambda API answers the SDK with 503 ServiceException, not 429
 * TooManyRequestsException.
 */

const LAB = '/api/labs/lambda/burst';
const SLEEPER = {
  path: 'index.mjs',
  content:
    'export const handler = async () => { await new Promise((r) => setTimeout(r, 50_000)); return "held"; };',
};
const QUICK = { path: 'index.mjs', content: 'export const handler = async () => "quick";' };
const settings = { memoryMb: 128, timeoutS: 60, event: {} };

test('a full course server is "course busy", never a Lambda throttle', async ({}, testInfo) => {
  test.setTimeout(120_000);
  const data = temporaryDataDir();
  const server = await startServer(3220 + testInfo.parallelIndex, data.dir, {
    RUNNER_MAX_ENVIRONMENTS: '2',
    RUNNER_MAX_ENVIRONMENTS_PER_WORKSPACE: '2',
    // Long enough for the other learner's second call to wait out the learner's own quick Run, should they meet.
    RUNNER_CAPACITY_WAIT_S: '3',
  });
  const contexts: APIRequestContext[] = [];
  const learnerContext = async () => {
    const context = await playwrightRequest.newContext({ baseURL: server.url });
    contexts.push(context);
    return context;
  };
  try {
    const other = await learnerContext();
    const learner = await learnerContext();

    // The other learner's burst holds both environments for 50 s; its reply would come then, and is not awaited.
    void other
      .post(`${LAB}/burst`, { data: { ...settings, files: [SLEEPER], count: 2 }, timeout: 90_000 })
      .catch(() => undefined);

    // Once both are taken, the learner's Run finds no room: 503 after its short wait, saying why.
    // (A Run before then succeeds, and the other learner's burst takes its idle environment.)
    const runLab = () => learner.post(`${LAB}/run`, { data: { ...settings, files: [QUICK] } });
    let run = await runLab();
    for (let attempt = 0; run.status() === 200 && attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      run = await runLab();
    }
    expect(run.status()).toBe(503);
    expect(run.headers()['x-error-type']).toBe('ServiceException');
    expect((await run.json()).error.message).toMatch(
      /course server is busy.*not a Lambda throttle/,
    );

    // The learner's Burst: every call course busy, none throttled. (Two calls: a third would pass the
    // workspace's own concurrency limit of two, which is a genuine 429.)
    const burst = await learner.post(`${LAB}/burst`, {
      data: { ...settings, files: [QUICK], count: 2 },
    });
    expect(burst.status()).toBe(200);
    const result = (await burst.json()) as LabBurstResult;
    expect(result).toMatchObject({
      invocations: [],
      throttled: 0,
      throttleMessages: [],
      serverBusy: 2,
      environments: 0,
    });
    expect(result.serverBusyMessages).toEqual([
      expect.stringMatching(/course server is busy.*not a Lambda throttle/),
    ]);

    // An AWS SDK caller sees AWS's service error, which SDKs retry, not a throttle.
    const keys = await (await learner.get('/api/workspace/credentials')).json();
    const lambda = new LambdaClient({
      region: keys.region,
      endpoint: keys.lambdaEndpoint,
      credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
      maxAttempts: 1,
    });
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'from-sdk',
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Role: `arn:aws:iam::${keys.accountId}:role/course-lambda-execution`,
        Code: { ZipFile: createCodeArchive([QUICK]) },
      }),
    );
    await expect(
      lambda.send(new InvokeCommand({ FunctionName: 'from-sdk' })),
    ).rejects.toMatchObject({
      name: 'ServiceException',
      message: expect.stringMatching(/course server is busy/),
      $metadata: { httpStatusCode: 503 },
    });
  } finally {
    await Promise.all(contexts.map((context) => context.dispose()));
    await server.stop();
    data.remove();
  }
});
