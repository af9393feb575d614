import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService, json, nodeFunction } from '../lambda/testing/service-harness';

/**
 * Fair capacity: on a full server, a learner under their share takes idle
 * environments from learners above theirs, never from those within it; a
 * learner's burst gives up its own warm environments, not other learners'.
 * The server here holds four 128 MB environments.
 */
let harness: Awaited<ReturnType<typeof createTestService>>;
beforeAll(async () => {
  harness = await createTestService({ maxEnvironments: 4, maxMemoryMb: 4 * 128, maxEnvironmentsPerWorkspace: 4, maxMemoryMbPerWorkspace: 4 * 128, idleTtlMs: 600_000 });
  for (const workspace of ['alice', 'bob']) {
    for (let i = 0; i < 6; i++) await harness.service.createFunction(workspace, nodeFunction(`f${i}`, 'export const handler = async () => "ok";', { MemorySize: 128 }));
  }
});
afterAll(() => harness.dispose());

const run = (workspace: string, i: number) => harness.service.invoke(workspace, `f${i}`, json({}));
const held = (workspace: string) => harness.pool.usage().byWorkspace.get(workspace)?.environments ?? 0;

describe('fair capacity between workspaces', () => {
  it('lets a newcomer take idle environments from a workspace above its share', async () => {
    for (let i = 0; i < 4; i++) await run('alice', i);
    expect(held('alice')).toBe(4);
    const bob = await run('bob', 0);
    expect(bob.record.status).toBe('succeeded');
    expect(held('bob')).toBe(1);
    expect(held('alice')).toBe(3);
    await run('bob', 1);
    expect([held('alice'), held('bob')]).toEqual([2, 2]);
  });

  it("never throws away another learner's warm environments for one learner's burst", async () => {
    // Alice is at her share (2 of 4); every new function of hers must reuse her own room.
    for (let i = 4; i < 6; i++) expect((await run('alice', i)).record.status).toBe('succeeded');
    expect([held('alice'), held('bob')]).toEqual([2, 2]);
    for (const i of [0, 1]) expect((await run('bob', i)).record.report!.coldStart).toBe(false);
  });

  it("says the server is busy, not that Lambda throttled, when nothing can be taken", async () => {
    // Bob's two environments are busy for a while; Alice, at her share, can free only her own two idle ones, so a third call has no room.
    await harness.service.updateFunctionConfiguration('bob', 'f2', { Timeout: 10 });
    await harness.service.updateFunctionCode('bob', 'f2', { Files: [{ path: 'index.mjs', content: 'export const handler = async () => { await new Promise((r) => setTimeout(r, 1500)); return "slow"; };' }] });
    const slow = [harness.service.invoke('bob', 'f2', json({})), harness.service.invoke('bob', 'f2', json({}))];
    await new Promise((resolve) => setTimeout(resolve, 400));
    const outcomes = await Promise.allSettled([run('alice', 0), run('alice', 1), run('alice', 2)]);
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason as Error);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.message).toMatch(/course server is busy .* not a Lambda throttle/);
    for (const result of await Promise.all(slow)) expect(result.payload).toBe('"slow"');
  });
});
