import { describe, expect, it } from 'vitest';
import {
  checkPolicyLab,
  evaluate,
  knownAction,
  MAX_POLICY_TEXT_CHARS,
  parsePolicy,
  ROLE_POLICY_QUOTA_CHARS,
  type AccessRequest,
  type PolicyLabCall,
  type PolicyProblem,
} from './contract';

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders';
const OTHER_TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/customers';

/** A policy document's text, statements as given. */
function policyText(statement: unknown, version: string | null = '2012-10-17'): string {
  return JSON.stringify(
    { ...(version ? { Version: version } : {}), Statement: statement },
    null,
    2,
  );
}

function parsed(statement: unknown) {
  const policy = parsePolicy(policyText(statement));
  expect(policy.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return policy;
}

function request(
  action: string,
  resource = TABLE,
  context: Record<string, string> = {},
): AccessRequest {
  return { action, resource, context };
}

/** The decision for one request under one policy's statements. */
function decide(statement: unknown, req: AccessRequest) {
  return evaluate([parsed(statement)], req).decision;
}

const problemsOf = (text: string, severity?: PolicyProblem['severity']) =>
  parsePolicy(text)
    .problems.filter((p) => severity === undefined || p.severity === severity)
    .map((p) => ({ code: p.code, at: `${p.line}:${p.column}`, message: p.message }));

describe('reading the JSON', () => {
  it.each([
    ['{"Version": "2012-10-17",}', '1:26', /comma before } is not allowed/],
    [
      '{"Version": "2012-10-17" "Statement": []}',
      '1:26',
      /Expected a comma \(,\) or a closing brace/,
    ],
    ['{\n  "Version": "2012-10-17\n}', '2:14', /never closed before the end of the line/],
    ["{'Version': 1}", '1:2', /double quotes/],
    ['{\n  // a note\n}', '2:3', /Comments are not allowed/],
    ['{"Effect": Allow}', '1:12', /Unexpected word "Allow"/],
    ['{"a": True}', '1:7', /lower case/],
    ['', '1:1', /empty/],
    ['{"Version": "2012-10-17"} {}', '1:27', /single JSON object/],
    ['{"Statement": [', '1:16', /ends too early/],
  ])('%j is a syntax error at its line and column', (text, at, message) => {
    const [problem, ...rest] = problemsOf(text);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: 'json-syntax', at });
    expect(problem!.message).toMatch(message);
  });

  it('reports a repeated key at the second one', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Version": "2012-10-17",\n  "Statement": []\n}';
    expect(problemsOf(text, 'error')).toContainEqual({
      code: 'duplicate-key',
      at: '3:3',
      message: '"Version" appears twice in the policy: keep one of them.',
    });
  });

  it('refuses text past the size limit without reading it, and nesting past the depth limit', () => {
    const huge = ' '.repeat(MAX_POLICY_TEXT_CHARS + 1);
    expect(problemsOf(huge).map((p) => p.code)).toEqual(['too-large']);
    expect(problemsOf('['.repeat(40) + ']'.repeat(40))[0]!.message).toMatch(/nests deeper/);
  });

  it("applies IAM's character set and the role policy quota, whitespace not counted", () => {
    const emoji = policyText({
      Sid: 'A',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/☃',
    });
    expect(problemsOf(emoji).map((p) => p.code)).toContain('invalid-character');
    const long = policyText({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${'b'.repeat(ROLE_POLICY_QUOTA_CHARS)}`,
    });
    expect(problemsOf(long).map((p) => p.code)).toContain('quota');
    const indented = policyText({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
    }).replaceAll('\n', `\n${' '.repeat(2000)}`);
    expect(problemsOf(indented).map((p) => p.code)).not.toContain('quota');
  });

  it('never throws, whatever the text', () => {
    for (const text of [
      'null',
      '[]',
      '"x"',
      '42',
      '{"Statement": 7}',
      '{"Statement": [null, 3, "x"]}',
      '{"__proto__": {}}',
    ])
      expect(() => parsePolicy(text)).not.toThrow();
    expect(problemsOf('[]')[0]!.message).toBe(
      'The policy is not a JSON object: write {"Version": "2012-10-17", "Statement": [ … ]}.',
    );
  });
});

describe('the policy grammar', () => {
  it('accepts Statement as one object or as a list', () => {
    const one = { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE };
    expect(decide(one, request('dynamodb:GetItem'))).toBe('allowed');
    expect(decide([one], request('dynamodb:GetItem'))).toBe('allowed');
  });

  it('reports every missing or malformed element of a statement at once, at its line', () => {
    const text =
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "allow", "Actions": "s3:GetObject" }\n  ]\n}';
    expect(problemsOf(text)).toEqual([
      {
        code: 'missing-action',
        at: '4:5',
        message: 'Statement[0] has no Action: add an Action or NotAction element.',
      },
      {
        code: 'missing-resource',
        at: '4:5',
        message:
          'Statement[0] has no Resource: an identity-based policy needs a Resource or NotResource element.',
      },
      {
        code: 'invalid-element',
        at: '4:17',
        message: 'Statement[0].Effect must be "Allow" or "Deny", written exactly so.',
      },
      {
        code: 'unknown-element',
        at: '4:26',
        message:
          'Statement[0] has an unknown element "Actions": did you mean "Action"? Element names are case-sensitive.',
      },
    ]);
  });

  it('names a missing Effect, Action with NotAction, and a Principal', () => {
    const codes = problemsOf(
      policyText([
        { Action: 's3:GetObject', NotAction: 's3:PutObject', Resource: '*', Principal: '*' },
      ]),
    ).map((p) => `${p.code}: ${p.message}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'invalid-element: Statement[0].Effect is missing: add "Effect": "Allow" or "Effect": "Deny".',
        'invalid-element: Statement[0].NotAction cannot be used with Action in the same statement: keep one of them.',
        expect.stringMatching(
          /^principal-in-identity-policy: Statement\[0\]\.Principal belongs in resource-based policies/,
        ),
      ]),
    );
  });

  it('shows a single value as its element and a list entry with its index', () => {
    expect(problemsOf(policyText({ Effect: 'Allow', Action: 7, Resource: '*' }))[0]!.message).toBe(
      'Statement.Action must be a string or a list of strings, e.g. "dynamodb:GetItem".',
    );
    expect(
      problemsOf(policyText({ Effect: 'Allow', Action: ['s3:GetObject', 7], Resource: '*' }))[0]!
        .message,
    ).toBe('Statement.Action[1] must be a string.');
  });

  it('checks Version and Sid as IAM does', () => {
    const statement = {
      Sid: 'Read',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
    };
    expect(problemsOf(policyText(statement, null)).map((p) => p.code)).toEqual(['missing-version']);
    expect(problemsOf(policyText(statement, '2008-10-17')).map((p) => p.code)).toEqual([
      'old-version',
    ]);
    expect(problemsOf(policyText(statement, '2012-10-18')).map((p) => p.code)).toEqual([
      'invalid-version',
    ]);
    expect(problemsOf(policyText([statement, statement])).map((p) => p.code)).toEqual([
      'duplicate-sid',
    ]);
    expect(problemsOf(policyText({ ...statement, Sid: 'read-orders' }))[0]!.message).toMatch(
      /only ASCII letters and digits/,
    );
    expect(problemsOf(policyText([])).map((p) => p.code)).toEqual(['missing-statement']);
  });

  it('refuses what is not an action or not an ARN', () => {
    const codes = (Action: unknown, Resource: unknown) =>
      problemsOf(policyText({ Effect: 'Allow', Action, Resource }), 'error').map((p) => p.code);
    expect(codes('GetItem', '*')).toEqual(['invalid-action']);
    expect(codes('dynamodb:Get Item', '*')).toEqual(['invalid-action']);
    expect(codes('dynamodb:GetItem', 'table/orders')).toEqual(['invalid-arn']);
    expect(codes('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:*')).toEqual(['invalid-arn']);
  });
});

