import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/*
 * The code labs as a learner uses them: Monaco served by the app (requests
 * off the origin are blocked by the fixtures), the real runner behind Run.
 */

const FIRST_HANDLER = '/learn/lambda/launching-a-function';

const editorOf = (lab: Locator) => lab.getByTestId('lab-editor');

async function openLab(page: Page, path: string, labId: string): Promise<Locator> {
  await page.goto(path);
  const lab = page.locator(`[data-lab="${labId}"]`);
  await lab.scrollIntoViewIfNeeded();
  await expect(editorOf(lab).locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  return lab;
}

/** Replaces the editor's text by typing, as a learner would (one line, so auto-closing brackets cannot add to it). */
async function typeCode(page: Page, lab: Locator, code: string): Promise<void> {
  await editorOf(lab)
    .locator('.monaco-editor')
    .click({ position: { x: 120, y: 30 } });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
  await page.keyboard.press('Shift+ControlOrMeta+End');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Escape');
}

/** Opens one of the panels beside the editor: Output, Event and settings, Burst or Checks. */
async function openTab(lab: Locator, name: string): Promise<void> {
  await lab.getByRole('tab', { name, exact: true }).click();
}

const lastBadge = (lab: Locator) => lab.getByTestId('lab-output').getByText(/^(COLD|WARM)$/);

test('edit in Monaco, run cold then warm, a new environment or a memory change starts cold again, and the code comes back on reload', async ({
  page,
  offOriginRequests,
}) => {
  const notFound: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 404) notFound.push(response.url());
  });
  const lab = await openLab(page, FIRST_HANDLER, 'lambda/first-handler');
  // A lab about the handler, not about memory, offers no sweep.
  await expect(lab.getByRole('button', { name: 'Memory sweep' })).toHaveCount(0);
  await typeCode(
    page,
    lab,
    "export const handler = async (event) => { console.log('typed by the e2e test'); return { statusCode: 200, body: 'ok' }; };",
  );

  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(lastBadge(lab)).toHaveText('COLD', { timeout: 30_000 });
  const log = lab.getByTestId('lab-log');
  await expect(log).toContainText('typed by the e2e test');
  // Laid out, the log shows each line's kind and a short request id; the raw log is Lambda's, byte for byte.
  await expect(log.getByText('REPORT', { exact: true })).toBeVisible();
  await lab.getByRole('button', { name: 'Raw log' }).click();
  await expect(log).toContainText(
    /REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/,
  );
  await expect(lab.getByText('Init Duration', { exact: true }).first()).toBeVisible();

  // The second run, from the keyboard inside the editor, reuses the environment.
  await editorOf(lab)
    .locator('.monaco-editor')
    .click({ position: { x: 120, y: 30 } });
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(lab.getByRole('status')).toHaveText(/warm start/, { timeout: 30_000 });
  await expect(lastBadge(lab)).toHaveText('WARM');
  await expect(log).not.toContainText('Init Duration');

  // "New environment" makes the next run a cold start, and only that one.
  await lab.getByRole('button', { name: 'New environment' }).click();
  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(lab.getByRole('status')).toHaveText(/cold start/, { timeout: 30_000 });
  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(lab.getByRole('status')).toHaveText(/warm start/, { timeout: 30_000 });

  // The settings summary by Run names the loaded event, and opens the settings.
  await lab.getByRole('button', { name: /^Event: A greeting for Ada · 128 MB · 3 s/ }).click();
  await expect(lab.getByLabel('Event', { exact: true })).toHaveValue('A greeting for Ada');
  await lab.getByLabel('Memory (MB)').fill('512');
  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(lab.getByRole('status')).toHaveText(/cold start/, { timeout: 30_000 });
  await expect(lastBadge(lab)).toHaveText('COLD');
  await expect(log).toContainText('Memory Size: 512 MB');
  // Every run so far is in one chart, the cold ones marked.
  await expect(lab.getByRole('img', { name: /Recent invocations/ })).toBeVisible();

  await expect(lab.getByText('Saved', { exact: true })).toBeVisible({ timeout: 10_000 });
  await page.reload();
  const reloaded = page.locator('[data-lab="lambda/first-handler"]');
  await reloaded.scrollIntoViewIfNeeded();
  await expect(editorOf(reloaded).locator('.view-lines')).toContainText('typed by the e2e test', {
    timeout: 30_000,
  });
  // The last run and the chart come back too.
  await openTab(reloaded, 'Output');
  await expect(reloaded.getByTestId('lab-log')).toContainText('Memory Size: 512 MB');
  await expect(reloaded.getByRole('img', { name: /Recent invocations/ })).toBeVisible();
  await openTab(reloaded, 'Event and settings');
  await expect(reloaded.getByLabel('Memory (MB)')).toHaveValue('512');

  page.once('dialog', (dialog) => void dialog.accept());
  await reloaded.getByRole('button', { name: 'Reset to starter' }).click();
  await expect(editorOf(reloaded).locator('.view-lines')).toContainText(
    'Lambda calls this exported function',
  );
  await expect(reloaded.getByLabel('Memory (MB)')).toHaveValue('128');
  expect(offOriginRequests).toEqual([]);
  expect(notFound).toEqual([]);
});

