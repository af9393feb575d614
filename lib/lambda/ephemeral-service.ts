import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EnvironmentPool,
  openCgroupHierarchy,
  resolveSandboxLevel,
  type PoolLimits,
  type SandboxSetting,
} from '../runner';
import { openSqliteDatabase, ProgressStore } from '../store';
import { CodeStore } from './code-store';
import { FunctionRepository } from './function-repository';
import { LambdaService } from './lambda-service';
import type { LambdaQuotas } from './quotas';

export interface EphemeralServiceOptions {
  /** The cgroup folder environments are placed under, so runs can be told apart. */
  cgroupName: string;
  limits: PoolLimits;
  /** false: no cgroups even where they are available (tests of the fallback). */
  cgroups?: boolean;
  /**
   * RUNNER_SANDBOX's setting, resolved as the server resolves it: `bwrap`
   * throws when bubblewrap cannot run here, `auto` takes the best this
   * machine can do. The level chosen is `pool.sandbox`.
   * @default 'auto'
   */
  sandbox?: SandboxSetting;
  timeoutCapSeconds?: number;
  /** Storage, history and queue quotas; Lambda service defaults where absent. */
  quotas?: Partial<LambdaQuotas>;
  /** @default DEFAULT_HISTORY_RECORDS_PER_WORKSPACE */
  historyRecordsPerWorkspace?: number;
}

/**
 * A LambdaService with the real runner and sandbox on a temporary data
 * directory that dispose() removes: for tests, and for the content checker,
 * which runs every exercise before learners see it.
 */
export async function createEphemeralLambdaService(options: EphemeralServiceOptions) {
  // Before anything is made: a setting this machine cannot honour fails here.
  const sandbox = resolveSandboxLevel(options.sandbox ?? 'auto');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambda-'));
  // mkdtemp makes it 0700; the sandbox's unprivileged user must be able to pass through it to mount the code.
  chmodSync(dataDir, 0o711);
  const db = openSqliteDatabase(dataDir);
  await new ProgressStore(db).migrate();
  const cgroups = options.cgroups === false ? undefined : openCgroupHierarchy(options.cgroupName);
  const pool = new EnvironmentPool({
    sandbox,
    cgroups,
    limits: options.limits,
  });
  const repository = new FunctionRepository(db, {
    historyRecordsPerWorkspace: options.historyRecordsPerWorkspace,
  });
  const codeStore = new CodeStore(dataDir);
  const service = new LambdaService({
    repository,
    codeStore,
    pool,
    timeoutCapSeconds: options.timeoutCapSeconds ?? 60,
    quotas: options.quotas,
  });
  return {
    service,
    pool,
    repository,
    codeStore,
    dataDir,
    db,
    sandbox,
    cgroupsAvailable: cgroups !== undefined,
    async dispose() {
      await service.drain();
      service.close();
      await pool.dispose();
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