describe('matching actions', () => {
  const allowing = (Action: string | string[]) => ({ Effect: 'Allow', Action, Resource: '*' });

  it('matches the service prefix and the action name without case', () => {
    expect(decide(allowing('DynamoDB:getitem'), request('dynamodb:GetItem'))).toBe('allowed');
    expect(decide(allowing('dynamodb:GetItem'), request('DYNAMODB:GETITEM'))).toBe('allowed');
  });

  it('matches * as any run of characters and ? as exactly one', () => {
    expect(decide(allowing('dynamodb:Get*'), request('dynamodb:GetItem'))).toBe('allowed');
    expect(decide(allowing('dynamodb:*Item'), request('dynamodb:DeleteItem'))).toBe('allowed');
    expect(decide(allowing('dynamodb:Get*'), request('dynamodb:Query'))).toBe('implicitDeny');
    expect(decide(allowing('sqs:?endMessage'), request('sqs:SendMessage'))).toBe('allowed');
    expect(decide(allowing('sqs:?SendMessage'), request('sqs:SendMessage'))).toBe('implicitDeny');
    expect(decide(allowing('*'), request('lambda:InvokeFunction'))).toBe('allowed');
  });

  it('never matches another service', () => {
    expect(decide(allowing('dynamodb:*'), request('s3:GetObject'))).toBe('implicitDeny');
  });

  it('stays fast on a pattern built to make a backtracking matcher explode', () => {
    const started = performance.now();
    const pattern = `dynamodb:${'*a'.repeat(40)}b`;
    expect(decide(allowing(pattern), request(`dynamodb:${'a'.repeat(100)}`))).toBe('implicitDeny');
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('matching resources', () => {
  const on = (Resource: string | string[]) => ({
    Effect: 'Allow',
    Action: 'dynamodb:GetItem',
    Resource,
  });

  it('matches ARNs with case', () => {
    expect(decide(on(TABLE), request('dynamodb:GetItem', TABLE))).toBe('allowed');
    expect(decide(on(TABLE.replace('orders', 'Orders')), request('dynamodb:GetItem', TABLE))).toBe(
      'implicitDeny',
    );
  });

  it('matches wildcards inside a segment, and * at the end of a segment across colons', () => {
    expect(
      decide(
        on('arn:aws:dynamodb:us-east-?:123456789012:table/orders'),
        request('dynamodb:GetItem'),
      ),
    ).toBe('allowed');
    expect(
      decide(on('arn:aws:dynamodb:*:123456789012:table/ord*'), request('dynamodb:GetItem')),
    ).toBe('allowed');
    const logs = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-api:*';
    const stream =
      'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-api:log-stream:x';
    expect(
      decide(
        { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: logs },
        request('logs:PutLogEvents', stream),
      ),
    ).toBe('allowed');
    // A * in the middle of a segment stays within it.
    const s3 = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*/x' };
    expect(decide(s3, request('s3:GetObject', 'arn:aws:s3:::bucket/a/b/x'))).toBe('allowed');
    expect(decide(s3, request('s3:GetObject', 'arn:aws:s3:::bucket/a:b/x'))).toBe('implicitDeny');
  });

  it('treats "*" as every resource', () => {
    expect(decide(on('*'), request('dynamodb:GetItem', OTHER_TABLE))).toBe('allowed');
  });
});

describe('deciding', () => {
  const allowAll = { Sid: 'AllowAll', Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' };
  const denyDelete = {
    Sid: 'DenyDelete',
    Effect: 'Deny',
    Action: 'dynamodb:DeleteItem',
    Resource: '*',
  };

  it('lets an explicit Deny win over any Allow, and says so', () => {
    const result = evaluate([parsed([allowAll, denyDelete])], request('dynamodb:DeleteItem'));
    expect(result.decision).toBe('explicitDeny');
    expect(result.summary).toBe(
      'Denied explicitly by DenyDelete, which wins over the Allow in AllowAll.',
    );
    expect(evaluate([parsed([allowAll, denyDelete])], request('dynamodb:GetItem')).decision).toBe(
      'allowed',
    );
  });

  it('denies implicitly when nothing allows, with each statement saying why it did not apply', () => {
    const result = evaluate(
      [
        parsed([
          { Sid: 'ReadOrders', Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE },
        ]),
      ],
      request('dynamodb:GetItem', OTHER_TABLE),
    );
    expect(result.decision).toBe('implicitDeny');
    expect(result.statements).toEqual([
      {
        statement: 'ReadOrders',
        effect: 'Allow',
        applies: false,
        reason: `Does not apply: its Resource does not include ${OTHER_TABLE}.`,
      },
    ]);
    expect(evaluate([], request('dynamodb:GetItem')).summary).toBe(
      'Denied implicitly: no policy grants anything, and IAM denies by default.',
    );
  });

  it('labels statements by Sid, else by position, and by policy when there are several', () => {
    const one = parsePolicy(
      policyText([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE }]),
      'inline',
    );
    const two = parsePolicy(policyText([denyDelete]), 'guardrail');
    expect(evaluate([one, two], request('dynamodb:GetItem')).summary).toBe(
      'Allowed by inline: statement 1.',
    );
    expect(evaluate([one, two], request('dynamodb:DeleteItem')).summary).toBe(
      'Denied explicitly by guardrail: DenyDelete.',
    );
  });

  it('evaluates nothing in a policy with errors', () => {
    const broken = parsePolicy('{"Statement": [{"Effect": "Allow"}]}');
    expect(evaluate([broken], request('dynamodb:GetItem'))).toEqual({
      decision: 'invalid',
      summary: 'Not evaluated: the policy has errors, so IAM would refuse it.',
      statements: [],
    });
  });
});

describe('NotAction and NotResource', () => {
  it('NotAction with Allow allows every other action, and NotAction with Deny denies every other', () => {
    const allowOthers = { Effect: 'Allow', NotAction: 'dynamodb:Delete*', Resource: '*' };
    expect(decide(allowOthers, request('dynamodb:GetItem'))).toBe('allowed');
    expect(decide(allowOthers, request('s3:GetObject', 'arn:aws:s3:::b/k'))).toBe('allowed');
    expect(decide(allowOthers, request('dynamodb:DeleteItem'))).toBe('implicitDeny');
    const denyOthers = [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', NotAction: 'dynamodb:GetItem', Resource: '*' },
    ];
    expect(decide(denyOthers, request('dynamodb:GetItem'))).toBe('allowed');
    expect(decide(denyOthers, request('dynamodb:PutItem'))).toBe('explicitDeny');
  });

  it('NotResource applies to every resource but the listed ones', () => {
    const statement = { Effect: 'Deny', Action: 'dynamodb:*', NotResource: TABLE };
    const policy = [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }, statement];
    expect(decide(policy, request('dynamodb:GetItem', TABLE))).toBe('allowed');
    expect(decide(policy, request('dynamodb:GetItem', OTHER_TABLE))).toBe('explicitDeny');
  });
});

describe('conditions', () => {
  const when = (Condition: unknown) => ({
    Effect: 'Allow',
    Action: 'dynamodb:GetItem',
    Resource: '*',
    Condition,
  });
  const inRegion = (region?: string, extra: Record<string, string> = {}) =>
    request('dynamodb:GetItem', TABLE, {
      ...(region ? { 'aws:RequestedRegion': region } : {}),
      ...extra,
    });

  it('StringEquals compares values with case, and key names without', () => {
    const statement = when({ StringEquals: { 'AWS:requestedregion': 'us-east-1' } });
    expect(decide(statement, inRegion('us-east-1'))).toBe('allowed');
    expect(decide(statement, inRegion('US-EAST-1'))).toBe('implicitDeny');
    expect(
      decide(
        when({ StringEqualsIgnoreCase: { 'aws:RequestedRegion': 'us-east-1' } }),
        inRegion('US-EAST-1'),
      ),
    ).toBe('allowed');
  });

  it('ORs the values of one key, NORs them for a negated operator, and ANDs keys and operators', () => {
    const either = when({ StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } });
    expect(decide(either, inRegion('us-east-1'))).toBe('allowed');
    const neither = when({
      StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] },
    });
    expect(decide(neither, inRegion('us-east-1'))).toBe('implicitDeny');
    expect(decide(neither, inRegion('ap-south-1'))).toBe('allowed');
    const both = when({
      StringEquals: { 'aws:RequestedRegion': 'us-east-1' },
      Bool: { 'aws:SecureTransport': 'true' },
    });
    expect(decide(both, inRegion('us-east-1', { 'aws:SecureTransport': 'true' }))).toBe('allowed');
    expect(decide(both, inRegion('us-east-1', { 'aws:SecureTransport': 'false' }))).toBe(
      'implicitDeny',
    );
  });

  it('makes a missing key false, true for a negated operator, and true with IfExists', () => {
    expect(decide(when({ StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }), inRegion())).toBe(
      'implicitDeny',
    );
    expect(
      decide(when({ StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } }), inRegion()),
    ).toBe('allowed');
    expect(
      decide(when({ StringEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } }), inRegion()),
    ).toBe('allowed');
    expect(
      decide(
        when({ StringEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } }),
        inRegion('us-east-1'),
      ),
    ).toBe('implicitDeny');
  });

  it('StringLike takes wildcards; Bool takes true or false, as text or JSON', () => {
    expect(
      decide(
        when({ StringLike: { 'aws:PrincipalTag/team': 'ord*' } }),
        inRegion(undefined, { 'aws:PrincipalTag/Team': 'orders' }),
      ),
    ).toBe('allowed');
    expect(
      decide(
        when({ Bool: { 'aws:SecureTransport': true } }),
        inRegion(undefined, { 'aws:SecureTransport': 'true' }),
      ),
    ).toBe('allowed');
    expect(
      problemsOf(policyText(when({ Bool: { 'aws:SecureTransport': 'yes' } })), 'error')[0]!.code,
    ).toBe('invalid-condition-value');
  });

  it('Null tests whether a key is present', () => {
    expect(decide(when({ Null: { 'aws:ResourceTag/env': 'true' } }), inRegion())).toBe('allowed');
    expect(decide(when({ Null: { 'aws:ResourceTag/env': 'false' } }), inRegion())).toBe(
      'implicitDeny',
    );
    expect(
      problemsOf(policyText(when({ NullIfExists: { 'aws:ResourceTag/env': 'true' } })), 'error')[0]!
        .code,
    ).toBe('null-with-if-exists');
  });

  it('ArnLike compares the six parts one by one, where StringLike would cross colons', () => {
    // The example of "Amazon Resource Name (ARN) condition operators" in the IAM User Guide.
    const pattern = 'arn:aws:lambda:*:123456789012:function:orders-*';
    const other =
      'arn:aws:lambda:us-east-1:999999999999:function:x:123456789012:function:orders-api';
    const context = (arn: string) => inRegion(undefined, { 'lambda:SourceFunctionArn': arn });
    expect(
      decide(
        when({ ArnLike: { 'lambda:SourceFunctionArn': pattern } }),
        context('arn:aws:lambda:us-east-1:123456789012:function:orders-api'),
      ),
    ).toBe('allowed');
    expect(
      decide(when({ StringLike: { 'lambda:SourceFunctionArn': pattern } }), context(other)),
    ).toBe('allowed');
    expect(decide(when({ ArnLike: { 'lambda:SourceFunctionArn': pattern } }), context(other))).toBe(
      'implicitDeny',
    );
  });

  it('explains a failed condition in the statement verdict', () => {
    const result = evaluate(
      [parsed(when({ StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } }))],
      inRegion('us-east-1'),
    );
    expect(result.statements[0]!.reason).toBe(
      `Does not apply: a condition is false. StringNotEquals aws:RequestedRegion: the request's "us-east-1" matches "us-east-1", so the condition is false.`,
    );
  });
});

