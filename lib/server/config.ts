import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_ASYNC_EVENTS_PER_SERVER,
  DEFAULT_ASYNC_EVENTS_PER_WORKSPACE,
  DEFAULT_ASYNC_QUEUE_MB_PER_SERVER,
  DEFAULT_ASYNC_QUEUE_MB_PER_WORKSPACE,
  DEFAULT_CODE_STORAGE_MB_PER_WORKSPACE,
  DEFAULT_HISTORY_RECORDS_PER_WORKSPACE,
  DEFAULT_UNZIPPED_STORAGE_MB_PER_WORKSPACE,
} from '../lambda';
import { DEFAULT_CAPACITY_WAIT_MS } from '../runner';

/**
 * Server configuration from environment variables, validated once at start-up.
 * Every variable has a safe default so `npm start` works with none set; the
 * README documents each one.
 */
export const envSchema = z.object({
  PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(3000)
    .describe('The port the server listens on.'),
  DATA_DIR: z
    .string()
    .min(1)
    .default('./.data')
    .describe('Where the database and the generated session secret live.'),
  SESSION_SECRET: z
    .string()
    .min(
      32,
      'SESSION_SECRET must be at least 32 characters; generate one with `openssl rand -hex 32`',
    )
    .optional()
    .describe(
      'Signs learner cookies. When unset, one is generated into DATA_DIR/session-secret and reused.',
    ),
  RUNNER_SANDBOX: z
    .enum(['auto', 'bwrap', 'none'])
    .default('auto')
    .describe(
      'How learner code is contained: bwrap (bubblewrap namespaces), none (plain processes), or auto (bwrap when it works here).',
    ),
  RUNNER_ALLOW_UNSANDBOXED: z
    .enum(['true', 'false'])
    .default('false')
    .describe(
      'Lets a production server run learner code without bubblewrap. Never set this on a shared server.',
    ),
  // Sized with docs/decisions/009: one learner's burst of MAX_BURST (50) fits beside every other learner's protected share.
  RUNNER_MAX_ENVIRONMENTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(128)
    .describe('Execution environments alive at once on the server.'),
  RUNNER_MAX_MEMORY_MB: z.coerce
    .number()
    .int()
    .min(128)
    .default(32_768)
    .describe('Memory configured across all live environments, in MB.'),
  RUNNER_MAX_ENVIRONMENTS_PER_WORKSPACE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(64)
    .describe(
      "One learner's concurrency limit (invocations in flight; past it, 429 as for an account at its limit) and the environments one learner may hold. Keep it at least 50, a lab's largest burst.",
    ),
  RUNNER_MAX_MEMORY_MB_PER_WORKSPACE: z.coerce
    .number()
    .int()
    .min(128)
    .default(10_240)
    .describe(
      "Memory configured across one learner's live environments, in MB: one function at Lambda's maximum, or a burst of 50 at 204 MB.",
    ),
  RUNNER_CAPACITY_WAIT_S: z.coerce
    .number()
    .min(0)
    .max(60)
    .default(DEFAULT_CAPACITY_WAIT_MS / 1000)
    .describe(
      'Seconds a call may wait for room on a full server before it is refused as course busy (503); 0 refuses at once.',
    ),
  RUNNER_TIMEOUT_CAP_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(900)
    .default(60)
    .describe(
      'The longest timeout the server runs, whatever a function asks for (Lambda allows 900 s).',
    ),
  RUNNER_IDLE_TTL_S: z.coerce
    .number()
    .int()
    .min(1)
    .default(300)
    .describe('Seconds an idle environment is kept warm before it is reclaimed.'),
  LAMBDA_CODE_STORAGE_MB_PER_WORKSPACE: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_CODE_STORAGE_MB_PER_WORKSPACE)
    .describe('Zipped code (function packages and layer versions) one learner may store, in MB.'),
  LAMBDA_UNZIPPED_STORAGE_MB_PER_WORKSPACE: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_UNZIPPED_STORAGE_MB_PER_WORKSPACE)
    .describe('Unzipped code one learner may store, merged layer folders included, in MB.'),
  LAMBDA_HISTORY_RECORDS_PER_WORKSPACE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(DEFAULT_HISTORY_RECORDS_PER_WORKSPACE)
    .describe('Invocation records one learner keeps across all functions; the oldest go first.'),
  LAMBDA_ASYNC_EVENTS_PER_WORKSPACE: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_ASYNC_EVENTS_PER_WORKSPACE)
    .describe('Asynchronous (Event) invocations one learner may have queued or running.'),
  LAMBDA_ASYNC_QUEUE_MB_PER_WORKSPACE: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_ASYNC_QUEUE_MB_PER_WORKSPACE)
    .describe("Payload MB of one learner's queued and running Event invocations."),
  LAMBDA_ASYNC_EVENTS: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_ASYNC_EVENTS_PER_SERVER)
    .describe('Event invocations queued or running across the server.'),
  LAMBDA_ASYNC_QUEUE_MB: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_ASYNC_QUEUE_MB_PER_SERVER)
    .describe('Payload MB of all queued and running Event invocations on the server.'),
  HTTP_MAX_CONNECTIONS: z.coerce
    .number()
    .int()
    .min(1)
    .default(4096)
    .describe('HTTP connections open at once in all; more are closed as they arrive.'),
  HTTP_MAX_CONNECTIONS_PER_CLIENT: z.coerce
    .number()
    .int()
    .min(1)
    .default(256)
    .describe('HTTP connections open at once from one client address (an IPv6 client is its /64).'),
  HTTP_CLIENT_RATE: z.coerce
    .number()
    .positive()
    .default(100)
    .describe('Requests per second one client address may sustain (static files are not counted).'),
  HTTP_CLIENT_BURST: z.coerce
    .number()
    .int()
    .min(1)
    .default(500)
    .describe('Requests one client address may send at once before HTTP_CLIENT_RATE applies.'),
  HTTP_WORKSPACE_RATE: z.coerce
    .number()
    .positive()
    .default(50)
    .describe(
      "Requests per second one workspace may sustain on the Lambda API and the app's JSON API.",
    ),
  HTTP_WORKSPACE_BURST: z.coerce
    .number()
    .int()
    .min(1)
    .default(200)
    .describe('Requests one workspace may send at once before HTTP_WORKSPACE_RATE applies.'),
  HTTP_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .describe(
      "Set behind a reverse proxy: the client address is then the last X-Forwarded-For entry, not the connection's peer.",
    ),
});

