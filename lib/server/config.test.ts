import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SESSION_SECRET_FILE } from './config';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'config-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('loadConfig', () => {
  it('defaults to port 3000 and generates a session secret that survives restarts', () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    expect(first.port).toBe(3000);
    expect(first.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(path.join(dataDir, SESSION_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: dataDir }).sessionSecret).toBe(first.sessionSecret);
  });

  it('takes PORT and SESSION_SECRET from the environment without writing a secret file', () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '8080', SESSION_SECRET: 's'.repeat(32) });
    expect(config).toMatchObject({ port: 8080, sessionSecret: 's'.repeat(32), dataDir });
    expect(() => readFileSync(path.join(dataDir, SESSION_SECRET_FILE))).toThrow();
  });

  it('reads the Lambda quotas in MB and gives them in bytes, with the course defaults', () => {
    const dataDir = tempDir();
    expect(loadConfig({ DATA_DIR: dataDir }).lambda).toMatchObject({
      codeStorageBytesPerWorkspace: 256 * 1024 * 1024,
      historyRecordsPerWorkspace: 300,
      asyncEventsPerWorkspace: 20,
    });
    const config = loadConfig({
      DATA_DIR: dataDir,
      LAMBDA_UNZIPPED_STORAGE_MB_PER_WORKSPACE: '2048',
      LAMBDA_ASYNC_QUEUE_MB: '8',
    });
    expect(config.lambda).toMatchObject({
      unzippedStorageBytesPerWorkspace: 2048 * 1024 * 1024,
      asyncQueueBytesPerServer: 8 * 1024 * 1024,
    });
    expect(() =>
      loadConfig({ DATA_DIR: dataDir, LAMBDA_HISTORY_RECORDS_PER_WORKSPACE: '0' }),
    ).toThrow(/LAMBDA_HISTORY_RECORDS_PER_WORKSPACE/);
  });

  it('fails fast with a message naming each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', SESSION_SECRET: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty', SESSION_SECRET: 'short' })).toThrow(
      /PORT: .*\n.*SESSION_SECRET: SESSION_SECRET must be at least 32/,
    );
  });
});
