import { expect, lessonPaths, test } from './fixtures';

test('a learner goes from the home page to the first lesson and on to the next', async ({
  page,
}) => {
  const lessons = await lessonPaths(page);
  expect(lessons.length).toBeGreaterThan(1);

  await page.goto('/');
  await page.getByRole('link', { name: /^Start with:/ }).click();
  await expect(page).toHaveURL(lessons[0]!);
  const firstTitle = await page.getByRole('heading', { level: 1 }).textContent();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText(firstTitle!);
  await expect(
    page
      .getByRole('navigation', { name: 'Course contents' })
      .getByRole('link', { name: firstTitle! }),
  ).toHaveAttribute('aria-current', 'page');

  await page
    .getByRole('navigation', { name: 'Previous and next lesson' })
    .getByRole('link', { name: /Next/ })
    .click();
  await expect(page).toHaveURL(lessons[1]!);
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(firstTitle!);
  await expect(page.getByRole('link', { name: /Previous/ })).toContainText(firstTitle!);
});

test('the home page offers to resume the last lesson visited', async ({ page }) => {
  const lessons = await lessonPaths(page);
  await page.goto(lessons[2]!);
  const title = await page.getByRole('heading', { level: 1 }).textContent();
  // The visit is saved in the background once progress has loaded.
  await expect(page.getByRole('button', { name: 'Mark complete' })).toBeEnabled();
  await expect
    .poll(async () => (await (await page.request.get('/api/progress')).json()).lastLesson?.lessonId)
    .toBe(lessons[2]!.replace('/learn/', ''));

  await page.goto('/');
  await expect(page.getByRole('link', { name: `Resume: ${title}`, exact: true })).toHaveAttribute(
    'href',
    lessons[2]!,
  );
});

test('the table of contents jumps to a section', async ({ page }) => {
  // The side column with "On this page" shows from 1,536 px; narrower, it folds into the lesson.
  await page.setViewportSize({ width: 1600, height: 900 });
  const lessons = await lessonPaths(page);
  await page.goto(lessons[1]!);
  const toc = page.getByRole('navigation', { name: 'On this page' });
  const firstEntry = toc.getByRole('link').first();
  const target = (await firstEntry.getAttribute('href'))!;
  await firstEntry.click();
  await expect(page).toHaveURL(new RegExp(`${target}$`));
  await expect(page.locator(target)).toBeInViewport();
});

test('the skip link moves keyboard focus to the main content', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main-content')).toBeFocused();
});

test('unknown pages answer 404 with a way back', async ({ page }) => {
  for (const path of ['/no-such-page', '/learn/no-such-module', '/learn/hosting/no-such-lesson']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'This page is not in the course',
    );
  }
  await page.getByRole('link', { name: 'Go to the course home' }).click();
  await expect(page).toHaveURL('/');
});
