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
  type CgroupHierarchy,
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
  /** The runner's cgroups, where the machine has them; removed with the server. */
  cgroups: CgroupHierarchy | undefined;
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
  const cgroups = openCgroupHierarchy('serverless-course');
  const pool = new EnvironmentPool({
    sandbox,
    cgroups,
    limits: {
      maxEnvironments: config.runner.maxEnvironments,
      maxMemoryMb: config.runner.maxMemoryMb,
      maxEnvironmentsPerWorkspace: config.runner.maxEnvironmentsPerWorkspace,
      maxMemoryMbPerWorkspace: config.runner.maxMemoryMbPerWorkspace,
      capacityWaitMs: config.runner.capacityWaitMs,
      idleTtlMs: config.runner.idleTtlMs,
    },
  });
  // From now on, however the process stops, the environments stop with it.
  shutdownState().current = { runner: pool, cgroups };
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
  return { config, store, functions, lambda, codeStore, codeLinks, sandbox, runner: pool, cgroups };
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
 * Ends the process's services, if they were started: queued asynchronous
 * invocations are waited for, then every execution environment is killed
 * (frozen ones included) and its cgroup removed, and this server's cgroup
 * folder with them, so none outlives the server. A server killed outright is
 * cleaned up after by the next one (lib/runner/cgroup.ts).
 */
export async function disposeAppServices(): Promise<void> {
  const holder = globalThis as GlobalWithServices;
  const services = await holder[GLOBAL_KEY]?.catch(() => undefined);
  holder[GLOBAL_KEY] = undefined;
  if (!services) return;
  services.lambda.close();
  await services.lambda.drain().catch(() => undefined);
  await services.runner.dispose();
  services.cgroups?.removeAllSync();
  const state = shutdownState();
  if (state.current?.runner === services.runner) state.current = undefined;
}

/**
 * Stopping the process. `npm start` runs server.ts, which handles SIGINT and
 * SIGTERM itself: it lets requests under way finish, then calls
 * disposeAppServices. `npm run dev` runs `next dev`, whose worker process
 * holds the services; its parent passes SIGINT or SIGTERM on to the worker and
 * SIGKILLs it 100 ms later (NEXT_EXIT_TIMEOUT_MS), and Next.js's own handler in
 * the worker exits once its server is closed. Neither waits for anything of
 * ours, and a frozen environment outlives a killed server. So the
 * handlers below, installed once per process (on globalThis, so hot reloads
 * and the bundle's several copies of this module share them), end every
 * environment synchronously the moment the signal arrives, then dispose the
 * services; alone, they end the process as the signal would have. The 'exit'
 * hook ends, synchronously again, whatever is left however the process exits.
 */
interface ShutdownState {
  /** The open services' runner: the handlers must reach it synchronously. */
  current: { runner: EnvironmentPool; cgroups: CgroupHierarchy | undefined } | undefined;
  /** server.ts stops the process itself; the signal handlers stand aside. */
  leftToCaller: boolean;
  stopping: boolean;
}

const SHUTDOWN_KEY = Symbol.for('serverless-course.shutdown');
type GlobalWithShutdown = typeof globalThis & { [SHUTDOWN_KEY]?: ShutdownState };

function shutdownState(): ShutdownState {
  const holder = globalThis as GlobalWithShutdown;
  return (holder[SHUTDOWN_KEY] ??= installShutdownHandlers());
}

/**
 * For server.ts, which stops the process itself (see above): once its own
 * handler is installed, the signal handlers here do nothing, and its call to
 * disposeAppServices ends the environments. The 'exit' hook still ends
 * whatever is left, should its grace period run out first.
 */
export function leaveShutdownToCaller(): void {
  shutdownState().leftToCaller = true;
}

function installShutdownHandlers(): ShutdownState {
  const state: ShutdownState = { current: undefined, leftToCaller: false, stopping: false };
  const onSignal = (signal: NodeJS.Signals) => {
    // Next.js's own handler, or server.ts's, exits the process itself; alone, end it as the signal would have.
    const alone = process.listenerCount(signal) === 1;
    // server.ts lets requests under way finish first; until its handler is installed (Ctrl+C while Next.js prepares), act as if alone.
    if (state.leftToCaller && !alone) return;
    if (state.stopping) {
      // A second Ctrl+C while disposing: stop at once (the 'exit' hook ends what is left).
      if (alone) process.exit(signal === 'SIGINT' ? 130 : 143);
      return;
    }
    state.stopping = true;
    endEnvironmentsNow(state);
    void disposeAppServices()
      .catch((error: unknown) => console.error('Stopping the services failed:', error))
      .finally(() => {
        if (!alone) return;
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.kill(process.pid, signal);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => endEnvironmentsNow(state));
  return state;
}

/** Kills every environment's processes, thaws frozen ones so they die, and removes their cgroups: synchronous, for a signal handler or the 'exit' hook. */
function endEnvironmentsNow(state: ShutdownState): void {
  const current = state.current;
  if (!current) return;
  current.runner.terminateNow();
  const { remaining } = current.cgroups?.removeAllSync() ?? { remaining: 0 };
  if (remaining > 0)
    console.error(
      `Function runner: ${remaining} execution environment cgroup(s) could not be removed while stopping; the next server removes them.`,
    );
}

/** The course the server answers about. */
export async function getServerCourse(): Promise<Course> {
  return (await getProjectCourse({ reload: IS_DEVELOPMENT })).course;
}
