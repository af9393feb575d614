import { z } from 'zod';

/**
 * IAM for the course: a policy simulator for identity-based policies, and the
 * policy labs' contract between the page and the browser. Everything here is
 * pure and safe in a browser (zod only), because the lab evaluates the
 * learner's policy as they type; the server (lib/iam/index) uses the same
 * functions to prove a lab's starter and solution.
 *
 * The layer rule lets a part's browser code live only in its contract, so the
 * whole evaluator is in this one module, in sections: limits, the JSON reader,
 * the action list, matching, conditions, reading a policy, evaluation, and the
 * policy lab's goal.
 *
 * What is modelled is a documented subset of IAM, and the rest is reported as
 * "unsupported" rather than guessed (docs/authoring.md, "PolicyLab", lists it):
 * - Policy evaluation within one account, identity-based policies only:
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *   and explicit versus implicit deny:
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html
 * - Elements: Version, Id, Statement, Sid, Effect, Action, NotAction,
 *   Resource, NotResource, Condition (reference_policies_elements_*.html).
 * - Condition operators: the String, ARN, Bool and Null operators, with
 *   ...IfExists; keys: CONDITION_KEYS below.
 * - Findings modelled on IAM Access Analyzer's policy checks:
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 *   plus the course's own least-privilege checks (OVER_BROAD_CODES), after
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
 */

// ───────────────────────────── Limits ─────────────────────────────

/** The longest policy text the editor and a request accept, whitespace included: room for IAM's largest quota, indented. */
export const MAX_POLICY_TEXT_CHARS = 24_000;
/**
 * IAM refuses a role whose inline policies together pass this many characters,
 * whitespace not counted ("IAM and AWS STS quotas", role policy size).
 */
export const ROLE_POLICY_QUOTA_CHARS = 10_240;
/** Nesting a policy never needs: Statement → statement → Condition → operator → key → list is six deep. */
export const MAX_POLICY_DEPTH = 16;
/** Statements in one policy: more than IAM's size quota leaves room for, and few enough to evaluate on every keystroke. */
export const MAX_STATEMENTS = 100;
/** Entries in one Action, Resource or condition value list. */
export const MAX_LIST_ENTRIES = 100;
/** Problems reported for one policy: enough to fix it; a pasted file of anything does not need thousands. */
export const MAX_POLICY_PROBLEMS = 50;
/** Calls one policy lab may list. */
export const MAX_POLICY_LAB_CALLS = 20;
/** The longest ARN IAM accepts, and so the longest resource a lab call may name. */
export const MAX_ARN_LENGTH = 2048;

// ──────────────────────── Problems and positions ────────────────────────

/**
 * How serious a finding is. An `error` is what IAM refuses or IAM Access
 * Analyzer reports as an error (bad JSON, a missing element, a malformed ARN):
 * nothing is evaluated until it is fixed. A `warning` is a policy that works
 * but grants more than it should or looks mistyped. `unsupported` marks
 * something real in IAM that the course does not evaluate, so decisions that
 * depend on it read "Cannot tell" instead of guessing.
 */
export type ProblemSeverity = 'error' | 'warning' | 'unsupported';

export interface PolicyProblem {
  severity: ProblemSeverity;
  /** A stable name for the kind of finding, e.g. `json-syntax` or `over-broad-resource`. */
  code: string;
  /** What is wrong and what to do, starting with the element's JSON path when there is one. */
  message: string;
  /** The JSON path of the element at fault, e.g. `Statement[0].Action[1]`; empty for the whole text. */
  path: string;
  /** 1-based line and column in the policy text. */
  line: number;
  column: number;
}

/** The warnings that say a statement grants more than the function needs: a policy lab's goal allows none. */
export const OVER_BROAD_CODES: ReadonlySet<string> = new Set([
  'over-broad-action',
  'over-broad-resource',
  'allow-not-action',
  'allow-not-resource',
]);

type JsonPath = readonly (string | number)[];

/** `Statement[0].Condition.StringEquals["aws:RequestedRegion"]`: a path as a learner reads it. */
export function formatJsonPath(path: JsonPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function positionIn(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

// ──────────────────────────── The JSON reader ────────────────────────────
// JSON.parse reports neither where a value sits nor repeated keys, and its
// messages differ between browsers; this reader gives every value its offset
// and says what is wrong in words a learner can act on.

interface JsonSpan {
  start: number;
  end: number;
}
interface JsonEntry {
  key: string;
  keyStart: number;
  value: JsonNode;
}
type JsonNode =
  | (JsonSpan & { kind: 'object'; entries: JsonEntry[] })
  | (JsonSpan & { kind: 'array'; items: JsonNode[] })
  | (JsonSpan & { kind: 'string'; value: string })
  | (JsonSpan & { kind: 'number'; value: number })
  | (JsonSpan & { kind: 'boolean'; value: boolean })
  | (JsonSpan & { kind: 'null'; value: null });

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER_PATTERN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class JsonReader {
  private pos = 0;
  /** Keys written twice in one object, with where the second one is. */
  readonly duplicates: { path: JsonPath; key: string; offset: number }[] = [];

  constructor(private readonly text: string) {}

  readDocument(): JsonNode {
    this.skipSpace();
    if (this.pos >= this.text.length)
      throw new JsonSyntaxError(
        'The policy is empty: write a JSON object, {"Version": "2012-10-17", "Statement": [ … ]}.',
        0,
      );
    const node = this.readValue([], 0);
    this.skipSpace();
    if (this.pos < this.text.length)
      throw new JsonSyntaxError(
        `Unexpected ${this.describeHere()} after the end of the policy: a policy is a single JSON object.`,
        this.pos,
      );
    return node;
  }

  private describeHere(): string {
    const ch = this.text[this.pos];
    if (ch === undefined) return 'end of the text';
    if (ch === '\n') return 'line break';
    if (ch === '"') return 'a string';
    return `"${ch}"`;
  }

  private skipSpace(): void {
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') this.pos++;
      else if (ch === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*'))
        throw new JsonSyntaxError('Comments are not allowed in JSON: remove this one.', this.pos);
      else return;
    }
  }

  private readValue(path: JsonPath, depth: number): JsonNode {
    if (depth > MAX_POLICY_DEPTH)
      throw new JsonSyntaxError(
        `The policy nests deeper than ${MAX_POLICY_DEPTH} levels; no policy needs that many.`,
        this.pos,
      );
    const ch = this.text[this.pos];
    if (ch === '{') return this.readObject(path, depth);
    if (ch === '[') return this.readArray(path, depth);
    if (ch === '"') return this.readString();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.readNumber();
    if (ch === "'")
      throw new JsonSyntaxError('JSON strings use double quotes ("), not single quotes.', this.pos);
    if (ch === undefined)
      throw new JsonSyntaxError(
        'The policy ends too early: a value and the closing brackets are missing.',
        this.pos,
      );
    if (/[A-Za-z]/.test(ch)) return this.readWord();
    throw new JsonSyntaxError(
      `Unexpected ${this.describeHere()}: expected a value (a string in double quotes, a number, true, false, null, an object or a list).`,
      this.pos,
    );
  }

  private readObject(path: JsonPath, depth: number): JsonNode {
    const start = this.pos++;
    const entries: JsonEntry[] = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', start, end: this.pos, entries };
    }
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === '}' && entries.length > 0)
        throw new JsonSyntaxError(
          'A comma before } is not allowed in JSON: remove the last comma.',
          this.pos,
        );
      if (ch === "'")
        throw new JsonSyntaxError(
          'JSON property names use double quotes ("), not single.',
          this.pos,
        );
      if (ch !== '"')
        throw new JsonSyntaxError(
          ch === undefined
            ? 'The policy ends inside an object: a closing brace (}) is missing.'
            : `Expected a property name in double quotes, found ${this.describeHere()}.`,
          this.pos,
        );
      const keyStart = this.pos;
      const key = this.readString().value;
      this.skipSpace();
      if (this.text[this.pos] !== ':')
        throw new JsonSyntaxError(
          `Expected a colon (:) after the property name "${key}".`,
          this.pos,
        );
      this.pos++;
      this.skipSpace();
      const value = this.readValue([...path, key], depth + 1);
      if (entries.some((entry) => entry.key === key))
        this.duplicates.push({ path, key, offset: keyStart });
      entries.push({ key, keyStart, value });
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        this.skipSpace();
        continue;
      }
      if (next === '}') {
        this.pos++;
        return { kind: 'object', start, end: this.pos, entries };
      }
      throw new JsonSyntaxError(
        next === undefined
          ? 'The policy ends inside an object: a closing brace (}) is missing.'
          : `Expected a comma (,) or a closing brace (}) after the value of "${key}", found ${this.describeHere()}.`,
        this.pos,
      );
    }
  }

  private readArray(path: JsonPath, depth: number): JsonNode {
    const start = this.pos++;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', start, end: this.pos, items };
    }
    for (;;) {
      if (this.text[this.pos] === ']')
        throw new JsonSyntaxError(
          'A comma before ] is not allowed in JSON: remove the last comma.',
          this.pos,
        );
      items.push(this.readValue([...path, items.length], depth + 1));
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        this.skipSpace();
        continue;
      }
      if (next === ']') {
        this.pos++;
        return { kind: 'array', start, end: this.pos, items };
      }
      throw new JsonSyntaxError(
        next === undefined
          ? 'The policy ends inside a list: a closing bracket (]) is missing.'
          : `Expected a comma (,) or a closing bracket (]) after a list item, found ${this.describeHere()}.`,
        this.pos,
      );
    }
  }

  private readString(): JsonNode & { kind: 'string' } {
    const start = this.pos++;
    let value = '';
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined)
        throw new JsonSyntaxError(
          'This string is never closed: add the closing double quote (").',
          start,
        );
      if (ch === '"') {
        this.pos++;
        return { kind: 'string', start, end: this.pos, value };
      }
      if (ch === '\n' || ch === '\r')
        throw new JsonSyntaxError(
          'This string is never closed before the end of the line: add the closing double quote (").',
          start,
        );
      if (ch < ' ')
        throw new JsonSyntaxError(
          'A tab or control character inside a string must be written as an escape such as \\t.',
          this.pos,
        );
      if (ch === '\\') {
        const escape = this.text[this.pos + 1];
        if (escape === 'u') {
          const hex = this.text.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex))
            throw new JsonSyntaxError('\\u must be followed by four hexadecimal digits.', this.pos);
          value += String.fromCharCode(Number.parseInt(hex, 16));
          this.pos += 6;
          continue;
        }
        const replacement = escape === undefined ? undefined : ESCAPES[escape];
        if (replacement === undefined)
          throw new JsonSyntaxError(
            'Unknown escape: inside a JSON string a backslash starts \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX.',
            this.pos,
          );
        value += replacement;
        this.pos += 2;
        continue;
      }
      value += ch;
      this.pos++;
    }
  }

  private readNumber(): JsonNode {
    NUMBER_PATTERN.lastIndex = this.pos;
    const match = NUMBER_PATTERN.exec(this.text);
    if (!match) throw new JsonSyntaxError('This is not a valid JSON number.', this.pos);
    const start = this.pos;
    this.pos += match[0].length;
    return { kind: 'number', start, end: this.pos, value: Number(match[0]) };
  }

  private readWord(): JsonNode {
    const start = this.pos;
    const word = /^[A-Za-z_][\w]*/.exec(this.text.slice(start, start + 64))?.[0] ?? '';
    this.pos += word.length;
    if (word === 'true' || word === 'false')
      return { kind: 'boolean', start, end: this.pos, value: word === 'true' };
    if (word === 'null') return { kind: 'null', start, end: this.pos, value: null };
    throw new JsonSyntaxError(
      /^(true|false|null)$/i.test(word)
        ? `JSON writes ${word.toLowerCase()} in lower case.`
        : `Unexpected word "${word}": text must be in double quotes, and JSON knows only true, false and null.`,
      start,
    );
  }
}

