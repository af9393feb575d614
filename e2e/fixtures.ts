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
      if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin)
        return route.continue();
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
export { startServer } from '../scripts/server-process';

/** Every page a learner can reach from the home page, found by following links as they would. */
export async function discoverCoursePages(page: Page): Promise<string[]> {
  await page.goto('/');
  const hrefs = await page
    .locator('a[href^="/"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
  const pages = new Set(['/', '/progress', ...hrefs.map((href) => href.split('#')[0]!)]);
  return [...pages].sort();
}

/** The lesson pages, in course order, as the home page lists them. */
export async function lessonPaths(page: Page): Promise<string[]> {
  await page.goto('/');
  const hrefs = await page
    .locator('main ol a[href^="/learn/"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
  return [...new Set(hrefs.filter((href) => href.split('/').length === 4))];
}

export function temporaryDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'course-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