test('a burst spreads over several environments, and reserved concurrency throttles it', async ({
  page,
}) => {
  const lab = await openLab(page, '/learn/lambda/concurrency', 'lambda/burst');
  await openTab(lab, 'Burst');
  await lab.getByLabel('Invocations (1–50)').fill('6');
  await lab.getByRole('button', { name: 'Burst', exact: true }).click();
  const result = lab.getByTestId('burst-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  const environments = Number(await result.locator('dd').nth(0).textContent());
  expect(environments).toBeGreaterThan(1);
  await expect(result.locator('dd').nth(2)).toHaveText('0');

  await lab.getByLabel('Reserved concurrency (empty: none)').fill('2');
  await lab.getByRole('button', { name: 'Burst', exact: true }).click();
  await expect(lab.getByRole('status')).toHaveText(
    /Burst finished: \d+ environments, \d+ cold starts, [1-9]\d* throttled/,
    { timeout: 60_000 },
  );
});

test('an exercise fails with the starter, the solution can be applied and undone, then it passes and is marked done', async ({
  page,
}) => {
  const lab = await openLab(page, FIRST_HANDLER, 'lambda/first-handler');
  await lab.getByRole('button', { name: 'Check my code' }).click();
  await expect(lab.getByRole('status')).toHaveText(/checks failed/, { timeout: 60_000 });
  await expect(lab.getByRole('list', { name: 'Checks' })).toContainText('Failed:');

  await lab.getByRole('button', { name: 'Show hint 1 of 3' }).click();
  await expect(lab.getByText(/^Hint 1\./)).toBeVisible();
  await expect(lab.getByText(/^Hint 2\./)).toHaveCount(0);

  await lab.getByRole('button', { name: 'Show solution' }).click();
  await expect(lab.locator('.monaco-diff-editor')).toBeVisible({ timeout: 30_000 });
  // Apply puts the solution in the editor; undo brings the learner's code back.
  await lab.getByRole('button', { name: 'Apply solution' }).click();
  await expect(editorOf(lab).locator('.view-lines')).toContainText('statusCode');
  await expect(editorOf(lab).locator('.view-lines')).not.toContainText('Hello from Lambda');
  await lab.getByRole('button', { name: 'Undo apply solution' }).click();
  await expect(editorOf(lab).locator('.view-lines')).toContainText('Hello from Lambda');

  await typeCode(
    page,
    lab,
    "export const handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ greeting: `Hello, ${event.name ?? 'world'}!` }) });",
  );
  await lab.getByRole('button', { name: 'Check my code' }).click();
  await expect(lab.getByRole('status')).toHaveText('Every check passed: exercise complete.', {
    timeout: 60_000,
  });
  await expect(lab.getByText('✓ Done')).toBeVisible();

  await page.reload();
  await expect(page.locator('[data-lab="lambda/first-handler"]').getByText('✓ Done')).toBeVisible();
});

test('a keyboard-only learner can enter the editor, leave it with Ctrl+M and Tab, and run from outside it', async ({
  page,
}) => {
  const lab = await openLab(page, FIRST_HANDLER, 'lambda/first-handler');
  await lab.getByRole('tab', { name: 'index.mjs' }).focus();
  await page.keyboard.press('Tab');
  const focusInEditor = () =>
    page.evaluate(() => document.activeElement?.closest('.monaco-editor') !== null);
  expect(await focusInEditor()).toBe(true);

  // Tab indents inside the editor until Ctrl+M hands it back to the page.
  await page.keyboard.press('Tab');
  expect(await focusInEditor()).toBe(true);
  await page.keyboard.press('Control+M');
  await page.keyboard.press('Tab');
  expect(await focusInEditor()).toBe(false);
  await expect(lab.getByRole('button', { name: 'Run', exact: true })).toBeFocused();

  // The panels beside the editor are tabs: the arrow keys move between them.
  await lab.getByRole('tab', { name: 'Checks', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(lab.getByRole('tab', { name: 'Output', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(lab.getByLabel('Memory (MB)')).toBeVisible();
  await lab.getByLabel('Memory (MB)').focus();
  await page.keyboard.press('Control+Enter');
  await expect(lastBadge(lab)).toHaveText('COLD', { timeout: 30_000 });
});

test('a memory sweep runs the code at five sizes and charts duration and cost', async ({
  page,
}) => {
  const lab = await openLab(page, '/learn/lambda/resources', 'lambda/cpu-and-memory');
  await openTab(lab, 'Event and settings');
  await lab
    .getByLabel('Event', { exact: true })
    .selectOption('Primes below 500,000 (much less work)');
  await lab.getByRole('button', { name: 'Memory sweep' }).click();
  await expect(lab.getByRole('status')).toHaveText('Memory sweep finished.', { timeout: 120_000 });
  await expect(
    lab.getByRole('img', {
      name: /^Duration \(ms\) by memory: 128 MB .*; 512 MB .*; 1024 MB .*; 1769 MB .*; 3008 MB/,
    }),
  ).toBeVisible();
  await expect(lab.getByRole('img', { name: /^Cost per million calls/ })).toBeVisible();
  await lab.getByText('Sweep data as a table').click();
  await expect(
    lab.locator('table').filter({ hasText: 'Duration (warm)' }).locator('tbody tr'),
  ).toHaveCount(5);
});

test('a failed run is explained in plain words, and its stack frame opens the editor at the line', async ({
  page,
}) => {
  const lab = await openLab(page, FIRST_HANDLER, 'lambda/first-handler');
  await typeCode(page, lab, 'export const handle = async () => 1;');
  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(lab.getByTestId('error-explanation')).toContainText(
    'The handler function was not found',
    { timeout: 30_000 },
  );
  await expect(lab.getByTestId('lab-output')).toContainText('Runtime.HandlerNotFound');

  await typeCode(page, lab, 'export const handler = async (event) => event.missing.name;');
  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  const output = lab.getByTestId('lab-output');
  await expect(output).toContainText('TypeError', { timeout: 30_000 });
  // The learner's own error needs no gloss; the runtime's frames are folded away.
  await expect(lab.getByTestId('error-explanation')).toHaveCount(0);
  const trace = output.getByRole('list', { name: 'Stack trace' });
  await expect(trace).not.toContainText('bootstrap.mjs');
  await output.getByRole('button', { name: /Show the runtime's own frames/ }).click();
  await expect(trace).toContainText('bootstrap.mjs');
  await output.getByRole('button', { name: /open index\.mjs at line 1 in the editor/ }).click();
  expect(
    await page.evaluate(() => document.activeElement?.closest('.monaco-editor') !== null),
  ).toBe(true);
});

test('at 1280 px the editor shows an 80-column line with the result below it in view; at 1920 px the output sits beside it', async ({
  page,
}) => {
  const line = `// ${'x'.repeat(77)}`;
  const fits = () =>
    page.evaluate((text) => {
      const editor = document.querySelector(
        '[data-lab="lambda/first-handler"] [data-testid="lab-editor"]',
      );
      const row = [...(editor?.querySelectorAll('.view-line') ?? [])].find((l) =>
        l.textContent?.replaceAll('\u00a0', ' ').includes(text.slice(0, 20)),
      );
      const area = editor?.querySelector('.monaco-scrollable-element');
      if (!row?.firstElementChild || !area) return false;
      return (
        row.firstElementChild.getBoundingClientRect().right <=
        area.getBoundingClientRect().right - 10
      );
    }, line);

  await page.setViewportSize({ width: 1280, height: 900 });
  const lab = await openLab(page, FIRST_HANDLER, 'lambda/first-handler');
  await typeCode(page, lab, line);
  expect(line).toHaveLength(80);
  expect(await fits()).toBe(true);
  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(lab.getByTestId('lab-output')).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(600);
  const editorBox = (await editorOf(lab).boundingBox())!;
  const outputBox = (await lab.getByTestId('lab-output').boundingBox())!;
  expect(editorBox.y).toBeGreaterThanOrEqual(0);
  expect(outputBox.y).toBeGreaterThan(editorBox.y + editorBox.height - 1);
  expect(outputBox.y).toBeLessThan(900 - 60);

  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect.poll(fits).toBe(true);
  const wideEditor = (await editorOf(lab).boundingBox())!;
  const wideOutput = (await lab.getByTestId('lab-output').boundingBox())!;
  expect(wideOutput.x).toBeGreaterThan(wideEditor.x + wideEditor.width - 1);
  expect(Math.abs(wideOutput.y - wideEditor.y)).toBeLessThan(80);

  // The bar between them resizes the editor, by pointer or by keyboard.
  const splitter = lab.getByRole('separator', { name: 'Resize the editor and the output' });
  await splitter.focus();
  await page.keyboard.press('ArrowRight');
  await expect
    .poll(async () => (await editorOf(lab).boundingBox())!.width)
    .toBeGreaterThan(wideEditor.width + 20);
});

test('full screen gives the lab the whole window, and Escape leaves it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const lab = await openLab(page, FIRST_HANDLER, 'lambda/first-handler');
  await lab.getByRole('button', { name: 'Full screen' }).click();
  await expect(lab).toHaveAttribute('data-full-screen', 'true');
  const box = (await lab.boundingBox())!;
  expect(box).toMatchObject({ x: 0, y: 0, width: 1280, height: 800 });
  // Side by side at this width, the editor filling the height.
  expect((await editorOf(lab).boundingBox())!.height).toBeGreaterThan(500);
  await page.keyboard.press('Escape');
  await expect(lab).not.toHaveAttribute('data-full-screen', 'true');
  await expect(lab.getByRole('button', { name: 'Full screen' })).toBeFocused();
});

test('on a phone the lab edits in CodeMirror, with line numbers and highlighting', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(FIRST_HANDLER);
  const lab = page.locator('[data-lab="lambda/first-handler"]');
  await lab.scrollIntoViewIfNeeded();
  const editor = editorOf(lab).locator('.cm-editor');
  await expect(editor).toBeVisible({ timeout: 30_000 });
  await expect(editor.locator('.cm-lineNumbers')).toBeVisible();
  await expect(lab.locator('.monaco-editor')).toHaveCount(0);
  // Keyboard shortcuts a phone has no keys for are not offered.
  await expect(lab.getByText('Ctrl+M')).toHaveCount(0);

  await editor.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText("export const handler = async () => 'typed on a phone';");
  await expect(editor.locator('.cm-content')).toContainText('typed on a phone');
  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(lab.getByTestId('lab-output')).toContainText('typed on a phone', {
    timeout: 30_000,
  });
});

test('the Lambda vs Fargate calculator recomputes the bills and the break-even as the inputs change', async ({
  page,
}) => {
  await page.goto('/learn/lambda/lambda-vs-fargate');
  const calculator = page
    .locator('section')
    .filter({ has: page.getByLabel('Requests per month') })
    .first();
  const breakEven = calculator.getByText(/^Break-even at /);
  const before = await breakEven.textContent();
  await calculator.getByLabel('Memory (MB)').fill('2048');
  await expect(breakEven).not.toHaveText(before!);
  await calculator.getByLabel('Memory (MB)').fill('64');
  await expect(calculator.getByLabel('Memory (MB)')).toHaveAttribute('aria-invalid', 'true');
  await expect(calculator.getByText('Results not updated.')).toBeVisible();
});

test('the lab APIs answer bad input with specific errors', async ({ request }) => {
  const settings = { memoryMb: 128, timeoutS: 3, environment: {}, eventText: '{}' };
  const wrongFiles = await request.put('/api/labs/lambda/first-handler/save', {
    data: { files: [{ path: 'other.mjs', content: '' }], settings },
  });
  expect(wrongFiles.status()).toBe(400);
  expect((await wrongFiles.json()).error.message).toMatch(
    /has the files index\.mjs; send exactly those/,
  );

  const badMemory = await request.put('/api/labs/lambda/first-handler/save', {
    data: { files: [{ path: 'index.mjs', content: '' }], settings: { ...settings, memoryMb: 64 } },
  });
  expect(badMemory.status()).toBe(400);
  expect((await badMemory.json()).error.message).toMatch(/memory is at least 128 MB/);

  const unknownLab = await request.get('/api/labs/lambda/no-such-lab/save');
  expect(unknownLab.status()).toBe(404);

  // Every lab in the course is now an exercise with a solution: checks on a plain lab (400) and
  // a lab without a solution (404) are covered by lib/labs/lab-service.test.ts.
  const foreignFiles = await request.post('/api/labs/lambda/first-handler-python/check', {
    data: { files: [{ path: 'not-the-lab.py', content: '' }] },
  });
  expect(foreignFiles.status()).toBe(400);

  const hugeBurst = await request.post('/api/labs/lambda/burst/burst', {
    data: {
      memoryMb: 128,
      timeoutS: 3,
      files: [{ path: 'index.mjs', content: 'export const handler = async () => 1;' }],
      count: 500,
    },
  });
  expect(hugeBurst.status()).toBe(400);
  expect((await hugeBurst.json()).error.message).toMatch(/at most 50 invocations/);

  const jsSyntax = await request.post('/api/labs/syntax', {
    data: { runtime: 'nodejs20.x', source: 'x' },
  });
  expect(jsSyntax.status()).toBe(400);
  expect((await jsSyntax.json()).error.message).toMatch(/only python3.11 code is checked here/);
});

test('syntax errors are marked in the editor before running, for JavaScript and for Python', async ({
  page,
}) => {
  const node = await openLab(page, FIRST_HANDLER, 'lambda/first-handler');
  await typeCode(page, node, 'export const handler = async (event) => { return { ok: true ; };');
  await expect(node.getByRole('tabpanel').locator('.squiggly-error').first()).toBeVisible({
    timeout: 15_000,
  });

  const python = page.locator('[data-lab="lambda/first-handler-python"]');
  await python.scrollIntoViewIfNeeded();
  await expect(python.getByRole('tabpanel').locator('.monaco-editor')).toBeVisible({
    timeout: 30_000,
  });
  await expect(python.getByRole('tabpanel').locator('.squiggly-error')).toHaveCount(0);
  await typeCode(page, python, 'def lambda_handler(event, context) return 1');
  await expect(python.getByRole('tabpanel').locator('.squiggly-error').first()).toBeVisible({
    timeout: 15_000,
  });
});