describe('what the lab does not evaluate', () => {
  const withCondition = (Condition: unknown, Effect = 'Allow') => ({
    Effect,
    Action: 'dynamodb:GetItem',
    Resource: '*',
    Condition,
  });

  it.each([
    [
      'an operator outside the subset',
      { NumericLessThan: { 'aws:RequestedRegion': '1' } },
      'unsupported-operator',
    ],
    [
      'a key the requests do not carry',
      { StringEquals: { 'aws:SourceIp': '203.0.113.0/24' } },
      'unsupported-condition-key',
    ],
    [
      'a set operator',
      { 'ForAnyValue:StringLike': { 'aws:RequestedRegion': 'us-*' } },
      'set-operator',
    ],
    [
      'a policy variable',
      { StringEquals: { 'aws:PrincipalTag/team': '${aws:username}' } },
      'policy-variable',
    ],
    [
      'a Boolean key with a string operator',
      { StringEquals: { 'aws:SecureTransport': 'true' } },
      'condition-key-type',
    ],
  ])('reports %s as unsupported and cannot tell, instead of guessing', (_, condition, code) => {
    const policy = parsePolicy(policyText(withCondition(condition)));
    expect(policy.valid).toBe(true);
    expect(policy.problems.filter((p) => p.severity === 'unsupported').map((p) => p.code)).toEqual([
      code,
    ]);
    const result = evaluate(
      [policy],
      request('dynamodb:GetItem', TABLE, { 'aws:RequestedRegion': 'us-east-1' }),
    );
    expect(result.decision).toBe('unsupported');
    expect(result.summary).toMatch(
      /^Cannot tell: the Allow in statement 1 uses something the lab does not evaluate\.$/,
    );
  });

  it('still decides when the unsupported statement cannot change the outcome', () => {
    const statements = [
      withCondition({ NumericLessThan: { 'aws:RequestedRegion': '1' } }, 'Allow'),
      { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' },
    ];
    expect(decide(statements, request('dynamodb:GetItem'))).toBe('explicitDeny');
    // The unsupported statement is about GetItem only; PutItem is decided without it.
    expect(decide([statements[0]], request('dynamodb:PutItem'))).toBe('implicitDeny');
  });

  it('reports policy variables in resources and wildcard services as unsupported', () => {
    const codes = (Action: string, Resource: string) =>
      parsePolicy(policyText({ Effect: 'Allow', Action, Resource }))
        .problems.filter((p) => p.severity === 'unsupported')
        .map((p) => p.code);
    expect(codes('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')).toEqual([
      'policy-variable',
    ]);
    expect(codes('*:GetObject', '*')).toEqual(['service-wildcard']);
    expect(codes('s3:GetObject', 'arn:aws:*:::bucket')).toEqual(['service-wildcard']);
  });
});

describe('findings like IAM Access Analyzer', () => {
  const warnings = (statement: unknown) =>
    parsePolicy(policyText(statement))
      .problems.filter((p) => p.severity === 'warning')
      .map((p) => `${p.code}: ${p.message}`);

  it('suggests the action or service meant by a typo', () => {
    expect(warnings({ Effect: 'Allow', Action: 'dynamodb:GetItems', Resource: TABLE })).toEqual([
      'unknown-action: Statement.Action "dynamodb:GetItems" is not an action the course knows: did you mean "dynamodb:GetItem"? A misspelt action matches nothing.',
    ]);
    expect(warnings({ Effect: 'Allow', Action: 'logs:PutLogEvent', Resource: '*' })[0]).toMatch(
      /did you mean "logs:PutLogEvents"/,
    );
    expect(warnings({ Effect: 'Allow', Action: 'dynamdb:GetItem', Resource: TABLE })[0]).toMatch(
      /^unknown-service: .* "dynamdb", which the course does not know: did you mean "dynamodb"\?/,
    );
  });

  it('stays quiet about real actions and services it does not list', () => {
    expect(
      warnings({
        Effect: 'Allow',
        Action: ['dynamodb:DescribeContinuousBackups', 'ec2:DescribeInstances'],
        Resource: TABLE,
      }),
    ).toEqual([]);
  });

  it('warns that all of a service, every resource, NotAction or NotResource with Allow grant more than needed', () => {
    const codes = (statement: unknown) => warnings(statement).map((w) => w.split(':')[0]);
    expect(codes({ Effect: 'Allow', Action: 'dynamodb:*', Resource: TABLE })).toEqual([
      'over-broad-action',
    ]);
    expect(codes({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' })).toEqual([
      'over-broad-resource',
    ]);
    expect(
      codes({
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/*',
      }),
    ).toEqual(['over-broad-resource']);
    expect(codes({ Effect: 'Allow', NotAction: 'iam:*', Resource: TABLE })).toEqual([
      'allow-not-action',
    ]);
    expect(codes({ Effect: 'Allow', Action: 'dynamodb:GetItem', NotResource: TABLE })).toEqual([
      'allow-not-resource',
    ]);
    expect(
      warnings({
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: '*',
      })[0],
    ).toBe(
      'over-broad-resource: Statement.Resource "*" lets dynamodb:PutItem and dynamodb:DeleteItem act on every resource: it grants more than a function needs. Name the ARNs it uses.',
    );
  });

  it('knows which services name a resource type in their ARNs', () => {
    const codes = (Action: string, Resource: string) =>
      warnings({ Effect: 'Allow', Action, Resource }).map((w) => w.split(':')[0]);
    expect(codes('s3:GetObject', 'arn:aws:s3:::uploads/*')).toEqual([]);
    expect(codes('s3:GetObject', 'arn:aws:s3:::*')).toEqual(['over-broad-resource']);
    expect(codes('sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:*')).toEqual([
      'over-broad-resource',
    ]);
    expect(codes('logs:PutLogEvents', 'arn:aws:logs:us-east-1:123456789012:log-group:*')).toEqual([
      'over-broad-resource',
    ]);
  });

  it('accepts scoped grants, list actions on "*", and broad Deny statements', () => {
    expect(
      warnings({
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        Resource: TABLE,
      }),
    ).toEqual([]);
    expect(warnings({ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' })).toEqual([]);
    expect(warnings({ Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' })).toEqual([]);
    expect(
      warnings({
        Effect: 'Allow',
        Action: 'logs:PutLogEvents',
        Resource: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-api:*',
      }),
    ).toEqual([]);
  });

  it('knows actions as AWS spells them', () => {
    expect(knownAction('DYNAMODB:getitem')).toBe('dynamodb:GetItem');
    expect(knownAction('dynamodb:GetItems')).toBeUndefined();
  });
});

describe('a policy lab goal', () => {
  const calls: PolicyLabCall[] = [
    { title: 'Read', action: 'dynamodb:GetItem', resource: TABLE, needed: true, context: {} },
    { title: 'Delete', action: 'dynamodb:DeleteItem', resource: TABLE, needed: false, context: {} },
  ];

  it('is met when needed calls are allowed, others denied and nothing is too broad', () => {
    const report = checkPolicyLab(
      { calls },
      policyText({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE }),
    );
    expect(report.goal.met).toBe(true);
    expect(report.outcomes.map((o) => [o.result.decision, o.meetsGoal])).toEqual([
      ['allowed', true],
      ['implicitDeny', true],
    ]);
  });

  it('says what is short of it', () => {
    expect(
      checkPolicyLab(
        { calls },
        policyText({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }),
      ).goal.summary,
    ).toBe(
      'Goal not met: 1 call it must not make is not denied and 2 grants are broader than needed.',
    );
    expect(
      checkPolicyLab(
        { calls },
        policyText({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: TABLE }),
      ).goal.summary,
    ).toBe('Goal not met: 1 call the function needs is not allowed.');
    expect(checkPolicyLab({ calls }, '{').goal.summary).toBe(
      'Goal not met: fix 1 error first, as IAM would refuse the policy.',
    );
  });

  it('counts an explicit Deny of a call the function must not make as meeting it', () => {
    const report = checkPolicyLab(
      { calls },
      policyText([
        { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:DeleteItem'], Resource: TABLE },
        { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: TABLE },
      ]),
    );
    expect(report.outcomes[1]).toMatchObject({
      meetsGoal: true,
      result: { decision: 'explicitDeny' },
    });
    expect(report.goal.met).toBe(true);
  });
});