/** The plain value of a node; objects are built with defineProperty semantics, so a "__proto__" key stays a key. */
function plainValueOf(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(
        node.entries.map((entry) => [entry.key, plainValueOf(entry.value)]),
      );
    case 'array':
      return node.items.map(plainValueOf);
    default:
      return node.value;
  }
}

/**
 * Where the element a path names is written, and the path as the learner reads
 * it. A path may name an element that is missing (its nearest written parent
 * gives the position), and the schema reads a single string as a list of one,
 * so `Action[0]` of `"Action": "s3:*"` is shown as `Action`.
 */
function resolvePath(
  root: JsonNode,
  path: JsonPath,
  key?: string,
): { offset: number; path: JsonPath } {
  let node: JsonNode | undefined = root;
  let offset = root.start;
  const written: (string | number)[] = [];
  for (const segment of path) {
    if (node === undefined) {
      written.push(segment);
      continue;
    }
    if (node.kind === 'object' && typeof segment === 'string') {
      node = node.entries.findLast((entry) => entry.key === segment)?.value;
    } else if (node.kind === 'array' && typeof segment === 'number') {
      node = node.items[segment];
    } else if (typeof segment === 'number' && node.kind !== 'object') {
      continue;
    } else node = undefined;
    written.push(segment);
    if (node) offset = node.start;
  }
  if (key !== undefined && node?.kind === 'object') {
    const entry = node.entries.find((e) => e.key === key);
    if (entry) offset = entry.keyStart;
  }
  return { offset, path: written };
}

// ──────────────────────────── The action list ────────────────────────────

/**
 * The services whose actions the course knows, with each action's access level
 * from the Service Authorization Reference (the "Actions defined by …" table of
 * list_awslambda.html, list_amazoncloudwatchlogs.html, list_amazons3.html,
 * list_amazondynamodb.html, list_awsstepfunctions.html, list_amazonsqs.html and
 * list_amazonsns.html under
 * https://docs.aws.amazon.com/service-authorization/latest/reference/).
 * It is a small subset: enough to spot a typo and to tell read from write,
 * never a reason to call an unlisted action invalid.
 */
const ACTION_CATALOG = {
  lambda: {
    list: ['ListFunctions', 'ListVersionsByFunction', 'ListAliases', 'ListLayerVersions'],
    read: ['GetFunction', 'GetFunctionConfiguration', 'GetPolicy', 'GetLayerVersion', 'GetAlias'],
    write: [
      'CreateFunction',
      'DeleteFunction',
      'InvokeFunction',
      'InvokeFunctionUrl',
      'UpdateFunctionCode',
      'UpdateFunctionConfiguration',
      'PublishVersion',
      'PublishLayerVersion',
      'PutFunctionConcurrency',
      'DeleteFunctionConcurrency',
      'PutProvisionedConcurrencyConfig',
      'CreateEventSourceMapping',
      'CreateAlias',
    ],
    permissions: ['AddPermission', 'RemovePermission'],
  },
  logs: {
    list: ['DescribeLogGroups', 'DescribeLogStreams'],
    read: ['GetLogEvents', 'FilterLogEvents', 'StartQuery', 'GetQueryResults'],
    write: [
      'CreateLogGroup',
      'CreateLogStream',
      'PutLogEvents',
      'DeleteLogGroup',
      'DeleteLogStream',
      'PutRetentionPolicy',
    ],
    permissions: [],
  },
  s3: {
    list: ['ListBucket', 'ListAllMyBuckets', 'ListBucketVersions', 'ListMultipartUploadParts'],
    read: [
      'GetObject',
      'GetObjectVersion',
      'GetObjectAttributes',
      'GetBucketLocation',
      'GetBucketPolicy',
    ],
    write: [
      'PutObject',
      'DeleteObject',
      'DeleteObjectVersion',
      'CreateBucket',
      'DeleteBucket',
      'AbortMultipartUpload',
    ],
    permissions: ['PutBucketPolicy', 'DeleteBucketPolicy', 'PutObjectAcl', 'PutBucketAcl'],
  },
  dynamodb: {
    list: ['ListTables', 'ListStreams'],
    read: [
      'GetItem',
      'BatchGetItem',
      'Query',
      'Scan',
      'ConditionCheckItem',
      'DescribeTable',
      'DescribeStream',
      'GetRecords',
      'GetShardIterator',
    ],
    write: [
      'PutItem',
      'UpdateItem',
      'DeleteItem',
      'BatchWriteItem',
      'CreateTable',
      'UpdateTable',
      'DeleteTable',
    ],
    permissions: [],
  },
  states: {
    list: ['ListStateMachines', 'ListExecutions'],
    read: ['DescribeExecution', 'DescribeStateMachine', 'GetExecutionHistory'],
    write: [
      'StartExecution',
      'StartSyncExecution',
      'StopExecution',
      'CreateStateMachine',
      'UpdateStateMachine',
      'DeleteStateMachine',
      'SendTaskSuccess',
      'SendTaskFailure',
      'SendTaskHeartbeat',
    ],
    permissions: [],
  },
  sqs: {
    list: ['ListQueues'],
    read: ['ReceiveMessage', 'GetQueueAttributes', 'GetQueueUrl'],
    write: [
      'SendMessage',
      'DeleteMessage',
      'ChangeMessageVisibility',
      'PurgeQueue',
      'CreateQueue',
      'DeleteQueue',
      'SetQueueAttributes',
    ],
    permissions: ['AddPermission', 'RemovePermission'],
  },
  sns: {
    list: ['ListTopics', 'ListSubscriptionsByTopic'],
    read: ['GetTopicAttributes'],
    write: [
      'Publish',
      'Subscribe',
      'Unsubscribe',
      'CreateTopic',
      'DeleteTopic',
      'SetTopicAttributes',
    ],
    permissions: ['AddPermission', 'RemovePermission'],
  },
} as const;

