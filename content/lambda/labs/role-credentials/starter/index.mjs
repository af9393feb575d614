// Lambda gives every execution environment temporary credentials for the
// function's execution role, in three environment variables: AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. The AWS SDK finds them there by
// itself; your code never needs to handle them.

export const handler = async () => {
  // Exercise: add `credentials` (each of the three names mapped to true or
  // false: is it set?) and `accessKeyPrefix` (the first four characters of
  // AWS_ACCESS_KEY_ID). Never return or log a whole key or token.
  return {
    runtime: process.env.AWS_EXECUTION_ENV,
    region: process.env.AWS_REGION,
  };
};
