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
});

export interface AppConfig {
  port: number;
  dataDir: string;
  sessionSecret: string;
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
