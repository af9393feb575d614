// Lambda gives every execution environment temporary credentials for the
// function's execution role, in three environment variables: AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. The AWS SDK finds them there by
// itself; your code never needs to handle them.
const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

export const handler = async () => {
  return {
    runtime: process.env.AWS_EXECUTION_ENV,
    region: process.env.AWS_REGION,
    // Whether each variable is set, never its value.
    credentials: Object.fromEntries(CREDENTIAL_VARIABLES.map((name) => [name, Boolean(process.env[name])])),
    // Four characters tell the kind of key: ASIA marks temporary credentials from AWS STS.
    accessKeyPrefix: (process.env.AWS_ACCESS_KEY_ID ?? '').slice(0, 4),
  };
};
