import { getProjectCourse, type Course } from '../course';
import { ConfigError, loadConfig, type AppConfig } from './config';
import {
  CodeLinkSigner,
  CodeStore,
  COLLECTION_INTERVAL_MS,
  FunctionRepository,
  LambdaService,
} from '../lambda';
import {
  bubblewrapProblem,
  EnvironmentPool,
  openCgroupHierarchy,
  type SandboxLevel,
} from '../runner';
import { openSqliteDatabase, ProgressStore } from '../store';

export interface AppServices {
  config: AppConfig;
  store: ProgressStore;
  functions: FunctionRepository;
  lambda: LambdaService;
  codeStore: CodeStore;
  codeLinks: CodeLinkSigner;
  sandbox: SandboxLevel;
  /** The function runner, ended with the server so no environment outlives it. */
  runner: EnvironmentPool;
}

/** Development re-reads the course on every request so edits show at once. */
export const IS_DEVELOPMENT = process.env.NODE_ENV !== 'production';

const GLOBAL_KEY = Symbol.for('serverless-course.services');
type GlobalWithServices = typeof globalThis & { [GLOBAL_KEY]?: Promise<AppServices> };

/**
 * The process's configuration, database and function runner, created on first
 * use. Kept on globalThis so development hot reloads reuse one database
 * connection and one pool of execution environments.
 */
export function getAppServices(): Promise<AppServices> {
  const holder = globalThis as GlobalWithServices;
  holder[GLOBAL_KEY] ??= createServices().catch((error: unknown) => {
    holder[GLOBAL_KEY] = undefined;
    throw error;
  });
  return holder[GLOBAL_KEY];
}

async function createServices(): Promise<AppServices> {
  const config = loadConfig();
  const sandbox = chooseSandbox(config);
  const db = openSqliteDatabase(config.dataDir);
  const store = new ProgressStore(db);
  await store.migrate();
  const functions = new FunctionRepository(db, {
    historyRecordsPerWorkspace: config.lambda.historyRecordsPerWorkspace,
  });
  const pool = new EnvironmentPool({
    sandbox,
    cgroups: openCgroupHierarchy('serverless-course'),
    limits: {
      maxEnvironments: config.runner.maxEnvironments,
      maxMemoryMb: config.runner.maxMemoryMb,
      maxEnvironmentsPerWorkspace: config.runner.maxEnvironmentsPerWorkspace,
      maxMemoryMbPerWorkspace: config.runner.maxMemoryMbPerWorkspace,
      idleTtlMs: config.runner.idleTtlMs,
    },
  });
  const codeStore = new CodeStore(config.dataDir);
  const lambda = new LambdaService({
    repository: functions,
    codeStore,
    pool,
    timeoutCapSeconds: config.runner.timeoutCapSeconds,
    quotas: config.lambda,
    collectionIntervalMs: COLLECTION_INTERVAL_MS,
  });
  const codeLinks = new CodeLinkSigner(`${config.sessionSecret}:code-links`);
  return { config, store, functions, lambda, codeStore, codeLinks, sandbox, runner: pool };
}

/**
 * Decides how learner code is contained, and refuses to run it uncontained in
 * production unless the configuration says so explicitly.
 */
export function chooseSandbox(
  config: AppConfig,
  production = !IS_DEVELOPMENT,
  problem: string | undefined = bubblewrapProblem(),
): SandboxLevel {
  const { sandbox, allowUnsandboxed } = config.runner;
  if (sandbox === 'bwrap' && problem) {
    throw new ConfigError(
      `RUNNER_SANDBOX=bwrap, but the sandbox cannot run here: ${problem} Or choose another RUNNER_SANDBOX.`,
    );
  }
  const level: SandboxLevel = sandbox === 'none' || problem ? 'none' : 'bwrap';
  if (level === 'none') {
    if (production && !allowUnsandboxed) {
      throw new ConfigError(
        `Learner code would run without a sandbox (${problem ?? 'RUNNER_SANDBOX=none'}). Fix that, or set RUNNER_ALLOW_UNSANDBOXED=true if this server is yours alone.`,
      );
    }
    console.warn(
      `WARNING: the function runner has NO SANDBOX (${problem ?? 'RUNNER_SANDBOX=none'}): learner code runs as plain processes with the server's privileges. Every report says sandbox: "none".`,
    );
  }
  return level;
}

/**
 * Ends the process's services, if they were started: every execution
 * environment is killed and its cgroup removed, so none outlives the server.
 * For a clean stop (SIGTERM); a server killed outright is cleaned up after by
 * the next one (lib/runner/cgroup.ts).
 */
export async function disposeAppServices(): Promise<void> {
  const holder = globalThis as GlobalWithServices;
  const services = await holder[GLOBAL_KEY]?.catch(() => undefined);
  holder[GLOBAL_KEY] = undefined;
  if (!services) return;
  await services.lambda.drain().catch(() => undefined);
  await services.runner.dispose();
}

/** The course the server answers about. */
export async function getServerCourse(): Promise<Course> {
  return (await getProjectCourse({ reload: IS_DEVELOPMENT })).course;
}
