import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openCgroupHierarchy } from './cgroup';
import {
  CourseBusyError,
  EnvironmentPool,
  MAX_PROVISIONED_PER_WORKSPACE,
  ProvisionedConcurrencyLimitError,
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
/**
 * `{ until: name }` keeps an invocation busy until the test writes the file
 * `name` beside the handler (release()), so tests hold environments busy for
 * exactly as long as they need, whatever the machine's speed.
 */
writeFileSync(
  path.join(codeDir, 'index.mjs'),
  `import { existsSync } from 'node:fs';
export const handler = async (event) => {
  if (event.until) while (!existsSync(new URL(event.until, import.meta.url))) await new Promise((r) => setTimeout(r, 20));
  return process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
};`,
);
let barriers = 0;
/** A new barrier: pass `event` to calls that must wait; `release()` lets them all finish. */
function barrier(): { event: { until: string }; release(): void } {
  const name = `release-${++barriers}`;
  return { event: { until: name }, release: () => writeFileSync(path.join(codeDir, name), '') };
}

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
    // Long enough that a call held by a barrier never times out while a test starts other environments.
    ...testEnvironmentSpec(codeDir, { functionName, memoryMb: 128, timeoutMs: 120_000 }),
    workspaceId,
    configurationId: '1',
    reservedConcurrency: undefined,
    ...overrides,
  };
}

const invoke = (pool: EnvironmentPool, fn: PoolFunction, event: { until?: string } = {}) =>
  pool.invoke(fn, JSON.stringify(event));

/** Each call's outcome, in call order: "ok", or the reason the pool refused it (a throttle's or a busy server's). */
async function outcomesOf(calls: Promise<Invocation>[]): Promise<string[]> {
  return (await Promise.allSettled(calls)).map((settled) => {
    if (settled.status === 'fulfilled') return 'ok';
    if (settled.reason instanceof ThrottleError) return settled.reason.reason;
    if (settled.reason instanceof CourseBusyError) return `busy:${settled.reason.reason}`;
    throw settled.reason;
  });
}

const held = (pool: EnvironmentPool, workspaceId: string) =>
  pool.usage().byWorkspace.get(workspaceId)?.environments ?? 0;

/** Waits until `count` environments of `fn` are busy. */
async function busyIn(pool: EnvironmentPool, fn: PoolFunction, count: number): Promise<void> {
  await vi.waitFor(
    () => expect(pool.environmentsOf(fn).filter((e) => e.state === 'busy')).toHaveLength(count),
    { timeout: 60_000, interval: 20 },
  );
}

