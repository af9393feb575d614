import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../authoring/problems';
import { readPolicyLab, toPolicyLabView } from './index';

/** Every temporary folder made here, removed at the end. */
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const FILE = 'labs/orders/policy-lab.yaml';

/** Reads a policy lab whose policy-lab.yaml is `yaml` (or none), reporting paths relative to its root. */
function read(yaml: string | undefined) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'policy-lab-'));
  made.push(root);
  const labDir = path.join(root, 'labs', 'orders');
  mkdirSync(labDir, { recursive: true });
  if (yaml !== undefined) writeFileSync(path.join(labDir, 'policy-lab.yaml'), yaml);
  const relative = (absolute: string) => path.relative(root, absolute).split(path.sep).join('/');
  const result = readPolicyLab(labDir, 'lambda', 'orders', relative);
  return { ...result, lines: result.problems.map(formatProblem) };
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`"${needle}" is not in the text`);
  return index + 1;
}

const STARTER = `  {
    "Version": "2012-10-17",
    "Statement": [
      { "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*" }
    ]
  }`;
const SOLUTION = `  {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": "dynamodb:GetItem",
        "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
      }
    ]
  }`;

function labYaml({
  calls = `  - title: Read one order
    action: dynamodb:GetItem
    resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders
    needed: true
    context:
      aws:RequestedRegion: eu-west-1
  - title: Delete an order
    action: dynamodb:DeleteItem
    resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders
    needed: false`,
  context = `  aws:RequestedRegion: us-east-1
  aws:SecureTransport: true`,
  starter = `starter: |\n${STARTER}`,
  solution = `solution: |\n${SOLUTION}`,
} = {}): string {
  return `title: Read orders, nothing else
scenario: |
  The function reads orders.

  It must not delete them.
context:
${context}
calls:
${calls}
${starter}
${solution}
`;
}

