import AxeBuilder from '@axe-core/playwright';
import { discoverCoursePages, expect, test } from './fixtures';

const SERIOUS = new Set(['serious', 'critical']);

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every page has no serious or critical axe violations (${colorScheme})`, async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme });
    const pages = [...(await discoverCoursePages(page)), '/no-such-page'];
    expect(pages.filter((path) => path.startsWith('/learn/')).length).toBeGreaterThan(1);

    const failures: string[] = [];
    for (const path of pages) {
      await page.goto(path);
      // Progress loads after the static page; scan the page as the learner sees it.
      await expect(
        page.getByRole('group', { name: 'Colour theme' }).locator('[aria-pressed="true"]'),
      ).toHaveCount(1);
      const { violations } = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
        .analyze();
      for (const violation of violations.filter((v) => SERIOUS.has(v.impact ?? ''))) {
        failures.push(
          `${path}: ${violation.id} (${violation.impact}) ${violation.help} — ${violation.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
}

test('no page requests anything outside its own origin', async ({ page, offOriginRequests }) => {
  test.setTimeout(120_000);
  const pages = await discoverCoursePages(page);
  for (const path of pages) {
    await page.goto(path, { waitUntil: 'networkidle' });
    // Open every tab and disclosure so lazily loaded content is requested too.
    for (const tab of await page.getByRole('tab').all()) await tab.click();
  }
  expect(offOriginRequests).toEqual([]);
});

test('quizzes and tabs work from the keyboard alone', async ({ page }) => {
  const pages = await discoverCoursePages(page);
  let checkedTabs = false;
  for (const path of pages.filter((p) => p.split('/').length === 4)) {
    await page.goto(path);
    const firstTab = page.getByRole('tab').first();
    if ((await firstTab.count()) === 0) continue;
    await firstTab.focus();
    await page.keyboard.press('ArrowRight');
    const second = page.getByRole('tab').nth(1);
    await expect(second).toBeFocused();
    await expect(second).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tabpanel')).toHaveCount(1);
    checkedTabs = true;
    break;
  }
  expect(checkedTabs, 'some lesson has tabs').toBe(true);

  const quiz = page.locator('[data-quiz]').first();
  await quiz.locator('input').first().focus();
  await page.keyboard.press('Space');
  await quiz.getByRole('button', { name: 'Check answer' }).focus();
  await page.keyboard.press('Enter');
  await expect(quiz.getByRole('status')).toHaveText(/^(Correct!|Not quite)/);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`a code lab in use, with output, chart, checks, a hint and the solution, has no serious or critical axe violations (${colorScheme})`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme });
    await page.goto('/learn/lambda/launching-a-function');
    const lab = page.locator('[data-lab="lambda/first-handler"]');
    await lab.scrollIntoViewIfNeeded();
    await expect(lab.getByTestId('lab-editor').locator('.monaco-editor')).toBeVisible({
      timeout: 30_000,
    });
    const violationsOf = async () => {
      const { violations } = await new AxeBuilder({ page })
        .include('[data-lab="lambda/first-handler"]')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
        .analyze();
      return violations;
    };
    // Each panel beside the editor in turn, as a learner would open them, then full screen.
    const seen = [];
    await lab.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(lab.getByTestId('lab-output')).toBeVisible({ timeout: 30_000 });
    seen.push(...(await violationsOf()));
    await lab.getByRole('tab', { name: 'Checks', exact: true }).click();
    await lab.getByRole('button', { name: 'Check my code' }).click();
    await expect(lab.getByRole('status')).toHaveText(/checks failed/, { timeout: 60_000 });
    await lab.getByRole('button', { name: /^Show hint 1/ }).click();
    await lab.getByRole('button', { name: 'Show solution' }).click();
    await expect(lab.locator('.monaco-diff-editor')).toBeVisible({ timeout: 30_000 });
    seen.push(...(await violationsOf()));
    await lab.getByRole('tab', { name: 'Event and settings', exact: true }).click();
    seen.push(...(await violationsOf()));
    await lab.getByRole('tab', { name: 'Burst', exact: true }).click();
    await lab.getByRole('button', { name: 'Full screen' }).click();

    const violations = [...seen, ...(await violationsOf())];
    const serious = violations
      .filter((v) => SERIOUS.has(v.impact ?? ''))
      .map(
        (v) =>
          `${v.id}: ${v.help} — ${v.nodes
            .map(
              (n) =>
                `${n.target.join(' ').slice(-40)} ${JSON.stringify((n.any[0]?.data as { fgColor?: string; bgColor?: string; contrastRatio?: number } | undefined) ?? {})}`,
            )
            .slice(0, 6)
            .join(', ')}`,
      );
    expect(serious).toEqual([]);
  });
}
