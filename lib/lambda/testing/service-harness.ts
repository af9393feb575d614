import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCgroupHierarchy } from '../../runner/cgroup';
import { EnvironmentPool, type PoolLimits } from '../../runner/pool';
import { isBubblewrapUsable } from '../../runner/sandbox';
import { openSqliteDatabase, ProgressStore } from '../../store';
import { CodeStore } from '../code-store';
import { FunctionRepository } from '../function-repository';
import { LambdaService } from '../lambda-service';

export const TEST_LIMITS: PoolLimits = {
  maxEnvironments: 24,
  maxMemoryMb: 16_384,
  maxEnvironmentsPerWorkspace: 16,
  maxMemoryMbPerWorkspace: 12_288,
  idleTtlMs: 60_000,
};

/** A LambdaService on a temporary data directory, with the real runner and sandbox. */
export async function createTestService(limits: Partial<PoolLimits> = {}, options: { cgroups?: boolean } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambda-test-'));
  const db = openSqliteDatabase(dataDir);
  await new ProgressStore(db).migrate();
  const cgroups = options.cgroups === false ? undefined : openCgroupHierarchy('course-runner-tests');
  const pool = new EnvironmentPool({ sandbox: isBubblewrapUsable() ? 'bwrap' : 'none', cgroups, limits: { ...TEST_LIMITS, ...limits } });
  const repository = new FunctionRepository(db);
  const service = new LambdaService({ repository, codeStore: new CodeStore(dataDir), pool, timeoutCapSeconds: 60 });
  return {
    service,
    pool,
    repository,
    cgroupsAvailable: cgroups !== undefined,
    async dispose() {
      await service.drain();
      await pool.dispose();
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const ROLE = 'arn:aws:iam::123456789012:role/test-role';

/** A CreateFunction request for a one-file Node handler. */
export function nodeFunction(name: string, source: string, settings: Record<string, unknown> = {}) {
  return { FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { Files: [{ path: 'index.mjs', content: source }] }, ...settings };
}

export const json = (value: unknown) => Buffer.from(JSON.stringify(value));