/** Waits until `count` calls are waiting for room. */
async function waitingIn(pool: EnvironmentPool, count: number): Promise<void> {
  await vi.waitFor(() => expect(pool.usage().waiting).toBe(count), {
    timeout: 30_000,
    interval: 10,
  });
}

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
  it("throttles calls past the workspace's concurrency limit with ConcurrentInvocationLimitExceeded, as Lambda throttles an account", async () => {
    const pool = openPool({ maxEnvironmentsPerWorkspace: 2 });
    const fn = poolFunction('ws', 'wide');
    const gate = barrier();
    const calls = [1, 2, 3].map(() => invoke(pool, fn, gate.event));
    await expect(calls[2]).rejects.toBeInstanceOf(ThrottleError);
    gate.release();
    expect(await outcomesOf(calls)).toEqual(['ok', 'ok', 'ConcurrentInvocationLimitExceeded']);
    await expect(calls[2]).rejects.toThrow(/Rate Exceeded\. .*maximum of 2 execution environments/);
    // Idle environments are not concurrency: past the two, a third function still runs.
    expect((await invoke(pool, poolFunction('ws', 'third'))).payload).toBe('"on-demand"');
  });

  it("makes a call past the workspace's memory cap wait for the workspace's own invocations, then run warm in a freed environment", async () => {
    const pool = openPool({ maxMemoryMbPerWorkspace: 256 });
    const fn = poolFunction('ws', 'heavy');
    const gate = barrier();
    const calls = [1, 2, 3].map(() => invoke(pool, fn, gate.event));
    await waitingIn(pool, 1);
    expect(held(pool, 'ws')).toBe(2);
    gate.release();
    const reports = (await Promise.all(calls)).map((invocation) => invocation.report);
    const waited = reports.filter((report) => report.courseWaitMs !== undefined);
    expect(waited).toHaveLength(1);
    expect(waited[0]!.courseWaitMs).toBeGreaterThan(0);
    expect(waited[0]!.coldStart).toBe(false);
    expect(new Set(reports.map((report) => report.environmentId)).size).toBe(2);
  });

  it('refuses at once, as course busy, a function larger than one workspace may hold', async () => {
    const pool = openPool({ maxMemoryMbPerWorkspace: 256 });
    const refused = invoke(pool, poolFunction('other', 'huge', { memoryMb: 512 }));
    await expect(refused).rejects.toBeInstanceOf(CourseBusyError);
    await expect(refused).rejects.toMatchObject({ reason: 'WorkspaceFull' });
    expect(pool.usage()).toMatchObject({ environments: 0, waiting: 0 });
  });

  it.each([
    ['environment', { maxEnvironments: 2 }],
    ['memory', { maxMemoryMb: 256 }],
  ])(
    'answers a full server (%s cap) as course busy after a short wait, never as a throttle',
    async (_cap, limits) => {
      const pool = openPool({ ...limits, capacityWaitMs: 200 });
      const alice = poolFunction('alice', 'a');
      const gate = barrier();
      const holding = [1, 2].map(() => invoke(pool, alice, gate.event));
      await busyIn(pool, alice, 2);
      const refused = invoke(pool, poolFunction('bob', 'b'));
      await expect(refused).rejects.toBeInstanceOf(CourseBusyError);
      await expect(refused).rejects.not.toBeInstanceOf(ThrottleError);
      await expect(refused).rejects.toMatchObject({
        reason: 'ServerFull',
        message: expect.stringMatching(/course server is busy.*not a Lambda throttle/),
      });
      const error = (await refused.catch((refusal: unknown) => refusal)) as CourseBusyError;
      expect(error.waitedMs).toBeGreaterThan(0);
      expect(pool.usage()).toMatchObject({ environments: 2, waiting: 0 });
      gate.release();
      await Promise.all(holding);
    },
  );

  it("lets a waiting call run as soon as another's invocation ends, and reports how long it waited", async () => {
    const pool = openPool({ maxEnvironments: 2, maxEnvironmentsPerWorkspace: 2 });
    const alice = poolFunction('alice', 'a');
    const gate = barrier();
    const holding = [1, 2].map(() => invoke(pool, alice, gate.event));
    await busyIn(pool, alice, 2);
    const waiting = invoke(pool, poolFunction('bob', 'b'));
    await waitingIn(pool, 1);
    gate.release();
    const ran = await waiting;
    expect(ran.report.coldStart).toBe(true);
    expect(ran.report.courseWaitMs).toBeGreaterThan(0);
    // Bob's environment is one Alice no longer needed: the server never held more than two.
    expect(pool.usage().environments).toBe(2);
    for (const invocation of await Promise.all(holding))
      expect(invocation.report.courseWaitMs).toBeUndefined();
  });

  it('bounds the calls waiting for room: past maxWaiting, course busy at once', async () => {
    const pool = openPool({ maxEnvironments: 1, maxEnvironmentsPerWorkspace: 1, maxWaiting: 1 });
    const alice = poolFunction('alice', 'a');
    const gate = barrier();
    const holding = invoke(pool, alice, gate.event);
    await busyIn(pool, alice, 1);
    const bob = invoke(pool, poolFunction('bob', 'b'));
    await waitingIn(pool, 1);
    await expect(invoke(pool, poolFunction('carol', 'c'))).rejects.toMatchObject({
      name: 'CourseBusyError',
      reason: 'QueueFull',
    });
    gate.release();
    await holding;
    expect((await bob).report.courseWaitMs).toBeGreaterThan(0);
  });

  it("gives up a workspace's own idle environment to make room for its next one", async () => {
    const pool = openPool({ maxEnvironmentsPerWorkspace: 1 });
    const older = poolFunction('ws', 'older');
    const newer = poolFunction('ws', 'newer');
    await invoke(pool, older);
    expect((await invoke(pool, newer)).report.coldStart).toBe(true);
    expect(pool.environmentsOf(older)).toHaveLength(0);
    expect(held(pool, 'ws')).toBe(1);
  });

  it(`keeps at most ${MAX_PROVISIONED_PER_WORKSPACE} provisioned environments per workspace: they are never reclaimed`, async () => {
    const pool = openPool({
      maxEnvironments: 16,
      maxMemoryMb: 16 * 128,
      maxEnvironmentsPerWorkspace: 16,
      maxMemoryMbPerWorkspace: 16 * 128,
    });
    await pool.provision(poolFunction('ws', 'first'), MAX_PROVISIONED_PER_WORKSPACE - 1);
    const second = poolFunction('ws', 'second');
    await expect(pool.provision(second, 2)).rejects.toBeInstanceOf(
      ProvisionedConcurrencyLimitError,
    );
    await pool.provision(second, 1);
    expect(held(pool, 'ws')).toBe(MAX_PROVISIONED_PER_WORKSPACE);
    // Another workspace has its own.
    await pool.provision(poolFunction('other', 'first'), 1);
  });
});

