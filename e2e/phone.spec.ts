import { discoverCoursePages, expect, test } from './fixtures';

test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

test('no page scrolls sideways on a 375 px phone', async ({ page }) => {
  test.setTimeout(120_000);
  const wide: string[] = [];
  for (const path of await discoverCoursePages(page)) {
    await page.goto(path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 375) wide.push(`${path}: ${width}px`);
  }
  expect(wide).toEqual([]);
});

test('on a phone the course contents fold away and open on demand', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: /^Start with:/ }).click();
  const nav = page.getByRole('navigation', { name: 'Course contents' });
  await expect(nav).toBeHidden();
  await page.getByText('Course contents').click();
  await expect(nav).toBeVisible();
  await expect(page.getByRole('button', { name: 'Mark complete' })).toBeVisible();
});
