/**
 * Errors with the Lambda API's names and HTTP statuses
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors).
 * Routes turn them into AWS JSON errors; the app's own JSON API into { error }.
 */
/** Marks LambdaErrors across copies of this module (see the class comment). */
const LAMBDA_ERROR = Symbol.for('serverless-course.LambdaError');

/**
 * `instanceof` checks the brand, not the class: in the Next.js server bundle each
 * route can hold its own copy of this module, while the LambdaService that
 * throws is a process-wide singleton created by whichever route came first.
 */
export class LambdaError extends Error {
  readonly [LAMBDA_ERROR] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[LAMBDA_ERROR] === true
    );
  }

  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = type;
  }
}

export const resourceNotFound = (message: string) =>
  new LambdaError('ResourceNotFoundException', 404, message);
export const invalidParameter = (message: string) =>
  new LambdaError('InvalidParameterValueException', 400, message);
export const resourceConflict = (message: string) =>
  new LambdaError('ResourceConflictException', 409, message);
export const requestTooLarge = (message: string) =>
  new LambdaError('RequestTooLargeException', 413, message);
export const tooManyRequests = (message: string, reason: string) =>
  new LambdaError('TooManyRequestsException', 429, message, reason);
export const codeStorageExceeded = (message: string) =>
  new LambdaError('CodeStorageExceededException', 400, message);
/**
 * The course server could not run the call ("course busy": no room within a
 * short wait). Not a Lambda behaviour and not a throttle, so not a 429: 503
 * ServiceException, AWS's own service-side error, which the SDKs retry.
 */
export const serverBusy = (message: string) => new LambdaError('ServiceException', 503, message);
