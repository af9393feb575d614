import { expect, lessonPaths, startServer, temporaryDataDir, test } from './fixtures';

test('marking a lesson complete survives a reload and shows in the course lists', async ({
  page,
}) => {
  const [lesson] = await lessonPaths(page);
  await page.goto(lesson!);
  const title = (await page.getByRole('heading', { level: 1 }).textContent())!;
  await page.getByRole('button', { name: 'Mark complete' }).click();
  await expect(page.getByRole('button', { name: '✓ Completed' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  await page.reload();
  await expect(page.getByRole('button', { name: '✓ Completed' })).toBeVisible();
  await expect(
    page
      .getByRole('navigation', { name: 'Course contents' })
      .getByRole('link', { name: `${title} (completed)` }),
  ).toBeVisible();

  await page.goto('/');
  await expect(page.getByText(/^1 of \d+ lessons completed$/)).toBeVisible();
  await expect(page.getByRole('link', { name: /^Continue with:|^Resume:/ })).toBeVisible();
});

test('progress survives a server restart', async ({ browser }) => {
  const data = temporaryDataDir();
  let server = await startServer(3211 + test.info().parallelIndex, data.dir);
  // This server has its own origin, so the test uses a context of its own.
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/`);
    const lesson = await page
      .locator('main a[href^="/learn/"]')
      .evaluateAll((links) =>
        links.map((l) => l.getAttribute('href')!).find((href) => href.split('/').length === 4),
      );
    await page.goto(`${server.url}${lesson}`);
    await page.getByRole('button', { name: 'Mark complete' }).click();
    await expect(page.getByRole('button', { name: '✓ Completed' })).toBeVisible();

    await server.stop();
    server = await startServer(3211 + test.info().parallelIndex, data.dir);
    await page.goto(`${server.url}${lesson}`);
    await expect(page.getByRole('button', { name: '✓ Completed' })).toBeVisible();
  } finally {
    await context.close();
    await server.stop();
    data.remove();
  }
});

test('a quiz answer is graded, explained and remembered', async ({ page }) => {
  // The welcome lesson's first quiz; its right answer is "Init Duration" (e2e/quiz.spec.ts has the retries).
  await page.goto('/learn/hosting/welcome');
  // Progress has loaded (so the page is hydrated and the learner known) once this is enabled.
  await expect(page.getByRole('button', { name: 'Mark complete' })).toBeEnabled();
  const quiz = page.locator('[data-quiz="which-field-only-on-cold-start"]');
  await quiz.getByRole('button', { name: 'Check answer' }).click();
  await expect(quiz.getByRole('status')).toHaveText('Choose an answer first.');

  await quiz.getByRole('radio', { name: 'Init Duration' }).check();
  await quiz.getByRole('button', { name: 'Check answer' }).click();
  await expect(quiz.getByRole('status')).toHaveText('Correct!');
  await expect(quiz.getByText('Correct answer', { exact: true })).toBeVisible();
  await expect(quiz.getByText('Explanation', { exact: true })).toBeVisible();

  await page.reload();
  const reloaded = page.locator('[data-quiz="which-field-only-on-cold-start"]');
  await expect(reloaded.getByRole('radio', { name: 'Init Duration' })).toBeChecked();
  await expect(reloaded.getByRole('status')).toHaveText('You answered this correctly before.');
  await expect(reloaded.getByText('Explanation', { exact: true })).toBeVisible();
});

test('progress moves to another browser through an export file', async ({
  page,
  browser,
  baseURL,
}) => {
  const [lesson] = await lessonPaths(page);
  await page.goto(lesson!);
  await page.getByRole('button', { name: 'Mark complete' }).click();
  await expect(page.getByRole('button', { name: '✓ Completed' })).toBeVisible();

  // The learner's own code in a lab, typed into Monaco as in code-lab.spec.ts, then autosaved.
  const labPage = '/learn/lambda/launching-a-function';
  const labSelector = '[data-lab="lambda/first-handler"]';
  await page.goto(labPage);
  const lab = page.locator(labSelector);
  await lab.scrollIntoViewIfNeeded();
  const editor = lab.getByRole('tabpanel').locator('.monaco-editor');
  await expect(editor).toBeVisible({ timeout: 30_000 });
  await editor.click({ position: { x: 120, y: 30 } });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(
    "export const handler = async () => ({ statusCode: 200, body: 'moved by the e2e test' });",
  );
  await page.keyboard.press('Shift+ControlOrMeta+End');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Escape');
  await expect(lab.getByText('Saved', { exact: true })).toBeVisible({ timeout: 10_000 });

  await page.goto('/progress');
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download my progress' }).click();
  const file = await (await downloadPromise).path();

  const other = await browser.newContext({ baseURL });
  try {
    const otherPage = await other.newPage();
    await otherPage.goto('/progress');
    await expect(otherPage.getByText(/^0 of \d+ lessons completed$/)).toBeVisible();
    await otherPage.getByLabel('Import a progress file').setInputFiles(file);
    await expect(
      otherPage.getByText(
        'Imported 1 completed lesson and 1 saved lab. A lesson already open in another tab shows the imported code once you reload it.',
        { exact: true },
      ),
    ).toBeVisible();
    await expect(otherPage.getByText(/^1 of \d+ lessons completed$/)).toBeVisible();

    // The lab opens with the code from the first browser, not the starter.
    await otherPage.goto(labPage);
    const otherLab = otherPage.locator(labSelector);
    await otherLab.scrollIntoViewIfNeeded();
    await expect(otherLab.getByRole('tabpanel').locator('.view-lines')).toContainText(
      'moved by the e2e test',
      { timeout: 30_000 },
    );
    await expect(otherLab.getByText('Saved', { exact: true })).toBeVisible();

    // Importing the same file again adds nothing and says so.
    await otherPage.goto('/progress');
    await otherPage.getByLabel('Import a progress file').setInputFiles(file);
    await expect(
      otherPage.getByText(
        'Nothing new was imported. Already in this browser, and kept as they were: 1 completed lesson and 1 saved lab.',
        { exact: true },
      ),
    ).toBeVisible();

    await otherPage.getByLabel('Import a progress file').setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format":"other"}'),
    });
    await expect(
      otherPage.getByText('This file is not a progress export from this course.', { exact: true }),
    ).toBeVisible();
    await otherPage.getByLabel('Import a progress file').setInputFiles({
      name: 'newer.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format":"serverless-course-progress","version":3}'),
    });
    await expect(
      otherPage.getByText(
        'This file comes from a newer version of the course (version 3); this course reads versions 1 and 2.',
        { exact: true },
      ),
    ).toBeVisible();
  } finally {
    await other.close();
  }
});

test('the progress API answers bad input with specific errors', async ({ request }) => {
  const bad = await request.put('/api/progress/completions', {
    data: { lessonId: 'hosting/welcome', completed: 'yes' },
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.message).toMatch(/"completed": .*boolean/);

  const unknown = await request.put('/api/progress/completions', {
    data: { lessonId: 'hosting/not-a-lesson', completed: true },
  });
  expect(unknown.status()).toBe(404);

  const notJson = await request.post('/api/progress/import', {
    headers: { 'content-type': 'application/json' },
    data: Buffer.from('{oops'),
  });
  expect(notJson.status()).toBe(400);
  expect((await notJson.json()).error.message).toMatch(/not valid JSON/);

  const forged = await request.get('/api/progress', { headers: { cookie: 'learner=forged.1.x' } });
  expect(forged.status()).toBe(200);
  expect(forged.headers()['set-cookie']).toMatch(/^learner=.*HttpOnly; SameSite=Lax/);
});
