/**
 * `npm run bench:page-weight`: the JavaScript each kind of page ships, as the
 * browser receives it (compressed, as `next start` serves it), measured by
 * loading the production build in Chromium. Run `npm run build` first.
 * Budget (issue 2): a lesson page ships at most 200 KB of compressed JavaScript.
 * A lesson with code labs is measured twice: as it loads (the editor is left
 * out until a lab nears the screen) and once its first lab's editor has loaded.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { startServer } from '../scripts/server-process';

const PORT = 3290;
const BUDGET_KB = 200;
const PAGES = [
  '/',
  '/learn/hosting',
  '/learn/hosting/welcome',
  '/learn/hosting/choosing-where-to-host',
  '/learn/lambda/launching-a-function',
  '/progress',
];
const LAB_PAGE = '/learn/lambda/launching-a-function';

const isLesson = (pagePath: string) => pagePath.split('/').length === 4;

const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-page-weight-'));
// mkdtemp makes it 0700; the sandbox's unprivileged user must be able to pass through it to mount code.
chmodSync(dataDir, 0o711);
const server = await startServer(PORT, dataDir);
const browser = await chromium.launch({
  executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  console.log('page'.padEnd(44), 'JS files', 'compressed KB', 'uncompressed KB');
  const runs = [
    ...PAGES.map((pagePath) => ({ pagePath, withEditor: false })),
    { pagePath: LAB_PAGE, withEditor: true },
  ];
  for (const { pagePath, withEditor } of runs) {
    const page = await browser.newPage();
    const scripts: Promise<{ encoded: number; decoded: number }>[] = [];
    page.on('requestfinished', (request) => {
      if (request.resourceType() !== 'script') return;
      scripts.push(
        Promise.all([request.sizes(), request.response().then((r) => r?.body())]).then(
          ([sizes, body]) => ({
            encoded: sizes.responseBodySize,
            decoded: body?.byteLength ?? 0,
          }),
        ),
      );
    });
    await page.goto(`${server.url}${pagePath}`, { waitUntil: 'networkidle' });
    if (withEditor) {
      await page.locator('[data-lab]').first().scrollIntoViewIfNeeded();
      await page.locator('.monaco-editor').first().waitFor({ timeout: 60_000 });
      await page.waitForLoadState('networkidle');
    }
    const sizes = await Promise.all(scripts);
    const compressed = sizes.reduce((sum, s) => sum + s.encoded, 0) / 1024;
    const uncompressed = sizes.reduce((sum, s) => sum + s.decoded, 0) / 1024;
    const flag =
      isLesson(pagePath) && !withEditor && compressed > BUDGET_KB
        ? `  OVER the ${BUDGET_KB} KB budget`
        : '';
    console.log(
      (withEditor ? `${pagePath} + editor` : pagePath).padEnd(44),
      String(sizes.length).padStart(8),
      compressed.toFixed(1).padStart(13),
      uncompressed.toFixed(1).padStart(15) + flag,
    );
    await page.close();
  }
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
