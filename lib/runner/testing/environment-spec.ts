import type { EnvironmentSpec } from '../execution-environment';

/** An environment's specification for tests that start environments directly: a small Node function in `codeDir`. */
export function testEnvironmentSpec(
  codeDir: string,
  overrides: Partial<EnvironmentSpec> = {},
): EnvironmentSpec {
  const functionName = overrides.functionName ?? 'test';
  return {
    functionName,
    functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    version: '$LATEST',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    memoryMb: 256,
    timeoutMs: 3000,
    environment: {},
    ephemeralStorageMb: 512,
    codeDir,
    optDir: undefined,
    region: 'us-east-1',
    initializationType: 'on-demand',
    credentials: {
      accessKeyId: 'AKIATEST',
      secretAccessKey: 'test-secret',
      sessionToken: 'test-token',
    },
    ...overrides,
  };
}
