import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService, json, nodeFunction } from '../lambda/testing/service-harness';
import { openCgroupHierarchy } from './cgroup';
import { ExecutionEnvironment, MB_PER_VCPU } from './execution-environment';
import { processTree } from './process-memory';
import { isBubblewrapUsable } from './sandbox';
import { testEnvironmentSpec } from './testing/environment-spec';

/**
 * What an execution environment enforces, with cgroups and without them.
 *
 * CPU in proportion to memory, asserted on what the runner sets and the kernel
 * reports (the cgroup's quota and throttling counters; without cgroups, the
 * CPU time the processes were given), never on how long a run took: a busy
 * machine slows every run, but cannot give an environment more than its share.
 */
const sandbox = isBubblewrapUsable() ? 'bwrap' : 'none';
const codeDir = mkdtempSync(path.join(tmpdir(), 'runner-cpu-'));
chmodSync(codeDir, 0o755);
// About 60 ms of CPU at full speed: long enough to be throttled at a 7 % share.
writeFileSync(
  path.join(codeDir, 'index.mjs'),
  'export const handler = async () => { let x = 0; for (let i = 0; i < 3e6; i++) x = (x + i * i) % 1000003; return x; };',
);
const environments: ExecutionEnvironment[] = [];
afterAll(async () => {
  await Promise.all(environments.map((environment) => environment.destroy('reclaimed')));
  rmSync(codeDir, { recursive: true, force: true });
});

async function start(
  memoryMb: number,
  cgroups: ReturnType<typeof openCgroupHierarchy>,
): Promise<ExecutionEnvironment> {
  const { environment, initError } = await ExecutionEnvironment.start(
    testEnvironmentSpec(codeDir, { functionName: 'cpu', memoryMb, timeoutMs: 30_000 }),
    { sandbox, cgroups },
  );
  environments.push(environment);
  expect(initError).toBeUndefined();
  return environment;
}

/** User and system CPU time of a process tree, in milliseconds (from /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuTimeMs(rootPid: number): number {
  return processTree(rootPid).reduce((total, pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return total + (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return total;
    }
  }, 0);
}

const cgroups = openCgroupHierarchy('course-runner-tests');

describe.skipIf(!cgroups)('CPU share with cgroups', () => {
  it('gives INIT a full vCPU, then a quota in proportion to memory, which the kernel enforces', async () => {
    const small = await start(128, cgroups);
    const control = small.cpuControl()!;
    expect(control.periodUs).toBe(100_000);
    expect(control.quotaUs).toBe(Math.round((100_000 * 128) / MB_PER_VCPU));
    const outcome = await small.invoke('{}', 'cpu-small');
    expect(outcome.errorType).toBeUndefined();
    expect(small.cpuControl()!.throttledPeriods).toBeGreaterThan(control.throttledPeriods);

    const full = await start(MB_PER_VCPU, cgroups);
    expect(full.cpuControl()!.quotaUs).toBe(100_000);
  });
});

describe('CPU share without cgroups', () => {
  it('runs a 128 MB environment for no more than about its share of the time', async () => {
    const small = await start(128, undefined);
    const before = cpuTimeMs(small.pid!);
    const outcome = await small.invoke('{}', 'cpu-fallback');
    expect(outcome.errorType).toBeUndefined();
    const used = cpuTimeMs(small.pid!) - before;
    const share = 128 / MB_PER_VCPU;
    // The duty cycle stops and continues the process by signal, so allow three times the share and two clock ticks.
    expect(used).toBeLessThanOrEqual(3 * share * outcome.durationMs + 20);
  });
});

/** Where cgroups are unavailable: the memory watchdog and SIGSTOP freezing (the duty-cycle throttle is above). */
describe('the runner without cgroups', () => {
  let harness: Awaited<ReturnType<typeof createTestService>>;
  beforeAll(async () => {
    harness = await createTestService({}, { cgroups: false });
  });
  afterAll(() => harness.dispose());
  const WS = 'no-cgroups';

  it('still ends an environment that goes over its memory with Runtime.OutOfMemory', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'hog',
        'export const handler = async () => { const keep = []; for (;;) keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); };',
        { MemorySize: 1769, Timeout: 20 },
      ),
    );
    const result = await harness.service.invoke(WS, 'hog', json({}));
    expect(JSON.parse(result.payload).errorType).toBe('Runtime.OutOfMemory');
    expect(result.record.report!.maxMemoryUsedMb).toBeGreaterThanOrEqual(1769);
  });

  it('still freezes idle environments', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'timer',
        'let fired = []; export const handler = async (e) => { if (e.arm) { setTimeout(() => fired.push(Date.now()), 50); return Date.now(); } return fired.map((t) => t - e.armedAt); };',
      ),
    );
    const armedAt = JSON.parse(
      (await harness.service.invoke(WS, 'timer', json({ arm: true }))).payload,
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    const fired = JSON.parse(
      (await harness.service.invoke(WS, 'timer', json({ armedAt }))).payload,
    ) as number[];
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(400);
  });
});