describe('readPolicyLab', () => {
  it('reads a good lab, merges the context, and keeps the solution from the view', () => {
    const { lab, problems } = read(labYaml());
    expect(problems).toEqual([]);
    expect(lab).toMatchObject({
      id: 'lambda/orders',
      title: 'Read orders, nothing else',
      scenario: 'The function reads orders.\n\nIt must not delete them.',
      file: FILE,
    });
    expect(lab!.calls[0]!.context).toEqual({
      'aws:RequestedRegion': 'eu-west-1',
      'aws:SecureTransport': 'true',
    });
    expect(lab!.calls[1]!.context).toEqual({
      'aws:RequestedRegion': 'us-east-1',
      'aws:SecureTransport': 'true',
    });
    const view = toPolicyLabView(lab!);
    expect(view).not.toHaveProperty('solution');
    expect(Object.keys(view).sort()).toEqual(['calls', 'id', 'scenario', 'starter', 'title']);
  });

  it('reads the course lab content/lambda/labs/least-privilege without a problem', () => {
    const project = path.resolve(import.meta.dirname, '../..');
    const { lab, problems } = readPolicyLab(
      path.join(project, 'content/lambda/labs/least-privilege'),
      'lambda',
      'least-privilege',
      (absolute) => path.relative(project, absolute),
    );
    expect(problems.map(formatProblem)).toEqual([]);
    expect(lab!.calls.filter((c) => c.needed)).toHaveLength(4);
  });

  it('says the file is missing', () => {
    expect(read(undefined).lines).toEqual([
      'labs/orders:1:1  A policy lab needs labs/orders/policy-lab.yaml: create it (see "PolicyLab" in docs/authoring.md) or fix the lab\'s name.',
    ]);
  });

  it('reports YAML and field problems at their line and column', () => {
    expect(read('title: [unclosed\n').lines[0]).toMatch(
      /^labs\/orders\/policy-lab\.yaml:\d+:\d+  YAML syntax error/,
    );
    const yaml = labYaml().replace('title: Read orders', 'titel: Read orders');
    expect(read(yaml).lines).toEqual(
      expect.arrayContaining([
        `${FILE}:1:1  Unknown field "titel": remove it or check the spelling (fields are listed in docs/authoring.md).`,
      ]),
    );
  });

  it('checks each call: the action, its spelling, one concrete resource of its own service', () => {
    const yaml = labYaml({
      calls: `  - title: Typo
    action: dynamodb:GetItems
    resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders
    needed: true
  - title: Case
    action: DynamoDB:GetItem
    resource: arn:aws:dynamodb:us-east-1:123456789012:table/*
    needed: false
  - title: Wrong service
    action: s3:GetObject
    resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders
    needed: false`,
    });
    const at = (needle: string) => `${FILE}:${lineOf(yaml, needle)}:`;
    const lines = read(yaml).lines;
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^${at('dynamodb:GetItems')}\\d+  "dynamodb:GetItems" is not in the course's action list`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^${at('DynamoDB:GetItem')}\\d+  Write the action as AWS spells it: "dynamodb:GetItem"\\.$`,
          ),
        ),
        expect.stringMatching(
          new RegExp(`^${at('table/*')}\\d+  ".*" must be the full ARN of one resource`),
        ),
        expect.stringMatching(/This is a dynamodb ARN, but s3:GetObject is an action of s3/),
      ]),
    );
  });

  it('checks the request context keys and their values', () => {
    const yaml = labYaml({
      context: `  aws:SourceIp: 203.0.113.7
  aws:SecureTransport: yes
  aws:PrincipalArn: orders-role`,
    });
    expect(read(yaml).lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${FILE}:${lineOf(yaml, 'aws:SourceIp')}:\\d+  "aws:SourceIp" is not a condition key the simulator supplies`,
        ),
      ),
      `${FILE}:${lineOf(yaml, 'aws:SecureTransport')}:24  aws:SecureTransport is true or false, not "yes".`,
      `${FILE}:${lineOf(yaml, 'aws:PrincipalArn')}:21  aws:PrincipalArn is an ARN (arn:partition:service:region:account:resource), not "orders-role".`,
    ]);
  });

  it('needs calls to allow and calls to deny, and no repeated call', () => {
    const oneKind = labYaml().replace('needed: false', 'needed: true');
    expect(read(oneKind).lines).toEqual([
      expect.stringMatching(
        /List at least one call with needed: true .* and one with needed: false/,
      ),
    ]);
    const twice = labYaml({
      calls: `  - title: Read one order
    action: dynamodb:GetItem
    resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders
    needed: true
  - title: Read it again
    action: dynamodb:getitem
    resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders
    needed: false`,
    });
    expect(read(twice).lines).toEqual(
      expect.arrayContaining([expect.stringMatching(/This call is the same as call 1/)]),
    );
  });

  it("reports a starter's JSON error at its line and column inside the YAML block", () => {
    const broken = STARTER.replace('"Version": "2012-10-17",', '"Version": "2012-10-17"');
    const yaml = labYaml({ starter: `starter: |\n${broken}` });
    const line = lineOf(yaml, '"Statement": [');
    // Line 3 of the policy, where the comma is missing; the block is indented by two spaces.
    expect(read(yaml).lines).toEqual([
      `${FILE}:${line}:5  In the starter, Expected a comma (,) or a closing brace (}) after the value of "Version", found a string.`,
    ]);
  });

  it('reports a policy written as a quoted string at its key, with the position in the policy', () => {
    const yaml = labYaml({ starter: `starter: '{"Statement": [}'` });
    expect(read(yaml).lines).toEqual([
      `${FILE}:${lineOf(yaml, 'starter:')}:10  In the starter (line 1, column 16 of the policy), Unexpected "}": expected a value (a string in double quotes, a number, true, false, null, an object or a list).`,
    ]);
  });

  it('refuses a starter that already meets the goal, and a solution that does not', () => {
    const done = labYaml({ starter: `starter: |\n${SOLUTION}` });
    expect(read(done).lines).toEqual([
      `${FILE}:${lineOf(done, 'starter:')}:10  The starter already meets the goal, so the lab is done before the learner begins: make it grant more than the function needs, or less.`,
    ]);
    const wrong = labYaml({ solution: `solution: |\n${STARTER}` });
    expect(read(wrong).lines).toEqual([
      expect.stringMatching(
        /^labs\/orders\/policy-lab\.yaml:\d+:\d+  In the solution, Statement\[0\]\.Action "dynamodb:\*" allows every action/,
      ),
      expect.stringMatching(/In the solution, Statement\[0\]\.Resource "\*" lets/),
    ]);
  });

  it('says which call a solution gets wrong', () => {
    const denyAll = SOLUTION.replace('"dynamodb:GetItem"', '"dynamodb:Query"');
    const yaml = labYaml({ solution: `solution: |\n${denyAll}` });
    expect(read(yaml).lines).toEqual([
      `${FILE}:${lineOf(yaml, 'solution:')}:11  The solution does not meet the goal. Goal not met: 1 call the function needs is not allowed. "Read one order": Denied implicitly: no statement allows it, and IAM denies by default.`,
    ]);
  });
});
