import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService, json, nodeFunction } from '../lambda/testing/service-harness';

/** The runner where cgroups are unavailable: watchdog and SIGSTOP freezing (cpu-share.test.ts covers the duty-cycle throttle). */
let harness: Awaited<ReturnType<typeof createTestService>>;
beforeAll(async () => {
  harness = await createTestService({}, { cgroups: false });
});
afterAll(() => harness.dispose());

const WS = 'no-cgroups';

describe('the runner without cgroups', () => {
  it('still ends an environment that goes over its memory with Runtime.OutOfMemory', async () => {
    await harness.service.createFunction(WS, nodeFunction('hog', 'export const handler = async () => { const keep = []; for (;;) keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); };', { MemorySize: 1769, Timeout: 20 }));
    const result = await harness.service.invoke(WS, 'hog', json({}));
    expect(JSON.parse(result.payload).errorType).toBe('Runtime.OutOfMemory');
    expect(result.record.report!.maxMemoryUsedMb).toBeGreaterThanOrEqual(1769);
  });

  it('still freezes idle environments', async () => {
    await harness.service.createFunction(WS, nodeFunction('timer', 'let fired = []; export const handler = async (e) => { if (e.arm) { setTimeout(() => fired.push(Date.now()), 50); return Date.now(); } return fired.map((t) => t - e.armedAt); };'));
    const armedAt = JSON.parse((await harness.service.invoke(WS, 'timer', json({ arm: true }))).payload);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const fired = JSON.parse((await harness.service.invoke(WS, 'timer', json({ armedAt }))).payload) as number[];
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(400);
  });
});