/** The service prefixes whose actions the course lists (its lessons use these services). */
export type CourseService = keyof typeof ACTION_CATALOG;
export const COURSE_SERVICES = Object.keys(ACTION_CATALOG) as CourseService[];
/** An action's access level, as the Service Authorization Reference classifies it. */
export type AccessLevel = 'list' | 'read' | 'write' | 'permissions';

/** Real service prefixes the course does not list actions for: granting them is not a typo. */
const OTHER_SERVICES = [
  'iam',
  'sts',
  'kms',
  'ec2',
  'xray',
  'events',
  'scheduler',
  'execute-api',
  'apigateway',
  'cloudwatch',
  'ssm',
  'secretsmanager',
  'kinesis',
  'firehose',
  'ecr',
  'elasticfilesystem',
  'cognito-idp',
  'appsync',
  'cloudformation',
  'pipes',
];

interface KnownAction {
  /** As AWS writes it, e.g. `dynamodb:GetItem`. */
  name: string;
  service: CourseService;
  level: AccessLevel;
}

const KNOWN_ACTIONS: ReadonlyMap<string, KnownAction> = new Map(
  COURSE_SERVICES.flatMap((service) =>
    (Object.keys(ACTION_CATALOG[service]) as AccessLevel[]).flatMap((level) =>
      ACTION_CATALOG[service][level].map((action): [string, KnownAction] => [
        `${service}:${action}`.toLowerCase(),
        { name: `${service}:${action}`, service, level },
      ]),
    ),
  ),
);

/** The action as AWS spells it, when it is in the course's list (`DYNAMODB:getitem` → `dynamodb:GetItem`). */
export function knownAction(action: string): string | undefined {
  return KNOWN_ACTIONS.get(action.toLowerCase())?.name;
}

/** Edit distance with adjacent swaps, giving up past `limit`: enough to call a word a typo of another. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** The closest candidate, compared without case, if it is close enough to be what was meant. */
function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(lower.length / 4)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase(), limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

// ──────────────────────────── Matching ────────────────────────────

interface WildcardToken {
  /** A literal character, or `*` / `?` as wildcards. */
  char: string;
  wildcard: boolean;
  /** Whether the wildcard may match a colon (a resource ARN's `*` at the end of a segment). */
  crossesColons: boolean;
}

/**
 * Whether `text` matches `pattern`, where `*` is any run of characters and `?`
 * any one. Dynamic programming over the pattern, linear in the text for each
 * pattern character, so no pattern a learner types can make it backtrack for long.
 */
function wildcardMatch(
  tokens: readonly WildcardToken[],
  text: string,
  ignoreCase: boolean,
): boolean {
  const subject = ignoreCase ? text.toLowerCase() : text;
  let row = new Uint8Array(subject.length + 1);
  row[0] = 1;
  for (const token of tokens) {
    const next = new Uint8Array(subject.length + 1);
    if (token.wildcard && token.char === '*') {
      for (let j = 0; j <= subject.length; j++) {
        next[j] =
          row[j] || (j > 0 && next[j - 1] && (token.crossesColons || subject[j - 1] !== ':'))
            ? 1
            : 0;
      }
    } else {
      const literal = ignoreCase ? token.char.toLowerCase() : token.char;
      for (let j = 1; j <= subject.length; j++) {
        const ch = subject[j - 1]!;
        const fits = token.wildcard ? token.crossesColons || ch !== ':' : ch === literal;
        next[j] = row[j - 1] && fits ? 1 : 0;
      }
    }
    row = next;
  }
  return row[subject.length] === 1;
}

function plainTokens(pattern: string): WildcardToken[] {
  return pattern.split('').map((char) => ({
    char,
    wildcard: char === '*' || char === '?',
    crossesColons: true,
  }));
}

/**
 * A Resource pattern's tokens. Wildcards match within the colon-separated
 * segment they sit in, but a `*` that ends a segment "can expand to match
 * beyond the colon boundaries" (IAM JSON policy elements: Resource,
 * reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards).
 */
function resourceTokens(pattern: string): WildcardToken[] {
  return pattern.split('').map((char, index, chars) => {
    const next = chars[index + 1];
    return {
      char,
      wildcard: char === '*' || char === '?',
      crossesColons: char === '*' && (next === undefined || next === ':'),
    };
  });
}

/** Action names and their service prefixes match without case (IAM JSON policy elements: Action). */
function actionMatches(pattern: string, action: string): boolean {
  return pattern === '*' || wildcardMatch(plainTokens(pattern), action, true);
}

/** Resource ARNs match with case (IAM JSON policy elements: Resource). */
function resourceMatches(pattern: string, resource: string): boolean {
  return pattern === '*' || wildcardMatch(resourceTokens(pattern), resource, false);
}

/** An ARN's six colon-separated parts; the last (the resource) may hold colons of its own. */
function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * ArnEquals and ArnLike: "each of the six colon-delimited components of the ARN
 * is checked separately" and each may hold wildcards, with case (condition
 * operators, reference_policies_elements_condition_operators.html#Conditions_ARN).
 */
function arnConditionMatches(pattern: string, value: string): boolean {
  const patternParts = arnParts(pattern);
  const valueParts = arnParts(value);
  if (!patternParts || !valueParts) return false;
  return patternParts.every((part, index) =>
    wildcardMatch(plainTokens(part), valueParts[index]!, false),
  );
}

// ──────────────────────────── Conditions ────────────────────────────

/** The value types of the condition keys the lab supplies. */
type KeyType = 'string' | 'arn' | 'bool';

/**
 * The condition keys a policy lab's requests can carry, with their types from
 * "AWS global condition context keys" (reference_policies_condition-keys.html)
 * and, for lambda:SourceFunctionArn, "Using source function ARN to control
 * function access behavior" in the Lambda developer guide. A key outside this
 * list is reported as unsupported: the lab cannot know whether AWS would put it
 * in the request. Key names match without case.
 */
export const CONDITION_KEYS: Readonly<Record<string, KeyType>> = {
  'aws:RequestedRegion': 'string',
  'aws:SecureTransport': 'bool',
  'aws:PrincipalArn': 'arn',
  'aws:PrincipalAccount': 'string',
  'aws:ResourceAccount': 'string',
  'lambda:SourceFunctionArn': 'arn',
};
/** Keys with a tag name after the slash; the tag name matches without case too. */
export const CONDITION_KEY_PREFIXES: Readonly<Record<string, KeyType>> = {
  'aws:PrincipalTag/': 'string',
  'aws:ResourceTag/': 'string',
};

/** The type of a condition key the lab supports, or undefined. */
export function conditionKeyType(key: string): KeyType | undefined {
  const lower = key.toLowerCase();
  for (const [name, type] of Object.entries(CONDITION_KEYS))
    if (name.toLowerCase() === lower) return type;
  for (const [prefix, type] of Object.entries(CONDITION_KEY_PREFIXES))
    if (lower.startsWith(prefix.toLowerCase()) && lower.length > prefix.length) return type;
  return undefined;
}