export interface RunnerConfig {
  sandbox: 'auto' | 'bwrap' | 'none';
  allowUnsandboxed: boolean;
  maxEnvironments: number;
  maxMemoryMb: number;
  maxEnvironmentsPerWorkspace: number;
  maxMemoryMbPerWorkspace: number;
  /** How long a call may wait for room before it is refused as course busy. */
  capacityWaitMs: number;
  timeoutCapSeconds: number;
  idleTtlMs: number;
}

/** Where the HTTP server listens, and the limits it applies before a request reaches the app. */
export interface HttpEdgeConfig {
  port: number;
  maxConnections: number;
  maxConnectionsPerClient: number;
  clientRate: { ratePerSecond: number; burst: number };
  workspaceRate: { ratePerSecond: number; burst: number };
  trustProxy: boolean;
}

/** Quotas of lib/lambda (lib/lambda/quotas.ts), in bytes where they are sizes. */
export interface LambdaConfig {
  codeStorageBytesPerWorkspace: number;
  unzippedStorageBytesPerWorkspace: number;
  historyRecordsPerWorkspace: number;
  asyncEventsPerWorkspace: number;
  asyncQueueBytesPerWorkspace: number;
  asyncEventsPerServer: number;
  asyncQueueBytesPerServer: number;
}

export interface AppConfig {
  port: number;
  dataDir: string;
  sessionSecret: string;
  runner: RunnerConfig;
  lambda: LambdaConfig;
}

const MB = 1024 * 1024;

/** The file a generated session secret is kept in, inside the data directory. */
export const SESSION_SECRET_FILE = 'session-secret';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parseEnvironment(env: Record<string, string | undefined>): z.infer<typeof envSchema> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * RUNNER_SANDBOX alone, validated as loadConfig validates it, for tools that
 * run learner code outside the server (content:check) and must choose as it does.
 */
