import type { BrowserContext, Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** A lesson with several sections and code blocks. */
const LESSON = '/learn/lambda/launching-a-function';

async function allowClipboard(context: BrowserContext): Promise<void> {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
}

const clipboardText = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/** The value shown beside a label on the keys page. */
const keyValue = (page: Page, label: string) =>
  page
    .locator('dt', { hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]')
    .locator('code');

/**
 * "On this page" as the reader sees it: the side column on wide screens, or,
 * where that is hidden, the folded list inside the lesson, opened.
 */
async function tableOfContents(page: Page): Promise<Locator> {
  const side = page.getByRole('complementary', { name: 'On this page' });
  if (!(await side.isVisible())) await page.locator('summary', { hasText: 'On this page' }).click();
  return page.getByRole('navigation', { name: 'On this page' }).filter({ visible: true });
}

test.describe('the AWS keys page', () => {
  test('hides the secret access key until Show is pressed', async ({ page }) => {
    const keys = await (await page.request.get('/api/workspace/credentials')).json();
    await page.goto('/account');
    await expect(page.getByText('Access key ID', { exact: true })).toBeVisible();
    await expect(keyValue(page, 'Access key ID')).toHaveText(keys.accessKeyId);

    const show = page.getByRole('button', { name: 'Show secret access key' });
    await expect(show).toHaveAttribute('aria-pressed', 'false');
    await expect(keyValue(page, 'Secret access key')).toContainText('hidden');
    // Nowhere on the page: not beside its label, not inside the commands.
    await expect(page.locator('main')).not.toContainText(keys.secretAccessKey);

    await show.click();
    await expect(show).toHaveAttribute('aria-pressed', 'true');
    await expect(keyValue(page, 'Secret access key')).toHaveText(keys.secretAccessKey);
    await expect(page.locator('pre', { hasText: 'aws_secret_access_key' })).toContainText(
      keys.secretAccessKey,
    );

    await show.click();
    await expect(show).toHaveAttribute('aria-pressed', 'false');
    await expect(page.locator('main')).not.toContainText(keys.secretAccessKey);
  });

  test('copies a value, and a command with the real secret even while it is hidden', async ({
    page,
    context,
  }) => {
    await allowClipboard(context);
    const keys = await (await page.request.get('/api/workspace/credentials')).json();
    await page.goto('/account');

    const copyKeyId = page.getByRole('button', { name: 'Copy access key ID' });
    await copyKeyId.click();
    await expect.poll(() => clipboardText(page)).toBe(keys.accessKeyId);
    await expect(copyKeyId).toContainText('Copied');
    await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toHaveCount(1);

    // By keyboard, too.
    await page.getByRole('button', { name: 'Copy profile commands' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => clipboardText(page))
      .toContain(
        `aws configure set aws_secret_access_key ${keys.secretAccessKey} --profile course`,
      );

    const list = page.getByRole('button', { name: 'Copy list-functions command' });
    await list.click();
    await expect
      .poll(() => clipboardText(page))
      .toBe(`aws lambda list-functions --endpoint-url ${keys.lambdaEndpoint} --profile course`);
  });

  test("names this server's own endpoint in the commands", async ({ page, baseURL }) => {
    await page.goto('/account');
    await expect(keyValue(page, 'Lambda endpoint')).toHaveText(`${baseURL}/aws/lambda`);
    await expect(page.locator('pre', { hasText: 'aws lambda list-functions' })).toHaveText(
      `aws lambda list-functions --endpoint-url ${baseURL}/aws/lambda --profile course`,
    );
  });

  test.describe('on a 375 px phone', () => {
    test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

    test('long commands wrap instead of running off the screen', async ({ page }) => {
      await page.goto('/account');
      await expect(page.getByText('Access key ID', { exact: true })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        375,
      );
      for (const pre of await page.locator('main pre').all()) {
        const { scrollWidth, clientWidth } = await pre.evaluate((element) => ({
          scrollWidth: element.scrollWidth,
          clientWidth: element.clientWidth,
        }));
        expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
      }
    });
  });
});

test.describe('reading a lesson', () => {
  test("a code block's Copy button copies its code", async ({ page, context }) => {
    await allowClipboard(context);
    await page.goto(LESSON);
    const block = page.locator('[data-code-block]').first();
    const code = (await block.locator('pre').textContent())!.replace(/\n$/, '');
    expect(code.length).toBeGreaterThan(0);

    const copy = block.getByRole('button', { name: 'Copy code' });
    await copy.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => clipboardText(page)).toBe(code);
    await expect(copy).toContainText('Copied');
    await expect(block.getByRole('status')).toHaveText('Copied');
  });

  test.describe('with the side column shown', () => {
    test.use({ viewport: { width: 1600, height: 900 } });

    test('the table of contents marks the section scrolled to', async ({ page }) => {
      await page.goto(LESSON);
      const toc = await tableOfContents(page);
      const links = toc.getByRole('link');
      const hrefs = await links.evaluateAll((all) => all.map((a) => a.getAttribute('href')!));
      expect(hrefs.length).toBeGreaterThan(4);
      const current = toc.locator('a[aria-current="location"]');
      // At the top of the page no section has been reached yet.
      await expect(current).toHaveCount(0);

      // A jump marks the section jumped to.
      await links.nth(2).click();
      await expect(current).toHaveAttribute('href', hrefs[2]!);
      await expect(current).toHaveCount(1);

      // Reading on: the mark follows the scroll to a later section, whose heading has risen
      // into the upper half of the screen while the next one is still below the header.
      await page.mouse.move(800, 450);
      await page.mouse.wheel(0, 1500);
      await expect
        .poll(async () => hrefs.indexOf((await current.getAttribute('href'))!))
        .toBeGreaterThan(2);
      const index = hrefs.indexOf((await current.getAttribute('href'))!);
      const top = (href: string) =>
        page.locator(href).evaluate((heading) => heading.getBoundingClientRect().top);
      expect(await top(hrefs[index]!)).toBeLessThan(450);
      if (index + 1 < hrefs.length) expect(await top(hrefs[index + 1]!)).toBeGreaterThan(60);

      // And back to the top: nothing is marked.
      await page.evaluate(() => window.scrollTo(0, 0));
      await expect(current).toHaveCount(0);
    });
  });

  for (const { name, viewport } of [
    { name: 'on a wide screen', viewport: { width: 1280, height: 720 } },
    { name: 'on a phone', viewport: { width: 375, height: 740 } },
  ]) {
    test.describe(name, () => {
      test.use({ viewport });

      test('a jump to a heading leaves it in view below the sticky header', async ({ page }) => {
        await page.goto(LESSON);
        const toc = await tableOfContents(page);
        const link = toc.getByRole('link').nth(3);
        const href = (await link.getAttribute('href'))!;
        await link.click();
        await expect(page).toHaveURL(new RegExp(`${href}$`));

        const header = await page.getByRole('banner').boundingBox();
        const heading = page.locator(href);
        await expect(heading).toBeInViewport();
        await expect
          .poll(async () => (await heading.boundingBox())!.y)
          .toBeGreaterThanOrEqual(header!.y + header!.height);

        // The page's own anchors too.
        await page.goto(`${LESSON}#references`);
        const references = await page.locator('#references').boundingBox();
        const headerNow = await page.getByRole('banner').boundingBox();
        expect(references!.y).toBeGreaterThanOrEqual(headerNow!.y + headerNow!.height);
      });
    });
  }
});
