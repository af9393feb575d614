import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  PutFunctionConcurrencyCommand,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodeArchive } from './code-archive';
import { createTestService, ROLE } from './testing/service-harness';

let harness: Awaited<ReturnType<typeof createTestService>>;
let endpoint: string;

beforeAll(async () => {
  harness = await createTestService();
  endpoint = await harness.serveLambdaApi();
});
afterAll(() => harness.dispose());

async function clientFor(workspaceId: string, secretOverride?: string) {
  const keys = await harness.repository.credentialsFor(workspaceId, new Date());
  return new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: {
      accessKeyId: keys.accessKeyId,
      secretAccessKey: secretOverride ?? keys.secretAccessKey,
    },
    maxAttempts: 1,
  });
}

const zip = (source: string) => createCodeArchive([{ path: 'index.mjs', content: source }]);

describe('the Lambda API through @aws-sdk/client-lambda', () => {
  it('creates, invokes, updates and deletes a function', async () => {
    const lambda = await clientFor('sdk-workspace');
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'hello',
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: zip('export const handler = async (e) => ({ hello: e.name });') },
      }),
    );
    expect(created).toMatchObject({
      FunctionName: 'hello',
      Runtime: 'nodejs24.x',
      MemorySize: 128,
      Timeout: 3,
      Version: '$LATEST',
      State: 'Active',
    });
    expect(created.FunctionArn).toMatch(/^arn:aws:lambda:us-east-1:\d{12}:function:hello$/);

    const invoked = await lambda.send(
      new InvokeCommand({
        FunctionName: 'hello',
        Payload: Buffer.from(JSON.stringify({ name: 'sdk' })),
        LogType: 'Tail',
      }),
    );
    expect(invoked.StatusCode).toBe(200);
    expect(JSON.parse(Buffer.from(invoked.Payload!).toString())).toEqual({ hello: 'sdk' });
    expect(invoked.ExecutedVersion).toBe('$LATEST');
    expect(Buffer.from(invoked.LogResult!, 'base64').toString()).toMatch(
      /REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration/,
    );

    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'hello',
        ZipFile: zip('export const handler = async () => "v2";'),
      }),
    );
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'hello',
        MemorySize: 512,
        Environment: { Variables: { STAGE: 'test' } },
      }),
    );
    expect(updated).toMatchObject({
      MemorySize: 512,
      Environment: { Variables: { STAGE: 'test' } },
    });
    const v2 = await lambda.send(new InvokeCommand({ FunctionName: 'hello' }));
    expect(Buffer.from(v2.Payload!).toString()).toBe('"v2"');

    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'hello' }));
    expect(got.Configuration?.MemorySize).toBe(512);
    // The download link returns the package as uploaded, and only with its signature.
    const download = await fetch(got.Code!.Location!);
    expect(download.headers.get('content-type')).toBe('application/zip');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(
      Buffer.from(zip('export const handler = async () => "v2";')),
    );
    expect(
      (
        await fetch(
          got.Code!.Location!.replace(/signature=[0-9a-f]+/, `signature=${'0'.repeat(64)}`),
        )
      ).status,
    ).toBe(403);
    expect(
      (await lambda.send(new ListFunctionsCommand({}))).Functions?.map((f) => f.FunctionName),
    ).toEqual(['hello']);

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'hello' }));
    await expect(
      lambda.send(new GetFunctionCommand({ FunctionName: 'hello' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('reports function errors with X-Amz-Function-Error and the error as payload', async () => {
    const lambda = await clientFor('sdk-workspace');
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'fails',
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: zip('export const handler = async () => { throw new Error("nope"); };') },
      }),
    );
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'fails' }));
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(result.Payload!).toString())).toMatchObject({
      errorType: 'Error',
      errorMessage: 'nope',
    });
  });

  it('queues Event invocations with 202 and throttles over reserved concurrency with 429', async () => {
    const lambda = await clientFor('sdk-workspace');
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'limited',
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: zip('export const handler = async () => 1;') },
      }),
    );
    expect(
      (await lambda.send(new InvokeCommand({ FunctionName: 'limited', InvocationType: 'Event' })))
        .StatusCode,
    ).toBe(202);
    await lambda.send(
      new PutFunctionConcurrencyCommand({
        FunctionName: 'limited',
        ReservedConcurrentExecutions: 0,
      }),
    );
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'limited' }))).rejects.toMatchObject(
      {
        name: 'TooManyRequestsException',
        $metadata: { httpStatusCode: 429 },
        message: 'Rate Exceeded.',
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      },
    );
  });

  it('publishes and lists layer versions', async () => {
    const lambda = await clientFor('sdk-workspace');
    const published = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'tools',
        Content: {
          ZipFile: createCodeArchive([
            { path: 'bin/tool', content: '#!/bin/sh\necho hi\n', mode: 0o755 },
          ]),
        },
        CompatibleRuntimes: ['nodejs24.x'],
      }),
    );
    expect(published.Version).toBe(1);
    const listed = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'tools' }));
    expect(listed.LayerVersions?.map((l) => l.Version)).toEqual([1]);
  });

  it("keeps one workspace from seeing or invoking another's functions", async () => {
    const other = await clientFor('other-workspace');
    expect((await other.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    await expect(other.send(new InvokeCommand({ FunctionName: 'fails' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('refuses bad signatures with 403 and changes nothing', async () => {
    const forged = await clientFor('sdk-workspace', 'wrong-secret-wrong-secret-wrong-secret');
    await expect(
      forged.send(
        new CreateFunctionCommand({
          FunctionName: 'sneaky',
          Runtime: 'nodejs24.x',
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: zip('x') },
        }),
      ),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
      name: 'InvalidSignatureException',
    });
    const unsigned = await fetch(`${endpoint}/2015-03-31/functions/`);
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const lambda = await clientFor('sdk-workspace');
    expect(
      (await lambda.send(new ListFunctionsCommand({}))).Functions?.map((f) => f.FunctionName),
    ).not.toContain('sneaky');
  });

  it('answers invalid parameters and bad zips with 400 InvalidParameterValueException', async () => {
    const lambda = await clientFor('sdk-workspace');
    await expect(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'big',
          Runtime: 'nodejs24.x',
          Handler: 'index.handler',
          Role: ROLE,
          MemorySize: 20_000,
          Code: { ZipFile: zip('x') },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'broken',
          Runtime: 'nodejs24.x',
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: Buffer.from('PK not really') },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/^Could not unzip uploaded file/),
    });
  });

  it("answers a deprecated runtime with Lambda's 400 InvalidParameterValueException, on create and on update", async () => {
    const lambda = await clientFor('sdk-workspace');
    const refusal = {
      name: 'InvalidParameterValueException',
      message:
        'The runtime parameter of nodejs20.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.',
      $metadata: { httpStatusCode: 400 },
    };
    await expect(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'old-node',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: zip('export const handler = async () => 1;') },
        }),
      ),
    ).rejects.toMatchObject(refusal);
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'current-node',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: zip('export const handler = async () => 1;') },
      }),
    );
    await expect(
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'current-node',
          Runtime: 'nodejs20.x',
        }),
      ),
    ).rejects.toMatchObject(refusal);
    await expect(
      lambda.send(new GetFunctionCommand({ FunctionName: 'current-node' })),
    ).resolves.toMatchObject({ Configuration: { Runtime: 'nodejs22.x' } });
  });
});

