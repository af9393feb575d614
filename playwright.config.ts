import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

/** Debian's Chromium where it is installed (CI installs it); Playwright's own browser elsewhere. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const E2E_PORT = 3210;
const dataDir = path.join(import.meta.dirname, 'e2e/.tmp/data');

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined,
      // Without these, Chromium reaches for Google services the test machine cannot reach.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  // The production build `npm test` made, behind the same server as `npm start`; a fresh database each run.
  webServer: {
    command: `rm -rf "${dataDir}" && node --import tsx/esm server.ts --hostname 127.0.0.1 --port ${E2E_PORT}`,
    url: `http://127.0.0.1:${E2E_PORT}/`,
    env: { DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' },
    reuseExistingServer: false,
    timeout: 60_000,
    // SIGTERM, so the server ends its execution environments; Playwright's default SIGKILL would leave idle ones frozen for the next server to clean up.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});
