import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openCgroupHierarchy } from './cgroup';
import {
  EnvironmentPool,
  ThrottleError,
  type Invocation,
  type PoolFunction,
  type PoolLimits,
} from './pool';
import { isBubblewrapUsable } from './sandbox';
import { testEnvironmentSpec } from './testing/environment-spec';

/**
 * The pool on its own, with real environments: what it admits, reuses, starts,
 * refuses and reclaims. Every assertion is on what the pool reports (cold or
 * warm, which environment, what it holds), never on how long anything took.
 */
const sandbox = isBubblewrapUsable() ? 'bwrap' : 'none';
const cgroups = openCgroupHierarchy('course-runner-tests');
const codeDir = mkdtempSync(path.join(tmpdir(), 'runner-pool-'));
chmodSync(codeDir, 0o755);
// `holdMs` keeps an invocation busy, so tests can hold environments while they start others.
writeFileSync(
  path.join(codeDir, 'index.mjs'),
  'export const handler = async (event) => { if (event.holdMs) await new Promise((r) => setTimeout(r, event.holdMs)); return process.env.AWS_LAMBDA_INITIALIZATION_TYPE; };',
);

/** Roomy enough that no cap is reached unless a test lowers one. */
const ROOMY: PoolLimits = {
  maxEnvironments: 8,
  maxMemoryMb: 8 * 128,
  maxEnvironmentsPerWorkspace: 8,
  maxMemoryMbPerWorkspace: 8 * 128,
  idleTtlMs: 600_000,
};

const pools: EnvironmentPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.dispose()));
});
afterAll(() => rmSync(codeDir, { recursive: true, force: true }));

function openPool(
  limits: Partial<PoolLimits> = {},
  options: { cgroups?: boolean } = {},
): EnvironmentPool {
  const pool = new EnvironmentPool({
    sandbox,
    cgroups: options.cgroups === false ? undefined : cgroups,
    limits: { ...ROOMY, ...limits },
  });
  pools.push(pool);
  return pool;
}

function poolFunction(
  workspaceId: string,
  functionName: string,
  overrides: Partial<PoolFunction> = {},
): PoolFunction {
  return {
    ...testEnvironmentSpec(codeDir, { functionName, memoryMb: 128 }),
    workspaceId,
    configurationId: '1',
    reservedConcurrency: undefined,
    ...overrides,
  };
}

const invoke = (pool: EnvironmentPool, fn: PoolFunction, event: { holdMs?: number } = {}) =>
  pool.invoke(fn, JSON.stringify(event));

/** Each call's outcome, in call order: "ok", or the reason the pool refused it. */
async function outcomesOf(calls: Promise<Invocation>[]): Promise<string[]> {
  return (await Promise.allSettled(calls)).map((settled) => {
    if (settled.status === 'fulfilled') return 'ok';
    if (settled.reason instanceof ThrottleError) return settled.reason.reason;
    throw settled.reason;
  });
}

const held = (pool: EnvironmentPool, workspaceId: string) =>
  pool.usage().byWorkspace.get(workspaceId)?.environments ?? 0;

describe('admission', () => {
  it('starts an environment on the first call (cold) and reuses it for the next (warm)', async () => {
    const pool = openPool();
    const fn = poolFunction('ws', 'reuse');
    const first = await invoke(pool, fn);
    const second = await invoke(pool, fn);
    expect(first.report).toMatchObject({ coldStart: true, sandbox, memorySizeMb: 128 });
    expect(first.report.initDurationMs).toBeDefined();
    expect(first.payload).toBe('"on-demand"');
    expect(second.report.coldStart).toBe(false);
    expect(second.report.initDurationMs).toBeUndefined();
    expect(second.report.environmentId).toBe(first.report.environmentId);
    expect(pool.environmentsOf(fn).map((environment) => environment.id)).toEqual([
      first.report.environmentId,
    ]);
  });

  it('scales out under concurrency: N calls at once start N environments, which later calls reuse', async () => {
    const pool = openPool();
    const fn = poolFunction('ws', 'scale');
    const burst = await Promise.all([1, 2, 3].map(() => invoke(pool, fn)));
    expect(burst.map((invocation) => invocation.report.coldStart)).toEqual([true, true, true]);
    const started = new Set(burst.map((invocation) => invocation.report.environmentId));
    expect(started.size).toBe(3);
    expect(pool.environmentsOf(fn)).toHaveLength(3);
    for (let i = 0; i < 3; i++) {
      const next = await invoke(pool, fn);
      expect(next.report.coldStart).toBe(false);
      expect(started.has(next.report.environmentId)).toBe(true);
    }
    expect(pool.environmentsOf(fn)).toHaveLength(3);
  });

  it('never shares an environment between workspaces, even for functions of the same name', async () => {
    const pool = openPool();
    const alice = await invoke(pool, poolFunction('alice', 'same'));
    const bob = await invoke(pool, poolFunction('bob', 'same'));
    expect(bob.report.coldStart).toBe(true);
    expect(bob.report.environmentId).not.toBe(alice.report.environmentId);
    expect([held(pool, 'alice'), held(pool, 'bob')]).toEqual([1, 1]);
  });
});

