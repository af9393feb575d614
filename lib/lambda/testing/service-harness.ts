import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCgroupHierarchy } from '../../runner/cgroup';
import { EnvironmentPool, type PoolLimits } from '../../runner/pool';
import { isBubblewrapUsable } from '../../runner/sandbox';
import { openSqliteDatabase, ProgressStore } from '../../store';
import { CodeLinkSigner, CodeStore } from '../code-store';
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
export async function createTestService(limits: Partial<PoolLimits> = {}, options: { cgroups?: boolean; sandbox?: 'bwrap' | 'none' } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambda-test-'));
  const db = openSqliteDatabase(dataDir);
  await new ProgressStore(db).migrate();
  const cgroups = options.cgroups === false ? undefined : openCgroupHierarchy('course-runner-tests');
  const pool = new EnvironmentPool({ sandbox: options.sandbox ?? (isBubblewrapUsable() ? 'bwrap' : 'none'), cgroups, limits: { ...TEST_LIMITS, ...limits } });
  const repository = new FunctionRepository(db);
  const codeStore = new CodeStore(dataDir);
  const service = new LambdaService({ repository, codeStore, pool, timeoutCapSeconds: 60 });
  return {
    service,
    codeStore,
    codeLinks: new CodeLinkSigner('test-secret-for-code-links'),
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

/**
 * Runs the same CPU-bound handler at 128 MB and at 1,769 MB (one vCPU) and
 * returns how many times longer the small one took. Duration is the handler's
 * alone: INIT is reported apart.
 */
export async function measureCpuScaling(service: LambdaService, workspaceId: string): Promise<number> {
  const source = 'export const handler = async () => { let x = 0; for (let i = 0; i < 8e6; i++) x = (x + i * i) % 1000003; return x; };';
  await service.createFunction(workspaceId, nodeFunction('cpu-small', source, { MemorySize: 128, Timeout: 30 }));
  await service.createFunction(workspaceId, nodeFunction('cpu-full', source, { MemorySize: 1769, Timeout: 30 }));
  const small = (await service.invoke(workspaceId, 'cpu-small', json({}))).record.report!.durationMs;
  const full = (await service.invoke(workspaceId, 'cpu-full', json({}))).record.report!.durationMs;
  return small / full;
}
