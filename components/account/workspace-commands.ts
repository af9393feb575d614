/**
 * The commands and code the keys page offers, built from the learner's keys.
 * Pure, so what the page tells learners to paste is tested.
 */

/** What GET /api/workspace/credentials answers (lib/server/workspace-credentials.ts). */
export interface WorkspaceCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  accountId: string;
  /** The course's Lambda API on this server, e.g. http://localhost:3000/aws/lambda. */
  lambdaEndpoint: string;
}

export interface CommandBlock {
  id: string;
  /** A heading for the step. */
  title: string;
  /** One or two sentences before the code; `backticks` mark code. */
  intro: string;
  /** What the Copy button copies, for its name: "Copy {copies}". */
  copies: string;
  code: string;
}

/** The AWS CLI profile the page's commands create and use. */
export const PROFILE = 'course';

/** The function the examples create and then invoke. */
const FUNCTION_NAME = 'hello';

/**
 * The AWS CLI steps: save the keys in a profile, then list, create and invoke
 * functions against the course. `runtime` is the Node.js runtime the course
 * runs (the server refuses others).
 */
export function cliCommands(keys: WorkspaceCredentials, runtime: string): CommandBlock[] {
  // Every call to the course names its endpoint and the profile; the profile holds the keys and Region.
  const target = `--endpoint-url ${keys.lambdaEndpoint} --profile ${PROFILE}`;
  const role = `arn:aws:iam::${keys.accountId}:role/course-lambda-execution`;
  return [
    {
      id: 'cli-profile',
      title: 'Save the keys in a profile',
      intro: `This stores the keys and Region in a profile named \`${PROFILE}\`, beside any real AWS profiles you have, which stay as they are.`,
      copies: 'profile commands',
      code: [
        `aws configure set aws_access_key_id ${keys.accessKeyId} --profile ${PROFILE}`,
        `aws configure set aws_secret_access_key ${keys.secretAccessKey} --profile ${PROFILE}`,
        `aws configure set region ${keys.region} --profile ${PROFILE}`,
      ].join('\n'),
    },
    {
      id: 'cli-list',
      title: 'List your functions',
      intro:
        'The functions your labs have run are here too, named after their lab, such as `lab-lambda-first-handler`.',
      copies: 'list-functions command',
      code: `aws lambda list-functions ${target}`,
    },
    {
      id: 'cli-create',
      title: 'Create a function',
      intro: `Write a handler, zip it and create the function from the zip. The course runs \`${runtime}\` for Node.js; on AWS, choose the newest Node.js runtime Lambda offers.`,
      copies: 'create-function commands',
      code: [
        `cat > index.mjs <<'JS'`,
        `export const handler = async (event) => ({ hello: event.name ?? 'world' });`,
        `JS`,
        `zip function.zip index.mjs`,
        `aws lambda create-function --function-name ${FUNCTION_NAME} \\`,
        `  --runtime ${runtime} --handler index.handler \\`,
        `  --role ${role} \\`,
        `  --zip-file fileb://function.zip \\`,
        `  ${target}`,
      ].join('\n'),
    },
    {
      id: 'cli-invoke',
      title: 'Invoke it and read its log',
      intro:
        'The response goes to `response.json`. `--log-type Tail` returns the end of the log, base64-encoded, and `base64 --decode` turns it back into the START, END and REPORT lines.',
      copies: 'invoke commands',
      code: [
        `aws lambda invoke --function-name ${FUNCTION_NAME} \\`,
        `  --cli-binary-format raw-in-base64-out --payload '{"name":"CLI"}' \\`,
        `  --log-type Tail --query LogResult --output text \\`,
        `  ${target} \\`,
        `  response.json | base64 --decode`,
        `cat response.json`,
      ].join('\n'),
    },
  ];
}

/**
 * The same invocation from the AWS SDKs. The SDKs read the keys and Region
 * from the profile, so the keys never go into code; only the endpoint is set.
 */
export function sdkExamples(keys: WorkspaceCredentials): CommandBlock[] {
  return [
    {
      id: 'sdk-javascript',
      title: 'AWS SDK for JavaScript v3',
      intro: `Install the client with \`npm install @aws-sdk/client-lambda\`, save this as \`invoke.mjs\` and run \`AWS_PROFILE=${PROFILE} node invoke.mjs\`.`,
      copies: 'JavaScript example',
      code: [
        `import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';`,
        ``,
        `// The keys and Region come from the profile that AWS_PROFILE names.`,
        `const lambda = new LambdaClient({ endpoint: '${keys.lambdaEndpoint}' });`,
        `const result = await lambda.send(`,
        `  new InvokeCommand({ FunctionName: '${FUNCTION_NAME}', Payload: JSON.stringify({ name: 'SDK' }) }),`,
        `);`,
        `console.log(new TextDecoder().decode(result.Payload));`,
      ].join('\n'),
    },
    {
      id: 'sdk-python',
      title: 'AWS SDK for Python (Boto3)',
      intro:
        'Install it with `pip install boto3`, save this as `invoke.py` and run `python3 invoke.py`.',
      copies: 'Python example',
      code: [
        `import json`,
        ``,
        `import boto3`,
        ``,
        `# The keys and Region come from the profile.`,
        `session = boto3.Session(profile_name="${PROFILE}")`,
        `lambda_client = session.client("lambda", endpoint_url="${keys.lambdaEndpoint}")`,
        `response = lambda_client.invoke(FunctionName="${FUNCTION_NAME}", Payload=json.dumps({"name": "Boto3"}))`,
        `print(response["Payload"].read().decode())`,
      ].join('\n'),
    },
  ];
}

/** A piece of a code block: plain text, or the secret access key (shown or masked by the page). */
export interface CodePart {
  text: string;
  secret: boolean;
}

/** Splits `code` around each occurrence of `secret`, so the page can mask the key inside commands. */
export function splitOnSecret(code: string, secret: string): CodePart[] {
  if (!secret) return [{ text: code, secret: false }];
  const parts: CodePart[] = [];
  code.split(secret).forEach((text, index) => {
    if (index > 0) parts.push({ text: secret, secret: true });
    if (text) parts.push({ text, secret: false });
  });
  return parts;
}