interface OperatorRule {
  /** The key types it compares: string operators also compare ARN keys, as AWS documents for aws:PrincipalArn. */
  keyTypes: readonly KeyType[];
  /** Negated operators are true when the key is missing, and NOR their values. */
  negated: boolean;
  test(contextValue: string, policyValue: string): boolean;
}

const STRING_KEYS: readonly KeyType[] = ['string', 'arn'];
const arnEquals = (c: string, p: string) => arnConditionMatches(p, c);
const like = (c: string, p: string) => wildcardMatch(plainTokens(p), c, false);
const equalsIgnoringCase = (c: string, p: string) => c.toLowerCase() === p.toLowerCase();

/**
 * The condition operators the lab evaluates (IAM JSON policy elements:
 * Condition operators). Each may end in IfExists; Null may not.
 */
const OPERATORS: Readonly<Record<string, OperatorRule>> = {
  StringEquals: { keyTypes: STRING_KEYS, negated: false, test: (c, p) => c === p },
  StringNotEquals: { keyTypes: STRING_KEYS, negated: true, test: (c, p) => c === p },
  StringEqualsIgnoreCase: { keyTypes: STRING_KEYS, negated: false, test: equalsIgnoringCase },
  StringNotEqualsIgnoreCase: { keyTypes: STRING_KEYS, negated: true, test: equalsIgnoringCase },
  StringLike: { keyTypes: STRING_KEYS, negated: false, test: like },
  StringNotLike: { keyTypes: STRING_KEYS, negated: true, test: like },
  ArnEquals: { keyTypes: ['arn'], negated: false, test: arnEquals },
  ArnLike: { keyTypes: ['arn'], negated: false, test: arnEquals },
  ArnNotEquals: { keyTypes: ['arn'], negated: true, test: arnEquals },
  ArnNotLike: { keyTypes: ['arn'], negated: true, test: arnEquals },
  Bool: { keyTypes: ['bool'], negated: false, test: (c, p) => c === p },
};

/** Operators IAM documents that the lab does not evaluate: reported as unsupported, not as mistakes. */
const OTHER_OPERATORS = [
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
];

export const SUPPORTED_CONDITION_OPERATORS: readonly string[] = [...Object.keys(OPERATORS), 'Null'];

interface ParsedCondition {
  /** As written, e.g. `StringEqualsIfExists`. */
  operator: string;
  /** As written, e.g. `aws:RequestedRegion`. */
  key: string;
  values: string[];
  ifExists: boolean;
  /** Null tests whether the key is present rather than comparing its value. */
  isNull: boolean;
  /** The comparison, for every operator but Null. */
  rule: OperatorRule | undefined;
  /** Why the lab cannot evaluate it, when it cannot. */
  unsupported: string | undefined;
}

/** Looks a key up without case, as IAM compares key names. */
function contextValue(context: Readonly<Record<string, string>>, key: string): string | undefined {
  const lower = key.toLowerCase();
  for (const [name, value] of Object.entries(context))
    if (name.toLowerCase() === lower) return value;
  return undefined;
}

type Tristate = boolean | 'unknown';

/**
 * One condition against the request, with "Conditions with multiple context
 * keys or values": values of one key are ORed, and NORed for a negated
 * operator; a missing key makes a condition false, or true for a negated
 * operator or an ...IfExists one.
 */
function testCondition(
  condition: ParsedCondition,
  context: Readonly<Record<string, string>>,
): { result: Tristate; reason: string } {
  const { operator, key, values } = condition;
  const wanted =
    values.length === 1 ? `"${values[0]}"` : `any of ${values.map((v) => `"${v}"`).join(', ')}`;
  if (condition.unsupported || (!condition.isNull && !condition.rule))
    return { result: 'unknown', reason: condition.unsupported ?? `${operator} is not evaluated` };
  const value = contextValue(context, key);
  if (condition.isNull) {
    const absent = value === undefined;
    const result = values.some((v) => (v === 'true') === absent);
    return {
      result,
      reason: `Null ${key}: the request ${absent ? 'has no' : 'has a'} ${key}, and the condition wants ${wanted}.`,
    };
  }
  if (value === undefined) {
    const result = condition.ifExists || condition.rule!.negated;
    return {
      result,
      reason: `${operator} ${key}: the request has no ${key}, so the condition is ${result}.`,
    };
  }
  const rule = condition.rule!;
  const anyMatch = values.some((v) => rule.test(value, v));
  const result = rule.negated ? !anyMatch : anyMatch;
  return {
    result,
    reason: `${operator} ${key}: the request's "${value}" ${anyMatch ? 'matches' : 'does not match'} ${wanted}${rule.negated ? `, so the condition is ${result}` : ''}.`,
  };
}

// ──────────────────────────── Reading a policy ────────────────────────────

export type Effect = 'Allow' | 'Deny';

/** A statement as the evaluator uses it, with what the lab cannot evaluate in it. */
export interface ParsedStatement {
  /** `Sid` when it has one, else "statement 2" (counting from 1). */
  label: string;
  effect: Effect;
  action: string[] | undefined;
  notAction: string[] | undefined;
  resource: string[] | undefined;
  notResource: string[] | undefined;
  conditions: ParsedCondition[];
  /** Entries of Action/NotAction and Resource/NotResource the lab cannot match (policy variables, wildcard services). */
  opaque: { action: Set<string>; resource: Set<string> };
  line: number;
  column: number;
}

export interface ParsedPolicy {
  /** Names the policy in reasons when several are evaluated together. */
  name: string;
  statements: ParsedStatement[];
  problems: PolicyProblem[];
  /** No errors: IAM would accept the policy, and the evaluator can run. */
  valid: boolean;
}

const STATEMENT_ELEMENTS = [
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
  'Principal',
  'NotPrincipal',
];
const POLICY_ELEMENTS = ['Version', 'Id', 'Statement'];
/** The current policy language; 2008-10-17 is older and lacks policy variables (IAM JSON policy elements: Version). */
const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'];

const stringList = (what: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? [value] : value),
    z
      .array(z.string({ error: `must be a string` }), {
        error: `must be a string or a list of strings, e.g. ${what}`,
      })
      .max(MAX_LIST_ENTRIES, `lists more than ${MAX_LIST_ENTRIES} entries`),
  );

const conditionValuesSchema = z.preprocess(
  (value) => (Array.isArray(value) ? value : [value]),
  z
    .array(z.union([z.string(), z.number(), z.boolean()]), {
      error: 'must be a string, a number, true or false, or a list of them',
    })
    .max(MAX_LIST_ENTRIES, `lists more than ${MAX_LIST_ENTRIES} values`),
);

const conditionSchema = z.record(
  z.string(),
  z.record(z.string(), conditionValuesSchema, {
    error: 'must map condition keys to values, e.g. { "aws:RequestedRegion": "us-east-1" }',
  }),
  { error: 'must map condition operators to keys, e.g. { "StringEquals": { … } }' },
);

/** The grammar of one statement (IAM JSON policy grammar); what it means is checked after. */
const statementSchema = z
  .object({
    Sid: z
      .string({ error: 'must be a string' })
      .regex(/^[A-Za-z0-9]*$/, 'may contain only ASCII letters and digits')
      .optional(),
    Effect: z.enum(['Allow', 'Deny'], {
      error: (issue) =>
        issue.input === undefined
          ? 'is missing: add "Effect": "Allow" or "Effect": "Deny"'
          : 'must be "Allow" or "Deny", written exactly so',
    }),
    Action: stringList('"dynamodb:GetItem"').optional(),
    NotAction: stringList('"dynamodb:DeleteItem"').optional(),
    Resource: stringList('"arn:aws:dynamodb:us-east-1:123456789012:table/orders"').optional(),
    NotResource: stringList('"arn:aws:s3:::private-bucket/*"').optional(),
    Condition: conditionSchema.optional(),
    Principal: z.unknown().optional(),
    NotPrincipal: z.unknown().optional(),
  })
  .strict();

/**
 * What every statement needs whatever else is wrong with it (zod skips
 * refinements once a field fails, and a learner should see all of these at once).
 */
