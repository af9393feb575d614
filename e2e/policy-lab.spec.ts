import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/*
 * The least-privilege policy lab as a learner uses it: the lesson shows
 * <PolicyLab id="least-privilege" />, the policy is evaluated in the browser as
 * it is typed, kept in localStorage, and reset on request. Nothing leaves the
 * page: there is no server call to wait for.
 */

const LESSON = '/learn/lambda/permissions';
const LAB_ID = 'lambda/least-privilege';
const SERIOUS = new Set(['serious', 'critical']);

const SOLUTION = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadOrders',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
      },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-api:*',
      },
    ],
  },
  null,
  2,
);

async function openLab(page: Page): Promise<Locator> {
  await page.goto(LESSON);
  const lab = page.locator(`[data-policy-lab="${LAB_ID}"]`);
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByRole('heading', { level: 3 })).toBeVisible();
  return lab;
}

const editorOf = (lab: Locator) =>
  lab.getByRole('textbox', { name: 'Execution role policy (JSON)' });
const rowOf = (lab: Locator, title: string) => lab.getByRole('row', { name: new RegExp(title) });

test('the starter grants too much; the table, the warnings and the status say so', async ({
  page,
  offOriginRequests,
}) => {
  const lab = await openLab(page);
  await expect(lab.getByRole('status')).toHaveText(
    /^✗ Goal not met: 3 calls it must not make are not denied/,
  );
  await expect(lab.getByRole('table')).toHaveAccessibleName(
    "The function's calls under your policy",
  );
  await expect(lab.getByRole('row')).toHaveCount(8);
  await expect(rowOf(lab, 'Read one order')).toContainText('Allowed by DynamoDB.');
  await expect(rowOf(lab, 'Delete an order')).toContainText('✗ No');
  await expect(lab.getByText('3 warnings', { exact: true })).toBeVisible();
  await expect(lab.getByRole('button', { name: 'Line 7, column 17' })).toBeVisible();
  expect(offOriginRequests).toEqual([]);
});

test('a JSON error is shown at its line; its button puts the caret there; nothing is evaluated', async ({
  page,
}) => {
  const lab = await openLab(page);
  const editor = editorOf(lab);
  await editor.fill('{\n  "Version": "2012-10-17"\n  "Statement": []\n}');
  await expect(editor).toHaveAttribute('aria-invalid', 'true');
  await expect(lab.getByText('1 error', { exact: true })).toBeVisible();
  await expect(lab.getByText(/Expected a comma \(,\) or a closing brace/)).toBeVisible();
  await expect(rowOf(lab, 'Read one order')).toContainText('Not evaluated');
  await lab.getByRole('button', { name: 'Line 3, column 3' }).click();
  await expect(editor).toBeFocused();
  expect(await editor.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe(
    '{\n  "Version": "2012-10-17"\n  '.length,
  );
});

test('the solution meets the goal, survives a reload, and Reset brings the starter back', async ({
  page,
}) => {
  const lab = await openLab(page);
  const editor = editorOf(lab);
  const starter = await editor.inputValue();
  await editor.fill(SOLUTION);
  await expect(lab.getByRole('status')).toHaveText(/^✓ Goal met/);
  await expect(lab.getByRole('heading', { level: 3 })).toContainText('✓ Goal met');
  await expect(lab.getByText('✓ Yes')).toHaveCount(7);
  await expect(lab.getByText('No problems', { exact: true })).toBeVisible();
  await expect(rowOf(lab, 'Delete an order')).toContainText('Denied: nothing allows it');
  await expect(lab.getByText('Saved in this browser')).toBeVisible();

  await page.reload();
  const reloaded = page.locator(`[data-policy-lab="${LAB_ID}"]`);
  await expect(editorOf(reloaded)).toHaveValue(SOLUTION);
  await expect(reloaded.getByRole('status')).toHaveText(/^✓ Goal met/);

  page.once('dialog', (dialog) => void dialog.accept());
  await reloaded.getByRole('button', { name: 'Reset to starter' }).click();
  await expect(editorOf(reloaded)).toHaveValue(starter);
  await expect(reloaded.getByText('Starter policy', { exact: true })).toBeVisible();
  await expect(reloaded.getByRole('status')).toHaveText(/^✗ Goal not met/);
});

test('an explicit Deny wins over an Allow, and a condition outside the subset is not guessed', async ({
  page,
}) => {
  const lab = await openLab(page);
  const policy = JSON.parse(SOLUTION) as { Statement: unknown[] };
  policy.Statement.push(
    { Sid: 'NoDeletes', Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' },
    {
      Sid: 'FromTheOffice',
      Effect: 'Allow',
      Action: 'dynamodb:Scan',
      Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
      Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    },
  );
  await editorOf(lab).fill(JSON.stringify(policy, null, 2));
  await expect(rowOf(lab, 'Delete an order')).toContainText('Denied explicitly');
  await expect(rowOf(lab, 'Delete an order')).toContainText('Denied explicitly by NoDeletes.');
  await expect(lab.getByText(/IpAddress is an operator the lab does not evaluate/)).toBeVisible();
  await expect(lab.getByRole('status')).toHaveText(/something the lab cannot evaluate/);
});

test('Tab leaves the editor for the next control instead of typing a tab', async ({ page }) => {
  const lab = await openLab(page);
  await editorOf(lab).focus();
  await page.keyboard.press('Tab');
  await expect(lab.getByRole('button', { name: 'Reset to starter' })).toBeFocused();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the policy lab with problems, and with the goal met, has no serious or critical axe violations (${colorScheme})`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    const lab = await openLab(page);
    const violationsOf = async () => {
      const { violations } = await new AxeBuilder({ page })
        .include(`[data-policy-lab="${LAB_ID}"]`)
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
        .analyze();
      return violations.filter((v) => SERIOUS.has(v.impact ?? ''));
    };
    await lab.getByText('Each statement').first().click();
    const seen = [...(await violationsOf())];
    await editorOf(lab).fill('{ "Version": "2012-10-17", "Statement": [ { "Effect": "allow" } ] }');
    await expect(editorOf(lab)).toHaveAttribute('aria-invalid', 'true');
    await expect(lab.getByText('3 errors', { exact: true })).toBeVisible();
    seen.push(...(await violationsOf()));
    await editorOf(lab).fill(SOLUTION);
    await expect(lab.getByRole('status')).toHaveText(/^✓ Goal met/);
    seen.push(...(await violationsOf()));
    expect(
      seen.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });
}