describe('partial updates through the SDK change only what they name', () => {
  /** Every configuration field an update could lose, set away from its default. */
  const full = {
    Runtime: 'nodejs22.x' as const,
    Handler: 'main.handler',
    MemorySize: 384,
    Timeout: 60,
    Description: 'keeps its settings',
    Environment: { Variables: { STAGE: 'prod', TZ: 'Europe/Paris' } },
    EphemeralStorage: { Size: 1024 },
  };
  /** The fields a partial update must keep, as a configuration (the SDK's, or the request's) has them. */
  const fields = ({
    Runtime,
    Handler,
    MemorySize,
    Timeout,
    Description,
    Environment,
    EphemeralStorage,
  }: Partial<Record<keyof typeof full, unknown>>) => ({
    Runtime,
    Handler,
    MemorySize,
    Timeout,
    Description,
    Environment,
    EphemeralStorage,
  });

  it.each([
    ['MemorySize', { MemorySize: 1024 }],
    ['Timeout', { Timeout: 10 }],
    ['Description', { Description: 'changed' }],
    ['Handler', { Handler: 'other.handler' }],
    ['Runtime', { Runtime: 'nodejs24.x' as const }],
    ['Environment', { Environment: { Variables: { ONLY: 'this' } } }],
    ['EphemeralStorage', { EphemeralStorage: { Size: 2048 } }],
  ])('UpdateFunctionConfiguration with only %s', async (field, change) => {
    const lambda = await clientFor('partial-updates');
    const name = `partial-${field.toLowerCase()}`;
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: ROLE,
        Code: { ZipFile: zip('export const handler = async () => 1;') },
        ...full,
      }),
    );
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: name, ...change }),
    );
    expect(fields(updated)).toEqual(fields({ ...full, ...change }));
    const read = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    expect(fields(read.Configuration!)).toEqual(fields({ ...full, ...change }));
  });

  it('UpdateFunctionCode keeps every setting', async () => {
    const lambda = await clientFor('partial-updates');
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'partial-code',
        Role: ROLE,
        Code: { ZipFile: zip('export const handler = async () => 1;') },
        ...full,
      }),
    );
    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'partial-code',
        ZipFile: zip('export const handler = async () => 2;'),
      }),
    );
    expect(fields(updated)).toEqual(fields(full));
  });
});

describe('environment variables as Lambda treats them', () => {
  it("refuses reserved keys with Lambda's own message, and lets TZ be set", async () => {
    const lambda = await clientFor('variables');
    const create = (name: string, Variables: Record<string, string>, source: string) =>
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs24.x',
          Handler: 'index.handler',
          Role: ROLE,
          Environment: { Variables },
          Code: { ZipFile: zip(source) },
        }),
      );
    await expect(
      create('reserved', { AWS_REGION: 'eu-west-1', STAGE: 'x' }, 'export const handler = 1;'),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message:
        'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION',
    });

    // TZ is unreserved: the runtime's clock follows it.
    await create(
      'tokyo',
      { TZ: 'Asia/Tokyo' },
      'export const handler = async () => ({ tz: process.env.TZ, hour: new Date(0).getHours() });',
    );
    const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'tokyo' }));
    expect(JSON.parse(Buffer.from(invoked.Payload!).toString())).toEqual({
      tz: 'Asia/Tokyo',
      hour: 9,
    });
  });
});