function checkStatementShape(raw: object, path: JsonPath, problems: ProblemList): void {
  const has = (element: string) => Object.hasOwn(raw, element);
  for (const one of ['Action', 'Resource'] as const) {
    const not = `Not${one}`;
    if (!has(one) && !has(not))
      problems.at(
        'error',
        `missing-${one.toLowerCase()}`,
        path,
        one === 'Action'
          ? 'has no Action: add an Action or NotAction element.'
          : 'has no Resource: an identity-based policy needs a Resource or NotResource element.',
      );
    if (has(one) && has(not))
      problems.at(
        'error',
        'invalid-element',
        [...path, not],
        `cannot be used with ${one} in the same statement: keep one of them.`,
      );
  }
  for (const element of ['Principal', 'NotPrincipal'])
    if (has(element))
      problems.at(
        'error',
        'principal-in-identity-policy',
        [...path, element],
        "belongs in resource-based policies: an identity-based policy, such as an execution role's, must not name a principal.",
      );
}

const policySchema = z
  .object({
    Version: z.string({ error: 'must be a string, "2012-10-17"' }).optional(),
    Id: z.string({ error: 'must be a string' }).optional(),
    Statement: z.unknown(),
  })
  .strict();

type StatementInput = z.infer<typeof statementSchema>;

/** Collects problems with their positions, up to MAX_POLICY_PROBLEMS. */
class ProblemList {
  readonly items: PolicyProblem[] = [];
  private readonly starts: number[];
  private dropped = 0;

  constructor(
    text: string,
    private readonly root: JsonNode | undefined,
  ) {
    this.starts = lineStartsOf(text);
  }

  atOffset(severity: ProblemSeverity, code: string, offset: number, message: string): void {
    this.push({ severity, code, message, path: '', ...positionIn(this.starts, offset) });
  }

  /** A problem about the element at `path` (or, with `key`, about that key of it): the message follows its path. */
  at(severity: ProblemSeverity, code: string, path: JsonPath, message: string, key?: string): void {
    const resolved = this.root ? resolvePath(this.root, path, key) : { offset: 0, path };
    const shown = formatJsonPath(resolved.path);
    this.push({
      severity,
      code,
      message: `${shown === '' ? 'The policy' : shown} ${message}`,
      path: shown,
      ...positionIn(this.starts, resolved.offset),
    });
  }

  private push(problem: PolicyProblem): void {
    if (this.items.length < MAX_POLICY_PROBLEMS) this.items.push(problem);
    else this.dropped++;
  }

  sorted(): PolicyProblem[] {
    const sorted = [...this.items].sort((a, b) => a.line - b.line || a.column - b.column);
    if (this.dropped > 0)
      sorted.push({
        severity: sorted.some((p) => p.severity === 'error') ? 'error' : 'warning',
        code: 'too-many-problems',
        message: `…and ${this.dropped} more problems; fix these first.`,
        path: '',
        line: sorted.at(-1)?.line ?? 1,
        column: 1,
      });
    return sorted;
  }
}

function zodIssueMessage(issue: z.core.$ZodIssue): string {
  return issue.message.replace(/^Invalid input: /, '').replace(/^./, (c) => c.toLowerCase());
}

/** Reports schema issues; unknown elements get a suggestion, as IAM's element names are case-sensitive. */
function reportSchemaIssues(
  issues: readonly z.core.$ZodIssue[],
  base: JsonPath,
  known: readonly string[],
  holder: string,
  problems: ProblemList,
): void {
  for (const issue of issues) {
    const path = [
      ...base,
      ...issue.path.filter((k): k is string | number => typeof k !== 'symbol'),
    ];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const suggestion =
          known.find((k) => k.toLowerCase() === key.toLowerCase()) ?? closest(key, known);
        problems.at(
          'error',
          'unknown-element',
          path,
          suggestion
            ? `has an unknown element "${key}": did you mean "${suggestion}"? Element names are case-sensitive.`
            : `has an unknown element "${key}": ${holder} holds only ${known.join(', ')}.`,
          key,
        );
      }
      continue;
    }
    problems.at('error', 'invalid-element', path, `${zodIssueMessage(issue)}.`);
  }
}

/**
 * Reads a policy document: JSON with positions, the grammar (zod), then what
 * each element means, with every problem at its line and column. Never throws:
 * any text gives a ParsedPolicy, valid or not.
 */
export function parsePolicy(text: string, name = 'the policy'): ParsedPolicy {
  const invalid = (problems: PolicyProblem[]): ParsedPolicy => ({
    name,
    statements: [],
    problems,
    valid: false,
  });
  if (text.length > MAX_POLICY_TEXT_CHARS) {
    const problems = new ProblemList('', undefined);
    problems.atOffset(
      'error',
      'too-large',
      0,
      `The policy is ${text.length.toLocaleString('en-US')} characters long; the lab reads at most ${MAX_POLICY_TEXT_CHARS.toLocaleString('en-US')}.`,
    );
    return invalid(problems.sorted());
  }

  const reader = new JsonReader(text);
  let root: JsonNode;
  try {
    root = reader.readDocument();
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const problems = new ProblemList(text, undefined);
    problems.atOffset('error', 'json-syntax', error.offset, error.message);
    return invalid(problems.sorted());
  }

  const problems = new ProblemList(text, root);
  for (const duplicate of reader.duplicates)
    problems.atOffset(
      'error',
      'duplicate-key',
      duplicate.offset,
      `"${duplicate.key}" appears twice in ${formatJsonPath(duplicate.path) || 'the policy'}: keep one of them.`,
    );
  checkCharacters(text, problems);

  if (root.kind !== 'object') {
    problems.at(
      'error',
      'not-an-object',
      [],
      'is not a JSON object: write {"Version": "2012-10-17", "Statement": [ … ]}.',
    );
    return invalid(problems.sorted());
  }

  const document = policySchema.safeParse(plainValueOf(root));
  if (!document.success) {
    reportSchemaIssues(document.error.issues, [], POLICY_ELEMENTS, 'a policy', problems);
    return invalid(problems.sorted());
  }
  const { Version: version, Statement: statementValue } = document.data;
  if (version === undefined)
    problems.at(
      'warning',
      'missing-version',
      [],
      'has no Version: add "Version": "2012-10-17" before Statement, so the current policy language applies.',
    );
  else if (!POLICY_VERSIONS.includes(version))
    problems.at(
      'error',
      'invalid-version',
      ['Version'],
      `"${version}" is not a policy language version: write "2012-10-17".`,
    );
  else if (version !== POLICY_VERSIONS[0])
    problems.at(
      'warning',
      'old-version',
      ['Version'],
      `"${version}" is the older policy language: write "2012-10-17".`,
    );

  const statements: ParsedStatement[] = [];
  const starts = lineStartsOf(text);
  const entries = statementEntries(statementValue, problems);
  const sids = new Map<string, number>();
  for (const [index, { value, path }] of entries.entries()) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      checkStatementShape(value, path, problems);
    const parsed = statementSchema.safeParse(value);
    if (!parsed.success) {
      reportSchemaIssues(parsed.error.issues, path, STATEMENT_ELEMENTS, 'a statement', problems);
      continue;
    }
    const statement = parsed.data;
    if (statement.Sid) {
      if (sids.has(statement.Sid))
        problems.at(
          'error',
          'duplicate-sid',
          [...path, 'Sid'],
          `"${statement.Sid}" is also the Sid of statement ${sids.get(statement.Sid)! + 1}: in IAM a Sid is unique within a policy.`,
        );
      else sids.set(statement.Sid, index);
    }
    const position = positionIn(starts, resolvePath(root, path).offset);
    statements.push(readStatement(statement, index, path, position, problems));
  }

  const sorted = problems.sorted();
  return { name, statements, problems: sorted, valid: !sorted.some((p) => p.severity === 'error') };
}

