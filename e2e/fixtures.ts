import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';

/**
 * Every test's page refuses requests that leave the app's origin and records
 * them, so a test can assert the course works with no internet.
 */
export const test = base.extend<{ offOriginRequests: string[] }>({
  offOriginRequests: async ({ context, baseURL }, use) => {
    const origin = new URL(baseURL!).origin;
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    await use(blocked);
  },
  page: async ({ page, offOriginRequests }, use) => {
    void offOriginRequests;
    await use(page);
  },
});
export { expect };

/** Every page a learner can reach from the home page, found by following links as they would. */
export async function discoverCoursePages(page: Page): Promise<string[]> {
  await page.goto('/');
  const hrefs = await page.locator('a[href^="/"]').evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
  const pages = new Set(['/', '/progress', ...hrefs.map((href) => href.split('#')[0]!)]);
  return [...pages].sort();
}

/** The lesson pages, in course order, as the home page lists them. */
export async function lessonPaths(page: Page): Promise<string[]> {
  await page.goto('/');
  const hrefs = await page.locator('main ol a[href^="/learn/"]').evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
  return [...new Set(hrefs.filter((href) => href.split('/').length === 4))];
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts another production server on its own port and data directory, for
 * tests that restart the server. It listens on 127.0.0.1 only.
 */
export async function startServer(port: number, dataDir: string): Promise<RunningServer> {
  const child: ChildProcess = spawn(path.join('node_modules', '.bin', 'next'), ['start', '--hostname', '127.0.0.1', '--port', String(port)], {
    env: { ...process.env, DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null) throw new Error(`The server on port ${port} exited with ${child.exitCode}.`);
    if (Date.now() > deadline) throw new Error(`The server on port ${port} did not start within 30 s.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function temporaryDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'course-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