describe('reserved concurrency', () => {
  it('admits at most the reserved number of calls at once, counting them as they arrive, and throttles the rest', async () => {
    const pool = openPool();
    const fn = poolFunction('ws', 'reserved', { reservedConcurrency: 2 });
    const outcomes = await outcomesOf([1, 2, 3, 4, 5].map(() => invoke(pool, fn)));
    // Were the check and the count two steps, all five calls would pass the check before any was counted.
    const throttled = 'ReservedFunctionConcurrentInvocationLimitExceeded';
    expect(outcomes).toEqual(['ok', 'ok', throttled, throttled, throttled]);
    expect(pool.environmentsOf(fn)).toHaveLength(2);
    // The calls that ended gave their places back.
    expect((await invoke(pool, fn)).report.coldStart).toBe(false);
  });

  it('throttles every call at a reserved concurrency of 0, without starting an environment', async () => {
    const pool = openPool();
    const fn = poolFunction('ws', 'disabled', { reservedConcurrency: 0 });
    await expect(invoke(pool, fn)).rejects.toMatchObject({
      name: 'ThrottleError',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    expect(pool.usage().environments).toBe(0);
  });
});

describe('provisioned concurrency', () => {
  it('keeps environments initialised ahead: the first call is warm and sees the provisioned initialisation type', async () => {
    const pool = openPool();
    const fn = poolFunction('ws', 'provisioned');
    await pool.provision(fn, 2);
    const provisioned = pool.environmentsOf(fn);
    expect(provisioned.map((environment) => environment.state)).toEqual(['idle', 'idle']);
    const first = await invoke(pool, fn);
    expect(first.report.coldStart).toBe(false);
    expect(first.report.initDurationMs).toBeUndefined();
    expect(first.payload).toBe('"provisioned-concurrency"');
    expect(provisioned.map((environment) => environment.id)).toContain(first.report.environmentId);
  });

  it('gives the environments back when provisioned concurrency is lowered', async () => {
    const pool = openPool();
    const fn = poolFunction('ws', 'lowered');
    await pool.provision(fn, 2);
    await pool.provision(fn, 1);
    expect(pool.environmentsOf(fn)).toHaveLength(1);
    await pool.provision(fn, 0);
    expect(pool.environmentsOf(fn)).toHaveLength(0);
    expect((await invoke(pool, fn)).report.coldStart).toBe(true);
  });
});

describe('caps', () => {
  it("refuses a workspace's environment beyond its environment cap with WorkspaceLimitExceeded", async () => {
    const pool = openPool({ maxEnvironmentsPerWorkspace: 2 });
    const fn = poolFunction('ws', 'wide');
    expect(await outcomesOf([1, 2, 3].map(() => invoke(pool, fn)))).toEqual([
      'ok',
      'ok',
      'WorkspaceLimitExceeded',
    ]);
    expect(held(pool, 'ws')).toBe(2);
  });

  it("refuses a workspace's environment beyond its memory cap with WorkspaceLimitExceeded", async () => {
    const pool = openPool({ maxMemoryMbPerWorkspace: 256 });
    expect(
      await outcomesOf([1, 2, 3].map(() => invoke(pool, poolFunction('ws', 'heavy')))),
    ).toEqual(['ok', 'ok', 'WorkspaceLimitExceeded']);
    await expect(
      invoke(pool, poolFunction('other', 'huge', { memoryMb: 512 })),
    ).rejects.toMatchObject({ reason: 'WorkspaceLimitExceeded' });
    expect(held(pool, 'other')).toBe(0);
  });

  it.each([
    ['environment', { maxEnvironments: 2 }],
    ['memory', { maxMemoryMb: 256 }],
  ])(
    'refuses an environment beyond the server %s cap with ServerCapacityExceeded when nothing idle can go',
    async (_cap, limits) => {
      const pool = openPool(limits);
      const outcomes = await outcomesOf([
        invoke(pool, poolFunction('alice', 'a')),
        invoke(pool, poolFunction('alice', 'a')),
        invoke(pool, poolFunction('bob', 'b')),
      ]);
      expect(outcomes).toEqual(['ok', 'ok', 'ServerCapacityExceeded']);
      expect(pool.usage().environments).toBe(2);
    },
  );

  it("gives up a workspace's own idle environment to make room for its next one", async () => {
    const pool = openPool({ maxEnvironmentsPerWorkspace: 1 });
    const older = poolFunction('ws', 'older');
    const newer = poolFunction('ws', 'newer');
    await invoke(pool, older);
    expect((await invoke(pool, newer)).report.coldStart).toBe(true);
    expect(pool.environmentsOf(older)).toHaveLength(0);
    expect(held(pool, 'ws')).toBe(1);
  });
});

/**
 * Fair capacity: on a full server, a workspace under its share takes idle
 * environments from workspaces above theirs, never from those within it; a
 * workspace's burst gives up its own warm environments, not others'. The
 * server here holds four 128 MB environments.
 */
describe('fair capacity between workspaces', () => {
  const full = {
    maxEnvironments: 4,
    maxMemoryMb: 4 * 128,
    maxEnvironmentsPerWorkspace: 4,
    maxMemoryMbPerWorkspace: 4 * 128,
  };
  const fns = (workspace: string) =>
    [0, 1, 2, 3, 4, 5].map((i) => poolFunction(workspace, `f${i}`));

  /** Alice fills the server with four functions; Bob then starts two. */
  async function fillThenShare(
    pool: EnvironmentPool,
    alice: PoolFunction[],
    bob: PoolFunction[],
  ): Promise<void> {
    for (let i = 0; i < 4; i++) await invoke(pool, alice[i]!);
    for (const i of [0, 1]) await invoke(pool, bob[i]!);
  }

  it('lets a newcomer take idle environments from a workspace above its share', async () => {
    const pool = openPool(full);
    const [alice, bob] = [fns('alice'), fns('bob')];
    for (let i = 0; i < 4; i++) await invoke(pool, alice[i]!);
    expect(held(pool, 'alice')).toBe(4);
    expect((await invoke(pool, bob[0]!)).report.coldStart).toBe(true);
    expect([held(pool, 'alice'), held(pool, 'bob')]).toEqual([3, 1]);
    await invoke(pool, bob[1]!);
    expect([held(pool, 'alice'), held(pool, 'bob')]).toEqual([2, 2]);
  });

  it("never throws away another workspace's warm environments for one workspace's burst", async () => {
    const pool = openPool(full);
    const [alice, bob] = [fns('alice'), fns('bob')];
    await fillThenShare(pool, alice, bob);
    // Alice is at her share (2 of 4): every new function of hers reuses her own room.
    for (const i of [4, 5]) await invoke(pool, alice[i]!);
    expect([held(pool, 'alice'), held(pool, 'bob')]).toEqual([2, 2]);
    for (const i of [0, 1]) expect((await invoke(pool, bob[i]!)).report.coldStart).toBe(false);
  });

  it('says the server is busy, not that Lambda throttled, when nothing can be taken', async () => {
    const pool = openPool(full);
    const [alice, bob] = [fns('alice'), fns('bob')];
    await fillThenShare(pool, alice, bob);
    // Bob's two calls replace his own idle environments and stay busy; Alice, at her share, can free only her own two.
    const slow = [invoke(pool, bob[2]!, { holdMs: 1000 }), invoke(pool, bob[2]!, { holdMs: 1000 })];
    await vi.waitFor(
      () =>
        expect(
          pool.environmentsOf(bob[2]!).filter((environment) => environment.state === 'busy'),
        ).toHaveLength(2),
      { timeout: 5000, interval: 20 },
    );
    const outcomes = await outcomesOf([0, 1, 4].map((i) => invoke(pool, alice[i]!)));
    expect([...outcomes].sort()).toEqual(['ServerCapacityExceeded', 'ok', 'ok']);
    for (const invocation of await Promise.all(slow))
      expect(invocation.payload).toBe('"on-demand"');
  });
});

describe('lifecycle', () => {
  it('retires the environments of an older configuration: the next call is cold', async () => {
    const pool = openPool();
    const before = await invoke(pool, poolFunction('ws', 'changing', { configurationId: '1' }));
    const changed = poolFunction('ws', 'changing', { configurationId: '2' });
    const after = await invoke(pool, changed);
    expect(after.report.coldStart).toBe(true);
    expect(after.report.environmentId).not.toBe(before.report.environmentId);
    expect(pool.environmentsOf(changed).map((environment) => environment.id)).toEqual([
      after.report.environmentId,
    ]);
  });

  it('reclaims an idle environment after the idle TTL, but keeps provisioned ones', async () => {
    const pool = openPool({ idleTtlMs: 150 });
    const onDemand = poolFunction('ws', 'on-demand');
    const provisioned = poolFunction('ws', 'provisioned');
    await invoke(pool, onDemand);
    await pool.provision(provisioned, 1);
    await vi.waitFor(() => expect(pool.environmentsOf(onDemand)).toHaveLength(0), {
      timeout: 5000,
      interval: 50,
    });
    expect(pool.environmentsOf(provisioned)).toHaveLength(1);
    expect((await invoke(pool, onDemand)).report.coldStart).toBe(true);
    expect((await invoke(pool, provisioned)).report.coldStart).toBe(false);
  });

  it("ends a function's idle environments on resetFunction: the next call is cold", async () => {
    const pool = openPool();
    const fn = poolFunction('ws', 'reset');
    const other = poolFunction('ws', 'untouched');
    await invoke(pool, fn);
    await invoke(pool, other);
    await pool.resetFunction(fn);
    expect(pool.environmentsOf(fn)).toHaveLength(0);
    expect(pool.environmentsOf(other)).toHaveLength(1);
    expect((await invoke(pool, fn)).report.coldStart).toBe(true);
  });
});

describe('usage and sweep', () => {
  it('counts environments and their memory, per workspace', async () => {
    const pool = openPool();
    await invoke(pool, poolFunction('alice', 'small'));
    await invoke(pool, poolFunction('alice', 'large', { memoryMb: 256 }));
    await invoke(pool, poolFunction('bob', 'small'));
    const usage = pool.usage();
    expect(usage).toMatchObject({ environments: 3, memoryMb: 512, lingering: 0 });
    expect(Object.fromEntries(usage.byWorkspace)).toEqual({
      alice: { environments: 2, memoryMb: 384 },
      bob: { environments: 1, memoryMb: 128 },
    });
  });

  it('drops an environment whose process died, and the next call is cold', async () => {
    // Without cgroups, so the idle environment is stopped by signal, and SIGKILL still reaches it.
    const pool = openPool({}, { cgroups: false });
    const fn = poolFunction('ws', 'killed');
    await invoke(pool, fn);
    const [environment] = pool.environmentsOf(fn);
    process.kill(environment!.pid!, 'SIGKILL');
    await vi.waitFor(() => expect(environment!.state).toBe('dead'), {
      timeout: 5000,
      interval: 20,
    });
    expect(await pool.sweep()).toMatchObject({ dropped: 1 });
    expect(environment!.endReason).toBe('crashed');
    expect(pool.environmentsOf(fn)).toHaveLength(0);
    expect((await invoke(pool, fn)).report.coldStart).toBe(true);
  });

  it('leaves live environments and their cgroups alone', async () => {
    const pool = openPool();
    const fn = poolFunction('ws', 'kept');
    const first = await invoke(pool, fn);
    expect(await pool.sweep()).toEqual({ dropped: 0, reaped: 0, orphanGroups: [] });
    const second = await invoke(pool, fn);
    expect(second.report).toMatchObject({
      coldStart: false,
      environmentId: first.report.environmentId,
    });
  });
});