function statementEntries(
  value: unknown,
  problems: ProblemList,
): { value: unknown; path: JsonPath }[] {
  if (value === undefined) {
    problems.at(
      'error',
      'missing-statement',
      [],
      'has no Statement: add "Statement": [ … ] with at least one statement.',
    );
    return [];
  }
  if (Array.isArray(value)) {
    if (value.length === 0)
      problems.at(
        'error',
        'missing-statement',
        ['Statement'],
        'is empty: add at least one statement.',
      );
    if (value.length > MAX_STATEMENTS) {
      problems.at(
        'error',
        'too-many-statements',
        ['Statement'],
        `has ${value.length} statements; the lab evaluates at most ${MAX_STATEMENTS}.`,
      );
      return [];
    }
    return value.map((item, index) => ({ value: item, path: ['Statement', index] }));
  }
  if (value !== null && typeof value === 'object') return [{ value, path: ['Statement'] }];
  problems.at(
    'error',
    'invalid-element',
    ['Statement'],
    'must be a statement object or a list of them.',
  );
  return [];
}

/** Only these characters may appear in a policy document ("IAM and AWS STS quotas", IAM name requirements). */
function checkCharacters(text: string, problems: ProblemList): void {
  let reported = 0;
  let nonWhitespace = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 9 && code !== 10 && code !== 13 && code !== 32) nonWhitespace++;
    const allowed = code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0xff);
    if (!allowed && reported < 3) {
      reported++;
      problems.atOffset(
        'error',
        'invalid-character',
        i,
        `"${String.fromCodePoint(text.codePointAt(i)!)}" cannot appear in an IAM policy: a policy may contain only tabs, line breaks and the characters U+0020 to U+00FF.`,
      );
    }
  }
  if (nonWhitespace > ROLE_POLICY_QUOTA_CHARS)
    problems.atOffset(
      'error',
      'quota',
      0,
      `The policy has ${nonWhitespace.toLocaleString('en-US')} characters without whitespace; IAM refuses a role's inline policies over ${ROLE_POLICY_QUOTA_CHARS.toLocaleString('en-US')}.`,
    );
}

function readStatement(
  statement: StatementInput,
  index: number,
  path: JsonPath,
  position: { line: number; column: number },
  problems: ProblemList,
): ParsedStatement {
  const label = statement.Sid ? statement.Sid : `statement ${index + 1}`;
  const parsed: ParsedStatement = {
    label,
    effect: statement.Effect,
    action: statement.Action,
    notAction: statement.NotAction,
    resource: statement.Resource,
    notResource: statement.NotResource,
    conditions: [],
    opaque: { action: new Set(), resource: new Set() },
    ...position,
  };

  for (const element of ['Action', 'NotAction'] as const) {
    const patterns = statement[element];
    if (!patterns) continue;
    if (patterns.length === 0)
      problems.at(
        'warning',
        'empty-list',
        [...path, element],
        'is an empty list, which matches no action.',
      );
    patterns.forEach((pattern, i) => checkAction(pattern, [...path, element, i], parsed, problems));
  }
  for (const element of ['Resource', 'NotResource'] as const) {
    const patterns = statement[element];
    if (!patterns) continue;
    if (patterns.length === 0)
      problems.at(
        'warning',
        'empty-list',
        [...path, element],
        'is an empty list, which matches no resource.',
      );
    patterns.forEach((pattern, i) =>
      checkResource(pattern, [...path, element, i], parsed, problems),
    );
  }
  for (const [operator, keys] of Object.entries(statement.Condition ?? {}))
    for (const [key, values] of Object.entries(keys))
      parsed.conditions.push(
        readCondition(operator, key, values, [...path, 'Condition', operator, key], problems),
      );

  if (statement.Effect === 'Allow') checkLeastPrivilege(parsed, path, problems);
  return parsed;
}

function checkAction(
  pattern: string,
  path: JsonPath,
  statement: ParsedStatement,
  problems: ProblemList,
): void {
  if (pattern === '*') return;
  const match = /^([^:]*):(.*)$/.exec(pattern);
  if (!match || match[2] === '' || match[1] === '') {
    problems.at(
      'error',
      'invalid-action',
      path,
      `"${pattern}" is not an action: write "<service>:<action>", e.g. "dynamodb:GetItem", or "*".`,
    );
    return;
  }
  const prefix = match[1]!.toLowerCase();
  const name = match[2]!;
  if (/[*?]/.test(prefix)) {
    statement.opaque.action.add(pattern);
    problems.at(
      'unsupported',
      'service-wildcard',
      path,
      `"${pattern}" has a wildcard in the service prefix, which the lab does not evaluate: name the service.`,
    );
    return;
  }
  if (!/^[a-z0-9-]+$/.test(prefix) || !/^[A-Za-z0-9*?]+$/.test(name)) {
    problems.at(
      'error',
      'invalid-action',
      path,
      `"${pattern}" is not an action: a service prefix is letters, digits and hyphens, and an action name letters and digits, with * or ? as wildcards.`,
    );
    return;
  }
  const courseService = COURSE_SERVICES.find((s) => s === prefix);
  if (!courseService) {
    if (OTHER_SERVICES.includes(prefix)) return;
    const suggestion = closest(prefix, [...COURSE_SERVICES, ...OTHER_SERVICES]);
    problems.at(
      'warning',
      'unknown-service',
      path,
      `uses the service prefix "${match[1]}", which the course does not know${suggestion ? `: did you mean "${suggestion}"?` : '.'} The course's services are ${COURSE_SERVICES.join(', ')}.`,
    );
    return;
  }
  if (/[*?]/.test(name) || KNOWN_ACTIONS.has(pattern.toLowerCase())) return;
  const candidates = [...KNOWN_ACTIONS.values()]
    .filter((a) => a.service === courseService)
    .map((a) => a.name);
  const suggestion = closest(pattern, candidates);
  if (suggestion)
    problems.at(
      'warning',
      'unknown-action',
      path,
      `"${pattern}" is not an action the course knows: did you mean "${suggestion}"? A misspelt action matches nothing.`,
    );
}

function checkResource(
  pattern: string,
  path: JsonPath,
  statement: ParsedStatement,
  problems: ProblemList,
): void {
  if (pattern === '*') return;
  if (pattern.includes('${')) {
    statement.opaque.resource.add(pattern);
    problems.at(
      'unsupported',
      'policy-variable',
      path,
      `"${pattern}" uses a policy variable (\${…}), which the lab does not substitute.`,
    );
    return;
  }
  if (!pattern.startsWith('arn:')) {
    problems.at(
      'error',
      'invalid-arn',
      path,
      `"${pattern}" is not an ARN: a resource is "*" or an ARN starting with "arn:".`,
    );
    return;
  }
  const parts = arnParts(pattern);
  if (!parts) {
    problems.at(
      'error',
      'invalid-arn',
      path,
      `"${pattern}" is missing ARN fields: an ARN has six, arn:partition:service:region:account:resource.`,
    );
    return;
  }
  if (/[*?]/.test(parts[2]!)) {
    statement.opaque.resource.add(pattern);
    problems.at(
      'unsupported',
      'service-wildcard',
      path,
      `"${pattern}" has a wildcard in the service part, which IAM does not allow to stand for a service: name the service.`,
    );
  }
}

