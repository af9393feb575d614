import { describe, expect, it } from 'vitest';
import {
  cliCommands,
  sdkExamples,
  splitOnSecret,
  type WorkspaceCredentials,
} from './workspace-commands';

const keys: WorkspaceCredentials = {
  accessKeyId: 'AKIAABCDEFGHIJKLMNOP',
  secretAccessKey: 'c2VjcmV0xxxxc2VjcmV0xxxxc2VjcmV0xxxxc2Vj',
  region: 'us-east-1',
  accountId: '123456789012',
  lambdaEndpoint: 'http://localhost:3000/aws/lambda',
};

describe('cliCommands', () => {
  const blocks = cliCommands(keys, 'nodejs24.x');
  const code = (id: string) => blocks.find((block) => block.id === id)!.code;

  it('saves the keys and Region in the course profile', () => {
    expect(code('cli-profile')).toBe(
      [
        'aws configure set aws_access_key_id AKIAABCDEFGHIJKLMNOP --profile course',
        `aws configure set aws_secret_access_key ${keys.secretAccessKey} --profile course`,
        'aws configure set region us-east-1 --profile course',
      ].join('\n'),
    );
  });

  it("points every Lambda call at the course's endpoint, with the profile", () => {
    expect(code('cli-list')).toBe(
      'aws lambda list-functions --endpoint-url http://localhost:3000/aws/lambda --profile course',
    );
    // One line per command: continuation lines joined.
    const calls = blocks
      .flatMap((block) => block.code.replaceAll('\\\n  ', '').split('\n'))
      .filter((line) => line.startsWith('aws lambda '));
    expect(calls.map((call) => call.split(' ')[2])).toEqual([
      'list-functions',
      'create-function',
      'invoke',
    ]);
    for (const call of calls) {
      expect(call).toContain('--endpoint-url http://localhost:3000/aws/lambda --profile course');
    }
  });

  it("creates the function with the course's runtime and the workspace's account", () => {
    expect(code('cli-create')).toContain('--runtime nodejs24.x --handler index.handler');
    expect(code('cli-create')).toContain(
      '--role arn:aws:iam::123456789012:role/course-lambda-execution',
    );
  });

  it('keeps the secret out of every command but the profile', () => {
    const withSecret = [...blocks, ...sdkExamples(keys)].filter((block) =>
      block.code.includes(keys.secretAccessKey),
    );
    expect(withSecret.map((block) => block.id)).toEqual(['cli-profile']);
  });
});

describe('sdkExamples', () => {
  it('set only the endpoint and read the rest from the profile', () => {
    const [javascript, python] = sdkExamples(keys);
    expect(javascript!.code).toContain(
      "new LambdaClient({ endpoint: 'http://localhost:3000/aws/lambda' })",
    );
    expect(javascript!.intro).toContain('`AWS_PROFILE=course node invoke.mjs`');
    expect(python!.code).toContain('boto3.Session(profile_name="course")');
    expect(python!.code).toContain('endpoint_url="http://localhost:3000/aws/lambda"');
    for (const example of [javascript!, python!]) expect(example.code).not.toContain('AKIA');
  });
});

describe('splitOnSecret', () => {
  it('marks each occurrence of the secret', () => {
    expect(splitOnSecret('a S b S', 'S')).toEqual([
      { text: 'a ', secret: false },
      { text: 'S', secret: true },
      { text: ' b ', secret: false },
      { text: 'S', secret: true },
    ]);
  });

  it('leaves code without the secret whole', () => {
    expect(splitOnSecret('aws lambda list-functions', 'S')).toEqual([
      { text: 'aws lambda list-functions', secret: false },
    ]);
    expect(splitOnSecret('code', '')).toEqual([{ text: 'code', secret: false }]);
  });
});
