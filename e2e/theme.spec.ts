import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * Records whether <html> was dark when <body> first appeared, before anything
 * painted: a theme applied later by React would show as a flash.
 */
async function recordThemeAtFirstPaint(page: Page) {
  await page.addInitScript(() => {
    const record = () => {
      (window as unknown as { themeAtFirstPaint: boolean }).themeAtFirstPaint =
        document.documentElement.classList.contains('dark');
    };
    new MutationObserver((_mutations, observer) => {
      if (document.body) {
        record();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
}
const themeAtFirstPaint = (page: Page) =>
  page.evaluate(() => (window as unknown as { themeAtFirstPaint?: boolean }).themeAtFirstPaint);

test('the chosen theme applies at once and from the first paint after a reload', async ({
  page,
}) => {
  await recordThemeAtFirstPaint(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  expect(await themeAtFirstPaint(page)).toBe(false);

  const theme = page.getByRole('group', { name: 'Colour theme' });
  await theme.getByRole('button', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await expect(theme.getByRole('button', { name: 'Dark' })).toHaveAttribute('aria-pressed', 'true');

  await page.reload();
  expect(await themeAtFirstPaint(page)).toBe(true);
  await expect(theme.getByRole('button', { name: 'Dark' })).toHaveAttribute('aria-pressed', 'true');

  await theme.getByRole('button', { name: 'Light' }).click();
  await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
});

test('with no choice made, the theme follows the system from the first paint', async ({ page }) => {
  await recordThemeAtFirstPaint(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  expect(await themeAtFirstPaint(page)).toBe(true);
  await expect(
    page.getByRole('group', { name: 'Colour theme' }).getByRole('button', { name: 'System' }),
  ).toHaveAttribute('aria-pressed', 'true');

  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
});
