import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, ProgressStore, type Database } from '../store';
import type { Kysely } from 'kysely';
import type { FunctionDefinition } from './definitions';
import {
  FunctionRepository,
  MAX_HISTORY_PAGE_SIZE,
  RECENT_INVOCATIONS_KEPT,
} from './function-repository';

let db: Kysely<Database>;
let repository: FunctionRepository;
beforeEach(async () => {
  db = openSqliteDatabase(':memory:');
  await new ProgressStore(db).migrate();
  repository = new FunctionRepository(db);
});
afterEach(() => db.destroy());

const NOW = new Date('2026-11-30T10:00:00.000Z');
const definition = (revision: string): FunctionDefinition => ({
  FunctionName: 'f',
  Runtime: 'nodejs20.x',
  Handler: 'index.handler',
  MemorySize: 128,
  Timeout: 3,
  Description: '',
  Environment: { Variables: {} },
  EphemeralStorage: { Size: 512 },
  Layers: [],
  Role: 'arn:aws:iam::123456789012:role/r',
  CodeSha256: 'x',
  CodeSize: 1,
  codeId: 'c',
  RevisionId: revision,
  LastModified: '2026-11-30T10:00:00.000+0000',
  ReservedConcurrentExecutions: undefined,
  ProvisionedConcurrentExecutions: 0,
});

describe('FunctionRepository', () => {
  it('serves definitions from memory but never a stale one after a write', async () => {
    expect(await repository.insertFunction('w', definition('r1'), NOW)).toBe(true);
    expect(await repository.insertFunction('w', definition('r1'), NOW)).toBe(false);
    expect((await repository.getFunction('w', 'f'))?.RevisionId).toBe('r1');
    expect(await repository.replaceFunction('w', definition('r2'), 'stale-revision', NOW)).toBe(
      false,
    );
    expect(await repository.replaceFunction('w', definition('r2'), 'r1', NOW)).toBe(true);
    expect((await repository.getFunction('w', 'f'))?.RevisionId).toBe('r2');
    // Callers get copies: changing one does not change what the next caller reads.
    (await repository.getFunction('w', 'f'))!.MemorySize = 9999;
    expect((await repository.getFunction('w', 'f'))?.MemorySize).toBe(128);
    expect(await repository.deleteFunction('w', 'f')).toBe(true);
    expect(await repository.getFunction('w', 'f')).toBeUndefined();
  });

  it('writes invocations saved together in one batch, and keeps the history bounded', async () => {
    await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        repository.saveInvocation('w', 'f', `r${i}`, { i }, new Date(NOW.getTime() + i)),
      ),
    );
    const recent = (
      await repository.invocationPage<{ i: number }>('w', 'f', { limit: MAX_HISTORY_PAGE_SIZE })
    ).records;
    expect(recent).toHaveLength(Math.min(RECENT_INVOCATIONS_KEPT, MAX_HISTORY_PAGE_SIZE));
    expect(recent[0]).toEqual({ i: 119 });
    const stored = await db
      .selectFrom('lambda_invocations')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBeLessThanOrEqual(RECENT_INVOCATIONS_KEPT + 20);
  });

  it('updates a saved invocation in place (an Event invocation once it has run)', async () => {
    await repository.saveInvocation('w', 'f', 'r', { status: 'queued' }, NOW);
    await repository.saveInvocation('w', 'f', 'r', { status: 'succeeded' }, NOW);
    expect((await repository.invocationPage('w', 'f', { limit: 10 })).records).toEqual([
      { status: 'succeeded' },
    ]);
  });
});