function readCondition(
  operator: string,
  key: string,
  rawValues: (string | number | boolean)[],
  path: JsonPath,
  problems: ProblemList,
): ParsedCondition {
  const values = rawValues.map(String);
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  const condition: ParsedCondition = {
    operator,
    key,
    values,
    ifExists,
    isNull: base === 'Null',
    rule: OPERATORS[base],
    unsupported: undefined,
  };
  const operatorPath = path.slice(0, -1);
  const unsupported = (code: string, where: JsonPath, message: string) => {
    condition.unsupported ??= `${formatJsonPath(where)} ${message}`;
    problems.at('unsupported', code, where, message);
  };

  if (/^For(All|Any)Values?:/i.test(operator)) {
    unsupported(
      'set-operator',
      operatorPath,
      "uses a set operator (ForAllValues or ForAnyValue), made for keys with several values; the lab's keys have one value each.",
    );
    return condition;
  }
  if (condition.isNull && ifExists)
    problems.at(
      'error',
      'null-with-if-exists',
      operatorPath,
      'cannot be used: Null takes no IfExists suffix.',
    );
  if (!condition.isNull && !condition.rule) {
    if (OTHER_OPERATORS.includes(base)) {
      unsupported(
        'unsupported-operator',
        operatorPath,
        `is an operator the lab does not evaluate; it evaluates ${SUPPORTED_CONDITION_OPERATORS.join(', ')}, each also with IfExists.`,
      );
    } else {
      const suggestion = closest(base, [...SUPPORTED_CONDITION_OPERATORS, ...OTHER_OPERATORS]);
      problems.at(
        'error',
        'unknown-operator',
        operatorPath,
        `is not a condition operator${suggestion ? `: did you mean "${suggestion}${ifExists ? 'IfExists' : ''}"?` : '.'}`,
      );
    }
    return condition;
  }

  if (values.length === 0)
    problems.at('warning', 'empty-list', path, 'is an empty list, which no request matches.');
  if (
    (condition.isNull || condition.rule === OPERATORS.Bool) &&
    values.some((v) => v !== 'true' && v !== 'false')
  )
    problems.at('error', 'invalid-condition-value', path, `takes "true" or "false" with ${base}.`);
  if (values.some((v) => v.includes('${')))
    unsupported(
      'policy-variable',
      path,
      'uses a policy variable (${…}), which the lab does not substitute.',
    );

  const keyType = conditionKeyType(key);
  if (!keyType) {
    const supplied = [
      ...Object.keys(CONDITION_KEYS),
      ...Object.keys(CONDITION_KEY_PREFIXES).map((prefix) => `${prefix}<tag>`),
    ];
    unsupported(
      'unsupported-condition-key',
      path,
      `tests a key the lab's requests do not carry, so it cannot tell whether AWS would; the lab supplies ${supplied.join(', ')}.`,
    );
  } else if (condition.rule && !condition.rule.keyTypes.includes(keyType)) {
    const operators = {
      bool: 'Bool',
      arn: 'the ARN and String operators',
      string: 'the String operators',
    };
    unsupported(
      'condition-key-type',
      path,
      `is a ${keyType === 'bool' ? 'Boolean' : keyType === 'arn' ? 'ARN' : 'string'} key; the lab compares it only with ${operators[keyType]}.`,
    );
  }
  return condition;
}

/**
 * The resource types an ARN's resource part starts with, for the services that
 * have them (`table/orders`, `function:orders-api`); S3, SQS and SNS ARNs start
 * with the bucket, queue or topic name itself.
 */
const RESOURCE_TYPES: Partial<Record<CourseService, readonly string[]>> = {
  dynamodb: ['table'],
  lambda: ['function', 'layer', 'event-source-mapping'],
  logs: ['log-group'],
  states: ['stateMachine', 'execution', 'activity'],
};

/** Whether a Resource entry names every resource, every resource of a service, or every one of a type (`table/*`). */
function coversEveryResource(pattern: string): boolean {
  if (pattern === '*') return true;
  const parts = arnParts(pattern);
  if (!parts) return false;
  const [service, resource] = [parts[2]!, parts[5]!];
  if (/^\*+$/.test(resource)) return true;
  const types = RESOURCE_TYPES[service as CourseService] ?? [];
  return types.some((type) => new RegExp(`^${type}[/:]\\*+$`).test(resource));
}

/**
 * The course's least-privilege findings for an Allow statement: all of a
 * service's actions, scoped actions on every resource, and NotAction or
 * NotResource, which grant everything they do not name.
 */