export function loadSandboxSetting(
  env: Record<string, string | undefined> = process.env,
): RunnerConfig['sandbox'] {
  return parseEnvironment(env).RUNNER_SANDBOX;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const data = parseEnvironment(env);
  // One learner's caps must fit on the server: the protected shares are what the server holds beyond them.
  if (data.RUNNER_MAX_ENVIRONMENTS_PER_WORKSPACE > data.RUNNER_MAX_ENVIRONMENTS)
    throw new ConfigError(
      `Invalid configuration:\n  RUNNER_MAX_ENVIRONMENTS_PER_WORKSPACE (${data.RUNNER_MAX_ENVIRONMENTS_PER_WORKSPACE}) is more than RUNNER_MAX_ENVIRONMENTS (${data.RUNNER_MAX_ENVIRONMENTS}): one learner's cap must fit on the server.`,
    );
  if (data.RUNNER_MAX_MEMORY_MB_PER_WORKSPACE > data.RUNNER_MAX_MEMORY_MB)
    throw new ConfigError(
      `Invalid configuration:\n  RUNNER_MAX_MEMORY_MB_PER_WORKSPACE (${data.RUNNER_MAX_MEMORY_MB_PER_WORKSPACE}) is more than RUNNER_MAX_MEMORY_MB (${data.RUNNER_MAX_MEMORY_MB}): one learner's cap must fit on the server.`,
    );
  const dataDir = path.resolve(data.DATA_DIR);
  return {
    port: data.PORT,
    dataDir,
    sessionSecret: data.SESSION_SECRET ?? readOrCreateSecret(dataDir),
    runner: {
      sandbox: data.RUNNER_SANDBOX,
      allowUnsandboxed: data.RUNNER_ALLOW_UNSANDBOXED === 'true',
      maxEnvironments: data.RUNNER_MAX_ENVIRONMENTS,
      maxMemoryMb: data.RUNNER_MAX_MEMORY_MB,
      maxEnvironmentsPerWorkspace: data.RUNNER_MAX_ENVIRONMENTS_PER_WORKSPACE,
      maxMemoryMbPerWorkspace: data.RUNNER_MAX_MEMORY_MB_PER_WORKSPACE,
      capacityWaitMs: data.RUNNER_CAPACITY_WAIT_S * 1000,
      timeoutCapSeconds: data.RUNNER_TIMEOUT_CAP_S,
      idleTtlMs: data.RUNNER_IDLE_TTL_S * 1000,
    },
    lambda: {
      codeStorageBytesPerWorkspace: data.LAMBDA_CODE_STORAGE_MB_PER_WORKSPACE * MB,
      unzippedStorageBytesPerWorkspace: data.LAMBDA_UNZIPPED_STORAGE_MB_PER_WORKSPACE * MB,
      historyRecordsPerWorkspace: data.LAMBDA_HISTORY_RECORDS_PER_WORKSPACE,
      asyncEventsPerWorkspace: data.LAMBDA_ASYNC_EVENTS_PER_WORKSPACE,
      asyncQueueBytesPerWorkspace: data.LAMBDA_ASYNC_QUEUE_MB_PER_WORKSPACE * MB,
      asyncEventsPerServer: data.LAMBDA_ASYNC_EVENTS,
      asyncQueueBytesPerServer: data.LAMBDA_ASYNC_QUEUE_MB * MB,
    },
  };
}

/** The HTTP edge's limits alone: unlike loadConfig, it reads no file and writes none. */
export function loadHttpEdgeConfig(
  env: Record<string, string | undefined> = process.env,
): HttpEdgeConfig {
  const data = parseEnvironment(env);
  return {
    port: data.PORT,
    maxConnections: data.HTTP_MAX_CONNECTIONS,
    maxConnectionsPerClient: data.HTTP_MAX_CONNECTIONS_PER_CLIENT,
    clientRate: { ratePerSecond: data.HTTP_CLIENT_RATE, burst: data.HTTP_CLIENT_BURST },
    workspaceRate: { ratePerSecond: data.HTTP_WORKSPACE_RATE, burst: data.HTTP_WORKSPACE_BURST },
    trustProxy: data.HTTP_TRUST_PROXY === 'true',
  };
}

/** A secret that survives restarts, so learners keep their workspace. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, SESSION_SECRET_FILE);
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