/**
 * Fair capacity (docs/decisions/009): each workspace's idle environments are
 * protected up to its share, which is the server beyond one workspace's cap,
 * divided among the workspaces holding environments. Beyond its share, a
 * workspace's idle environments go to whoever needs room, least recently used
 * first; calls wait only for running invocations, the lightest users first.
 */
describe('fair capacity between workspaces', () => {
  it(
    "gives workspace B's burst of 50 its 50 environments while A holds busy and idle environments, taking only A's idle ones beyond its share",
    { timeout: 240_000 },
    async () => {
      // Room for 60; B's cap is 50, so with A and B holding environments each keeps a share of (60 - 50) / 2 = 5.
      const pool = openPool({
        maxEnvironments: 60,
        maxMemoryMb: 60 * 128,
        maxEnvironmentsPerWorkspace: 50,
        maxMemoryMbPerWorkspace: 50 * 128,
      });
      const idleA = poolFunction('a', 'idle');
      const busyA = poolFunction('a', 'busy');
      // Fourteen at once, so they take fourteen environments, idle once released.
      const warmUp = barrier();
      const idleCalls = Array.from({ length: 14 }, () => invoke(pool, idleA, warmUp.event));
      await busyIn(pool, idleA, 14);
      warmUp.release();
      await Promise.all(idleCalls);
      const aGate = barrier();
      const aBusy = [1, 2, 3].map(() => invoke(pool, busyA, aGate.event));
      await busyIn(pool, busyA, 3);
      const busyIds = pool.environmentsOf(busyA).map((e) => e.id);
      expect(held(pool, 'a')).toBe(17);

      const burstB = poolFunction('b', 'burst');
      const bGate = barrier();
      const burst = Array.from({ length: 50 }, () => invoke(pool, burstB, bGate.event));
      await busyIn(pool, burstB, 50);
      bGate.release();
      const reports = (await Promise.all(burst)).map((invocation) => invocation.report);
      expect(new Set(reports.map((report) => report.environmentId)).size).toBe(50);
      expect(reports.every((report) => report.coldStart)).toBe(true);
      expect(reports.filter((report) => report.courseWaitMs !== undefined)).toEqual([]);
      // 43 places were free; the other 7 were A's least recently used idle environments. A's busy ones were never touched.
      expect([held(pool, 'a'), held(pool, 'b')]).toEqual([10, 50]);
      expect(pool.environmentsOf(busyA).map((e) => e.id)).toEqual(busyIds);
      aGate.release();
      await Promise.all(aBusy);
    },
  );

  it("takes the least recently used idle environments above their workspace's share, never one within it", async () => {
    // Room for 8, a cap of 4: with three workspaces holding environments, each keeps a share of (8 - 4) / 3 = 1.
    const pool = openPool({
      maxEnvironments: 8,
      maxMemoryMb: 8 * 128,
      maxEnvironmentsPerWorkspace: 4,
      maxMemoryMbPerWorkspace: 4 * 128,
    });
    const fns = (workspace: string) => [0, 1, 2, 3, 4].map((i) => poolFunction(workspace, `f${i}`));
    const [a, b, c] = [fns('a'), fns('b'), fns('c')];
    // A's one environment is the least recently used of all, but within A's share.
    const first = await invoke(pool, a[0]!);
    for (let i = 0; i < 4; i++) await invoke(pool, c[i]!);
    const gate = barrier();
    const busyB = [0, 1, 2].map((i) => invoke(pool, b[i]!, gate.event));
    for (const i of [0, 1, 2]) await busyIn(pool, b[i]!, 1);
    expect(pool.usage().environments).toBe(8);

    // B, above its share, may take C's idle environments (C holds 4, above its share), not A's.
    const fourth = invoke(pool, b[3]!, gate.event);
    await busyIn(pool, b[3]!, 1);
    expect(pool.environmentsOf(c[0]!)).toHaveLength(0);
    expect([held(pool, 'a'), held(pool, 'b'), held(pool, 'c')]).toEqual([1, 4, 3]);

    // C, on a full server with nothing of others' to take, gives up its own least recently used.
    await invoke(pool, c[4]!);
    expect(pool.environmentsOf(c[1]!)).toHaveLength(0);
    expect([held(pool, 'a'), held(pool, 'b'), held(pool, 'c')]).toEqual([1, 4, 3]);

    // A's environment stayed warm all along.
    const again = await invoke(pool, a[0]!);
    expect(again.report).toMatchObject({
      coldStart: false,
      environmentId: first.report.environmentId,
    });
    gate.release();
    await Promise.all([...busyB, fourth]);
  });

  it('serves waiting calls lightest user first: a learner holding nothing goes before one holding the server', async () => {
    const pool = openPool({
      maxEnvironments: 3,
      maxMemoryMb: 3 * 128,
      maxEnvironmentsPerWorkspace: 5,
    });
    const gates = [barrier(), barrier(), barrier()];
    const heavy = poolFunction('heavy', 'f');
    const holding = gates.map((gate) => invoke(pool, heavy, gate.event));
    await busyIn(pool, heavy, 3);
    // The heavy user's next call waits first, the light user's second.
    const heavyNext = invoke(pool, poolFunction('heavy', 'g'));
    await waitingIn(pool, 1);
    const lightNext = invoke(pool, poolFunction('light', 'f'));
    await waitingIn(pool, 2);
    // One environment comes free: the light user gets it.
    gates[0]!.release();
    expect((await lightNext).report.courseWaitMs).toBeGreaterThan(0);
    expect(pool.usage().waiting).toBe(1);
    gates[1]!.release();
    gates[2]!.release();
    expect((await heavyNext).report.courseWaitMs).toBeGreaterThan(0);
    await Promise.all(holding);
  });

  it('refuses the calls still waiting when it is disposed, and takes no new one', async () => {
    const pool = openPool({ maxEnvironments: 1, maxEnvironmentsPerWorkspace: 1 });
    const alice = poolFunction('alice', 'a');
    const gate = barrier();
    const holding = invoke(pool, alice, gate.event).catch(() => undefined);
    await busyIn(pool, alice, 1);
    const waiting = invoke(pool, poolFunction('bob', 'b'));
    await waitingIn(pool, 1);
    const refused = expect(waiting).rejects.toMatchObject({
      name: 'CourseBusyError',
      reason: 'ShuttingDown',
    });
    await pool.dispose();
    await refused;
    await expect(invoke(pool, alice)).rejects.toMatchObject({ reason: 'ShuttingDown' });
    expect(pool.usage().environments).toBe(0);
    await holding;
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
    expect(usage).toMatchObject({ environments: 3, memoryMb: 512, lingering: 0, waiting: 0 });
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
