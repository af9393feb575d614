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
  const [lesson] = await lessonPaths(page);
  await page.goto(lesson!);
  const quiz = page.locator('[data-quiz]').first();
  await quiz.getByRole('button', { name: 'Check answer' }).click();
  await expect(quiz.getByRole('status')).toHaveText(/Choose an answer first|Select every answer/);

  // Pick the first choice: right or wrong, the server grades it and the key is revealed.
  await quiz.locator('input').first().check();
  await quiz.getByRole('button', { name: 'Check answer' }).click();
  await expect(quiz.getByRole('status')).toHaveText(/^(Correct!|Not quite)/);
  await expect(quiz.getByText('Correct answer').first()).toBeVisible();
  const verdict = await quiz.getByRole('status').textContent();

  await page.reload();
  const reloaded = page.locator('[data-quiz]').first();
  await expect(reloaded.locator('input').first()).toBeChecked();
  await expect(reloaded.getByRole('status')).toHaveText(
    verdict!.startsWith('Correct')
      ? 'You answered this correctly before.'
      : /Your last answer was not right/,
  );
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

  await page.goto('/progress');
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download my progress' }).click();
  const file = await (await downloadPromise).path();

  const other = await browser.newContext({ baseURL });
  const otherPage = await other.newPage();
  await otherPage.goto('/progress');
  await expect(otherPage.getByText(/^0 of \d+ lessons completed$/)).toBeVisible();
  await otherPage.getByLabel('Import a progress file').setInputFiles(file);
  await expect(
    otherPage.getByText(/^Imported 1 completed lessons and 0 quiz answers\./),
  ).toBeVisible();
  await expect(otherPage.getByText(/^1 of \d+ lessons completed$/)).toBeVisible();

  await otherPage.getByLabel('Import a progress file').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format":"other"}'),
  });
  await expect(
    otherPage.getByText(/^That file could not be imported: .*is this a course progress file/),
  ).toBeVisible();
  await other.close();
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
