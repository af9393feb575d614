import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Server configuration from environment variables, validated once at start-up.
 * Every variable has a safe default so `npm start` works with none set; the
 * README documents each one.
 */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000).describe('The port the server listens on.'),
  DATA_DIR: z.string().min(1).default('./.data').describe('Where the database and the generated session secret live.'),
  SESSION_SECRET: z
    .string()
    .min(32, 'SESSION_SECRET must be at least 32 characters; generate one with `openssl rand -hex 32`')
    .optional()
    .describe('Signs learner cookies. When unset, one is generated into DATA_DIR/session-secret and reused.'),
  RUNNER_SANDBOX: z
    .enum(['auto', 'bwrap', 'none'])
    .default('auto')
    .describe('How learner code is contained: bwrap (bubblewrap namespaces), none (plain processes), or auto (bwrap when it works here).'),
  RUNNER_ALLOW_UNSANDBOXED: z
    .enum(['true', 'false'])
    .default('false')
    .describe('Lets a production server run learner code without bubblewrap. Never set this on a shared server.'),
  RUNNER_MAX_ENVIRONMENTS: z.coerce.number().int().min(1).max(1000).default(32).describe('Execution environments alive at once on the server.'),
  RUNNER_MAX_MEMORY_MB: z.coerce.number().int().min(128).default(16_384).describe('Memory configured across all live environments, in MB.'),
  RUNNER_MAX_ENVIRONMENTS_PER_WORKSPACE: z.coerce.number().int().min(1).max(1000).default(12).describe('Execution environments alive at once for one learner.'),
  RUNNER_MAX_MEMORY_MB_PER_WORKSPACE: z.coerce.number().int().min(128).default(12_288).describe('Memory configured across one learner\'s live environments, in MB.'),
  RUNNER_TIMEOUT_CAP_S: z.coerce.number().int().min(1).max(900).default(60).describe('The longest timeout the server runs, whatever a function asks for (Lambda allows 900 s).'),
  RUNNER_IDLE_TTL_S: z.coerce.number().int().min(1).default(300).describe('Seconds an idle environment is kept warm before it is reclaimed.'),
});

export interface RunnerConfig {
  sandbox: 'auto' | 'bwrap' | 'none';
  allowUnsandboxed: boolean;
  maxEnvironments: number;
  maxMemoryMb: number;
  maxEnvironmentsPerWorkspace: number;
  maxMemoryMbPerWorkspace: number;
  timeoutCapSeconds: number;
  idleTtlMs: number;
}

export interface AppConfig {
  port: number;
  dataDir: string;
  sessionSecret: string;
  runner: RunnerConfig;
}

/** The file a generated session secret is kept in, inside the data directory. */
export const SESSION_SECRET_FILE = 'session-secret';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  return {
    port: parsed.data.PORT,
    dataDir,
    sessionSecret: parsed.data.SESSION_SECRET ?? readOrCreateSecret(dataDir),
    runner: {
      sandbox: parsed.data.RUNNER_SANDBOX,
      allowUnsandboxed: parsed.data.RUNNER_ALLOW_UNSANDBOXED === 'true',
      maxEnvironments: parsed.data.RUNNER_MAX_ENVIRONMENTS,
      maxMemoryMb: parsed.data.RUNNER_MAX_MEMORY_MB,
      maxEnvironmentsPerWorkspace: parsed.data.RUNNER_MAX_ENVIRONMENTS_PER_WORKSPACE,
      maxMemoryMbPerWorkspace: parsed.data.RUNNER_MAX_MEMORY_MB_PER_WORKSPACE,
      timeoutCapSeconds: parsed.data.RUNNER_TIMEOUT_CAP_S,
      idleTtlMs: parsed.data.RUNNER_IDLE_TTL_S * 1000,
    },
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