function checkLeastPrivilege(
  statement: ParsedStatement,
  path: JsonPath,
  problems: ProblemList,
): void {
  if (statement.notAction)
    problems.at(
      'warning',
      'allow-not-action',
      [...path, 'NotAction'],
      'with "Allow" grants every action of every service except the ones listed: it grants more than a function needs. List the actions it calls in Action instead.',
    );
  if (statement.notResource)
    problems.at(
      'warning',
      'allow-not-resource',
      [...path, 'NotResource'],
      'with "Allow" grants the actions on every resource except the ones listed: it grants more than a function needs. Name the resources it uses in Resource instead.',
    );

  for (const [i, pattern] of (statement.action ?? []).entries()) {
    if (pattern === '*' || /^[^:]+:\*+$/.test(pattern)) {
      const service = pattern === '*' ? 'every service' : pattern.split(':')[0]!.toLowerCase();
      problems.at(
        'warning',
        'over-broad-action',
        [...path, 'Action', i],
        `"${pattern}" allows every action of ${service}, including deleting: it grants more than a function needs. List the actions it calls.`,
      );
    }
  }

  const broad = (statement.resource ?? [])
    .map((pattern, i) => ({ pattern, i }))
    .filter(({ pattern }) => coversEveryResource(pattern));
  for (const { pattern, i } of broad) {
    const service = pattern === '*' ? undefined : arnParts(pattern)![2];
    const granted = [...KNOWN_ACTIONS.values()].filter(
      (known) =>
        known.level !== 'list' &&
        (service === undefined || known.service === service) &&
        (statement.action ?? []).some((p) => actionMatches(p, known.name)),
    );
    if (granted.length === 0) continue;
    const names = granted.map((a) => a.name);
    const shown =
      names.length > 3
        ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`
        : listNames(names);
    const scope = pattern === '*' ? 'every resource' : `every ${resourceKind(pattern)}`;
    problems.at(
      'warning',
      'over-broad-resource',
      [...path, 'Resource', i],
      `"${pattern}" lets ${shown} act on ${scope}: it grants more than a function needs. Name the ARNs it uses.`,
    );
  }
}

/** "dynamodb table" for `…:table/*`, "dynamodb resource" for `…:*`. */
function resourceKind(pattern: string): string {
  const parts = arnParts(pattern)!;
  const type = /^([A-Za-z0-9-]+)[/:]/.exec(parts[5]!)?.[1];
  return type ? `${parts[2]} ${type}` : `${parts[2]} resource`;
}

// ──────────────────────────── Evaluation ────────────────────────────

/** One request, as the simulator sees it: what is done, to what, and the request context's keys. */
export interface AccessRequest {
  action: string;
  resource: string;
  context: Readonly<Record<string, string>>;
}

/**
 * `allowed`, `explicitDeny` and `implicitDeny` are IAM's three outcomes;
 * `unsupported` means a statement that could decide uses something the lab does
 * not evaluate, and `invalid` that a policy has errors, so IAM would refuse it.
 */
export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny' | 'unsupported' | 'invalid';

export interface StatementVerdict {
  /** The statement's label, with its policy's name when several are evaluated. */
  statement: string;
  effect: Effect;
  /** Whether the statement applies to the request; `unknown` when it rests on something unsupported. */
  applies: Tristate;
  /** Why, in one sentence. */
  reason: string;
}

export interface EvaluationResult {
  decision: Decision;
  /** The decision in one sentence, naming the statements that decide it. */
  summary: string;
  /** Every statement's verdict, in policy order: which matched, and why the others did not. */
  statements: StatementVerdict[];
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function matchElement(
  patterns: readonly string[] | undefined,
  notPatterns: readonly string[] | undefined,
  opaque: ReadonlySet<string>,
  value: string,
  matches: (pattern: string, value: string) => boolean,
  noun: string,
): { result: Tristate; reason: string } {
  const list = (patterns ?? notPatterns ?? []).filter((p) => !opaque.has(p));
  const hit = list.find((p) => matches(p, value));
  const unknown = opaque.size > 0 && hit === undefined;
  if (patterns) {
    if (hit !== undefined) return { result: true, reason: `its ${noun} "${hit}" matches` };
    if (unknown)
      return {
        result: 'unknown',
        reason: `its ${noun} uses ${[...opaque][0]}, which the lab does not evaluate`,
      };
    return { result: false, reason: `its ${capitalised(noun)} does not include ${value}` };
  }
  if (hit !== undefined)
    return { result: false, reason: `its Not${capitalised(noun)} "${hit}" excludes ${value}` };
  if (unknown)
    return {
      result: 'unknown',
      reason: `its Not${capitalised(noun)} uses ${[...opaque][0]}, which the lab does not evaluate`,
    };
  return { result: true, reason: `its Not${capitalised(noun)} does not exclude ${value}` };
}

function capitalised(word: string): string {
  return word.replace(/^./, (c) => c.toUpperCase());
}

/** Whether one statement applies to a request: action, then resource, then every condition. */
function judgeStatement(
  statement: ParsedStatement,
  request: AccessRequest,
): { applies: Tristate; reason: string } {
  const action = matchElement(
    statement.action,
    statement.notAction,
    statement.opaque.action,
    request.action,
    actionMatches,
    'action',
  );
  if (action.result === false)
    return { applies: false, reason: `Does not apply: ${action.reason}.` };
  const resource = matchElement(
    statement.resource,
    statement.notResource,
    statement.opaque.resource,
    request.resource,
    resourceMatches,
    'resource',
  );
  if (resource.result === false)
    return { applies: false, reason: `Does not apply: ${resource.reason}.` };

  const tests = statement.conditions.map((c) => testCondition(c, request.context));
  const failed = tests.find((t) => t.result === false);
  if (failed)
    return { applies: false, reason: `Does not apply: a condition is false. ${failed.reason}` };
  const unknown = [action, resource, ...tests].find((t) => t.result === 'unknown');
  if (unknown) return { applies: 'unknown', reason: `Cannot tell: ${unknown.reason}.` };
  const conditions =
    tests.length > 0 ? ` and its conditions hold. ${tests.map((t) => t.reason).join(' ')}` : '.';
  return { applies: true, reason: `Applies: ${action.reason}, ${resource.reason}${conditions}` };
}

/**
 * Decides one request against identity-based policies as IAM does within one
 * account: an explicit Deny wins; otherwise an Allow allows; otherwise the
 * request is implicitly denied (policy evaluation logic, "Determining whether a
 * request is allowed or denied within an account"). Statements that rest on an
 * unsupported feature make the decision `unsupported` only when they could
 * change it.
 */
export function evaluate(
  policies: readonly ParsedPolicy[],
  request: AccessRequest,
): EvaluationResult {
  const broken = policies.filter((p) => !p.valid);
  if (broken.length > 0)
    return {
      decision: 'invalid',
      summary: `Not evaluated: ${listNames(broken.map((p) => p.name))} ${broken.length === 1 ? 'has' : 'have'} errors, so IAM would refuse ${broken.length === 1 ? 'it' : 'them'}.`,
      statements: [],
    };
  const several = policies.length > 1;
  const statements: StatementVerdict[] = policies.flatMap((policy) =>
    policy.statements.map((statement) => ({
      statement: several ? `${policy.name}: ${statement.label}` : statement.label,
      effect: statement.effect,
      ...judgeStatement(statement, request),
    })),
  );
  const named = (effect: Effect, applies: Tristate) =>
    statements.filter((s) => s.effect === effect && s.applies === applies).map((s) => s.statement);

  const denies = named('Deny', true);
  const allows = named('Allow', true);
  if (denies.length > 0)
    return {
      decision: 'explicitDeny',
      summary: `Denied explicitly by ${listNames(denies)}${allows.length > 0 ? `, which wins over the Allow in ${listNames(allows)}` : ''}.`,
      statements,
    };
  const unknownDenies = named('Deny', 'unknown');
  if (unknownDenies.length > 0)
    return {
      decision: 'unsupported',
      summary: `Cannot tell: the Deny in ${listNames(unknownDenies)} uses something the lab does not evaluate.`,
      statements,
    };
  if (allows.length > 0)
    return { decision: 'allowed', summary: `Allowed by ${listNames(allows)}.`, statements };
  const unknownAllows = named('Allow', 'unknown');
  if (unknownAllows.length > 0)
    return {
      decision: 'unsupported',
      summary: `Cannot tell: the Allow in ${listNames(unknownAllows)} uses something the lab does not evaluate.`,
      statements,
    };
  return {
    decision: 'implicitDeny',
    summary:
      statements.length === 0
        ? 'Denied implicitly: no policy grants anything, and IAM denies by default.'
        : 'Denied implicitly: no statement allows it, and IAM denies by default.',
    statements,
  };
}

// ──────────────────────────── Policy labs ────────────────────────────

/** A call the lab's function makes, or must not be able to make. */
export interface PolicyLabCall {
  /** What the function does with it, e.g. "Read one order". */
  title: string;
  /** As AWS names it, e.g. `dynamodb:GetItem`. */
  action: string;
  /** The concrete ARN it acts on. */
  resource: string;
  /** `true`: the function needs it, so it must be allowed; `false`: it must be denied. */
  needed: boolean;
  /** The request context: the lab's keys with the call's own over them. */
  context: Record<string, string>;
}

/**
 * What a lesson page sends the browser about a policy lab (`<PolicyLab
 * id="…" />`): the scenario, the calls and the starter policy. The
 * reference solution stays on the server.
 */
export interface PolicyLabView {
  /** `<module>/<lab>`: where the learner's policy is kept. */
  id: string;
  title: string;
  /** Plain text; a blank line starts a new paragraph. */
  scenario: string;
  calls: PolicyLabCall[];
  /** The policy the learner starts from, as JSON text. */
  starter: string;
}

export interface PolicyLabOutcome {
  call: PolicyLabCall;
  result: EvaluationResult;
  /** Whether the decision is what the goal wants: allowed for a needed call, denied for the others. */
  meetsGoal: boolean;
}

export interface PolicyLabReport {
  problems: PolicyProblem[];
  outcomes: PolicyLabOutcome[];
  goal: {
    met: boolean;
    /** One sentence for the status line, e.g. "Goal met: …" or "Goal not met: 2 calls …". */
    summary: string;
  };
}

/** The request to check a learner's policy (for the server-side check and save that come later; the browser uses checkPolicyLab directly). */
export const policyLabCheckRequestSchema = z
  .object({ policy: z.string().max(MAX_POLICY_TEXT_CHARS) })
  .strict();
export type PolicyLabCheckRequest = z.infer<typeof policyLabCheckRequestSchema>;
/** The reply to a check: the same report the browser computes. */
export type PolicyLabCheckReply = PolicyLabReport;

/** A learner's policy as this browser keeps it between visits (localStorage, read back through this schema). */
export const savedPolicySchema = z
  .object({ version: z.literal(1), policy: z.string().max(MAX_POLICY_TEXT_CHARS) })
  .strict();
export type SavedPolicy = z.infer<typeof savedPolicySchema>;

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * A learner's policy against a lab's goal: every needed call allowed, every
 * other call denied, no statement granting more than it needs, and nothing the
 * lab cannot evaluate. Pure, and fast enough to run on every keystroke.
 */
export function checkPolicyLab(
  lab: Pick<PolicyLabView, 'calls'>,
  policyText: string,
): PolicyLabReport {
  const policy = parsePolicy(policyText);
  const outcomes = lab.calls.map((call) => {
    const result = evaluate([policy], call);
    const denied = result.decision === 'explicitDeny' || result.decision === 'implicitDeny';
    return { call, result, meetsGoal: call.needed ? result.decision === 'allowed' : denied };
  });

  const errors = policy.problems.filter((p) => p.severity === 'error').length;
  const unsupported = policy.problems.filter((p) => p.severity === 'unsupported').length;
  const broad = policy.problems.filter((p) => OVER_BROAD_CODES.has(p.code)).length;
  const missing = outcomes.filter((o) => o.call.needed && !o.meetsGoal).length;
  const leaking = outcomes.filter((o) => !o.call.needed && !o.meetsGoal).length;

  const shortfalls: string[] = [];
  if (errors > 0)
    shortfalls.push(
      `fix ${plural(errors, 'error', 'errors')} first, as IAM would refuse the policy`,
    );
  else {
    if (missing > 0)
      shortfalls.push(
        `${plural(missing, 'call the function needs is', 'calls the function needs are')} not allowed`,
      );
    if (leaking > 0)
      shortfalls.push(
        `${plural(leaking, 'call it must not make is', 'calls it must not make are')} not denied`,
      );
    if (broad > 0)
      shortfalls.push(`${plural(broad, 'grant is', 'grants are')} broader than needed`);
    if (unsupported > 0)
      shortfalls.push(
        `${plural(unsupported, 'part uses', 'parts use')} something the lab cannot evaluate`,
      );
  }
  const met = shortfalls.length === 0;
  return {
    problems: policy.problems,
    outcomes,
    goal: {
      met,
      summary: met
        ? 'Goal met: the function can make every call it needs, none it must not, and no statement grants more than it needs.'
        : `Goal not met: ${listNames(shortfalls)}.`,
    },
  };
}
