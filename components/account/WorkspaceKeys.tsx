'use client';

import { useEffect, useState } from 'react';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  accountId: string;
  lambdaEndpoint: string;
}

/**
 * The learner's access key for the course's AWS-compatible APIs, with commands
 * ready to paste. Loaded in the browser: the page itself is static.
 */
export function WorkspaceKeys() {
  const [credentials, setCredentials] = useState<Credentials | undefined>(undefined);
  const [error, setError] = useState('');

  useEffect(() => {
    fetch('/api/workspace/credentials', { cache: 'no-store' })
      .then(async (response) => {
        if (!response.ok) throw new Error(`The server answered ${response.status}.`);
        setCredentials((await response.json()) as Credentials);
      })
      .catch((caught: Error) => setError(caught.message));
  }, []);

  if (error)
    return (
      <p role="alert" className="text-red-700 dark:text-red-400">
        Your keys could not be loaded: {error}
      </p>
    );
  if (!credentials) return <p aria-live="polite">Loading your keys…</p>;

  const { accessKeyId, secretAccessKey, region, accountId, lambdaEndpoint } = credentials;
  const role = `arn:aws:iam::${accountId}:role/course-lambda-execution`;
  const snippets = [
    {
      title: 'AWS CLI: save the keys in a profile',
      code: `aws configure set aws_access_key_id ${accessKeyId} --profile course
aws configure set aws_secret_access_key ${secretAccessKey} --profile course
aws configure set region ${region} --profile course`,
    },
    {
      title: 'AWS CLI: create, invoke and list functions',
      code: `cat > index.mjs <<'JS'
export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ hello: event.name ?? 'world' }) });
JS
zip function.zip index.mjs
aws lambda create-function --function-name hello --runtime nodejs20.x --handler index.handler \\
  --role ${role} --zip-file fileb://function.zip \\
  --endpoint-url ${lambdaEndpoint} --profile course
aws lambda invoke --function-name hello --payload '{"name":"cli"}' --cli-binary-format raw-in-base64-out \\
  --log-type Tail --query LogResult --output text out.json \\
  --endpoint-url ${lambdaEndpoint} --profile course | base64 --decode
aws lambda list-functions --endpoint-url ${lambdaEndpoint} --profile course`,
    },
    {
      title: 'AWS SDK for JavaScript v3',
      code: `import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';

const lambda = new LambdaClient({
  region: '${region}',
  endpoint: '${lambdaEndpoint}',
  credentials: { accessKeyId: '${accessKeyId}', secretAccessKey: '${secretAccessKey}' },
});
const result = await lambda.send(new InvokeCommand({ FunctionName: 'hello', Payload: JSON.stringify({ name: 'sdk' }) }));
console.log(new TextDecoder().decode(result.Payload));`,
    },
    {
      title: 'AWS SDK for Python (boto3)',
      code: `import boto3, json

lambda_client = boto3.client(
    'lambda',
    region_name='${region}',
    endpoint_url='${lambdaEndpoint}',
    aws_access_key_id='${accessKeyId}',
    aws_secret_access_key='${secretAccessKey}',
)
response = lambda_client.invoke(FunctionName='hello', Payload=json.dumps({'name': 'boto3'}))
print(response['Payload'].read().decode())`,
    },
  ];

  return (
    <div className="space-y-8">
      <dl className="grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 p-4 sm:grid-cols-[auto_1fr] dark:border-slate-800">
        {[
          ['Access key ID', accessKeyId],
          ['Secret access key', secretAccessKey],
          ['Region', region],
          ['Account ID', accountId],
          ['Lambda endpoint', lambdaEndpoint],
        ].map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-semibold">{label}</dt>
            <dd className="font-mono text-sm break-all">{value}</dd>
          </div>
        ))}
      </dl>
      {snippets.map((snippet) => (
        <section key={snippet.title} aria-label={snippet.title}>
          <h2 className="text-lg font-semibold">{snippet.title}</h2>
          <pre
            tabIndex={0}
            className="mt-2 overflow-x-auto rounded-lg bg-slate-100 p-4 text-sm dark:bg-slate-900"
          >
            <code>{snippet.code}</code>
          </pre>
        </section>
      ))}
    </div>
  );
}
