import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestService, json, nodeFunction } from '../lambda/testing/service-harness';
import { burstLab } from './lab-functions';

/**
 * Burst's counts through the real runner: Lambda's throttles (429) apart from
 * calls the course server had no room for (503, "course busy"), which are
 * never counted as throttles, and calls that ran after waiting their turn.
 */
const deployment = (content: string) => ({
  runtime: 'nodejs24.x' as const,
  handler: 'index.handler',
  memoryMb: 128,
  timeoutS: 30,
  environment: {},
  files: [{ path: 'index.mjs', content }],
});
const QUICK =
  'export const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return "done"; };';
const burst = (
  harness: Awaited<ReturnType<typeof createTestService>>,
  name: string,
  count: number,
  reservedConcurrency: number | null = null,
) =>
  burstLab(harness.service, 'learner', name, deployment(QUICK), {
    count,
    reservedConcurrency,
    event: {},
    newEnvironment: false,
  });

describe('Burst on a course server that another learner fills', () => {
  // Room for two environments, and a short wait for it; a learner's own caps are not what stops the burst.
  let harness: Awaited<ReturnType<typeof createTestService>>;
  beforeAll(async () => {
    harness = await createTestService({
      maxEnvironments: 2,
      maxMemoryMb: 2 * 128,
      maxEnvironmentsPerWorkspace: 4,
      maxMemoryMbPerWorkspace: 4 * 128,
      capacityWaitMs: 300,
    });
    // Another learner's two invocations that run until the harness ends them.
    await harness.service.createFunction(
      'other',
      nodeFunction('hog', 'export const handler = () => new Promise(() => {});', { Timeout: 60 }),
    );
    for (let i = 0; i < 2; i++)
      void harness.service.invoke('other', 'hog', json({})).catch(() => undefined);
    await vi.waitFor(
      () =>
        expect(
          harness.pool
            .environmentsOf({ workspaceId: 'other', functionName: 'hog' })
            .filter((e) => e.state === 'busy'),
        ).toHaveLength(2),
      { timeout: 20_000, interval: 20 },
    );
  });
  afterAll(async () => {
    // The other learner's invocations end first, so their history is written before the database closes.
    await harness?.pool.dispose();
    await harness?.dispose();
  });

  it('counts the calls as course busy, with why, and none as throttled', async () => {
    const result = await burst(harness, 'burst-busy', 3);
    expect(result).toMatchObject({
      invocations: [],
      throttled: 0,
      throttleMessages: [],
      serverBusy: 3,
      waitedForServer: 0,
      longestServerWaitMs: 0,
      environments: 0,
    });
    expect(result.serverBusyMessages).toEqual([
      expect.stringMatching(/course server is busy.*not a Lambda throttle/),
    ]);
  });

  it('counts reserved-concurrency throttles and course busy apart', async () => {
    const result = await burst(harness, 'burst-reserved', 3, 1);
    expect(result).toMatchObject({ throttled: 2, serverBusy: 1, invocations: [] });
    expect(result.throttleMessages).toEqual([
      'ReservedFunctionConcurrentInvocationLimitExceeded: Rate Exceeded.',
    ]);
  });
});

describe('Burst on a course server with less room than the burst', () => {
  let harness: Awaited<ReturnType<typeof createTestService>>;
  beforeAll(async () => {
    harness = await createTestService({
      maxEnvironments: 2,
      maxMemoryMb: 2 * 128,
      maxEnvironmentsPerWorkspace: 4,
      maxMemoryMbPerWorkspace: 4 * 128,
      capacityWaitMs: 60_000,
    });
  });
  afterAll(() => harness?.dispose());

  it('runs every call, counting those that waited their turn for room', async () => {
    const result = await burst(harness, 'burst-waits', 4);
    expect(result).toMatchObject({ throttled: 0, serverBusy: 0, serverBusyMessages: [] });
    expect(result.invocations).toHaveLength(4);
    expect(result.invocations.every((invocation) => invocation.errorType === undefined)).toBe(true);
    // Two ran at once; the other two waited for them and reused their environments, warm.
    expect(result.environments).toBe(2);
    expect(result.coldStarts).toBe(2);
    expect(result.waitedForServer).toBe(2);
    expect(result.longestServerWaitMs).toBeGreaterThan(0);
  });
});
