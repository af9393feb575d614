import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { createCodeArchive } from '../lib/lambda/code-archive';
import { expect, test } from './fixtures';

test('the keys on the account page work with the real AWS SDK against the course', async ({
  page,
  baseURL,
}) => {
  await page.goto('/account');
  const value = (label: string) =>
    page
      .locator('dt', { hasText: new RegExp(`^${label}$`) })
      .locator('xpath=following-sibling::dd[1]')
      .locator('code')
      .textContent();
  await expect(page.getByText('Access key ID', { exact: true })).toBeVisible();
  // The secret is masked until asked for.
  const show = page.getByRole('button', { name: 'Show secret access key' });
  await show.click();
  await expect(show).toHaveAttribute('aria-pressed', 'true');
  const accessKeyId = (await value('Access key ID'))!;
  const secretAccessKey = (await value('Secret access key'))!;
  const endpoint = (await value('Lambda endpoint'))!;
  expect(accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
  expect(endpoint).toBe(`${baseURL}/aws/lambda`);

  const lambda = new LambdaClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });
  const role = `arn:aws:iam::${await value('Account ID')}:role/course-lambda-execution`;
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'from-sdk',
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Role: role,
      Code: {
        ZipFile: createCodeArchive([
          { path: 'index.mjs', content: 'export const handler = async (e) => ({ echo: e });' },
        ]),
      },
    }),
  );
  const result = await lambda.send(
    new InvokeCommand({
      FunctionName: 'from-sdk',
      Payload: Buffer.from('{"a":1}'),
      LogType: 'Tail',
    }),
  );
  expect(JSON.parse(Buffer.from(result.Payload!).toString())).toEqual({ echo: { a: 1 } });
  expect(Buffer.from(result.LogResult!, 'base64').toString()).toMatch(/Init Duration: [\d.]+ ms/);
  expect(
    (await lambda.send(new ListFunctionsCommand({}))).Functions?.map((f) => f.FunctionName),
  ).toEqual(['from-sdk']);
  // Errors from the service keep their AWS type through the production bundle.
  await expect(
    lambda.send(new InvokeCommand({ FunctionName: 'no-such-function' })),
  ).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
    $metadata: { httpStatusCode: 404 },
  });
});

test("the code lab API runs a handler cold, then warm, with Lambda's report", async ({ page }) => {
  await page.goto('/');
  const run = (event: unknown) =>
    page.request.post('/api/labs/lambda/first-handler/run', {
      data: {
        memoryMb: 256,
        timeoutS: 3,
        files: [
          {
            path: 'index.mjs',
            content: 'let n = 0; export const handler = async (e) => ({ n: ++n, e });',
          },
        ],
        event,
      },
    });
  const cold = await (await run({ first: true })).json();
  const warm = await (await run({ second: true })).json();
  expect(JSON.parse(cold.payload)).toEqual({ n: 1, e: { first: true } });
  expect(JSON.parse(warm.payload)).toEqual({ n: 2, e: { second: true } });
  expect(cold.report).toMatchObject({ coldStart: true, memorySizeMb: 256, sandbox: 'bwrap' });
  expect(warm.report).toMatchObject({ coldStart: false, environmentId: cold.report.environmentId });
  expect(warm.log).toMatch(
    /^START RequestId: \S+ Version: \$LATEST\nEND RequestId: \S+\nREPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\n$/,
  );

  const unknownLab = await page.request.post('/api/labs/lambda/no-such-lab/run', {
    data: { memoryMb: 128, timeoutS: 3, files: [{ path: 'index.mjs', content: '' }] },
  });
  expect(unknownLab.status()).toBe(404);
  expect((await unknownLab.json()).error.message).toMatch(/no lab "lambda\/no-such-lab"/);

  const bad = await page.request.post('/api/labs/lambda/first-handler/run', {
    data: { memoryMb: 64, timeoutS: 3, files: [{ path: 'index.mjs', content: '' }] },
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.message).toMatch(/memory is at least 128 MB/);
});
