import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCgroupHierarchy } from '../runner/cgroup';
import { EnvironmentPool, type PoolLimits } from '../runner/pool';
import { isBubblewrapUsable } from '../runner/sandbox';
import { openSqliteDatabase, ProgressStore } from '../store';
import { CodeStore } from './code-store';
import { FunctionRepository } from './function-repository';
import { LambdaService } from './lambda-service';

export interface EphemeralServiceOptions {
  /** The cgroup folder environments are placed under, so runs can be told apart. */
  cgroupName: string;
  limits: PoolLimits;
  /** false: no cgroups even where they are available (tests of the fallback). */
  cgroups?: boolean;
  sandbox?: 'bwrap' | 'none';
  timeoutCapSeconds?: number;
}

/**
 * A LambdaService with the real runner and sandbox on a temporary data
 * directory that dispose() removes: for tests, and for the content checker,
 * which runs every exercise before learners see it.
 */
export async function createEphemeralLambdaService(options: EphemeralServiceOptions) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambda-'));
  const db = openSqliteDatabase(dataDir);
  await new ProgressStore(db).migrate();
  const cgroups = options.cgroups === false ? undefined : openCgroupHierarchy(options.cgroupName);
  const pool = new EnvironmentPool({ sandbox: options.sandbox ?? (isBubblewrapUsable() ? 'bwrap' : 'none'), cgroups, limits: options.limits });
  const repository = new FunctionRepository(db);
  const codeStore = new CodeStore(dataDir);
  const service = new LambdaService({ repository, codeStore, pool, timeoutCapSeconds: options.timeoutCapSeconds ?? 60 });
  return {
    service,
    pool,
    repository,
    codeStore,
    cgroupsAvailable: cgroups !== undefined,
    async dispose() {
      await service.drain();
      await pool.dispose();
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
