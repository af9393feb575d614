import { loadHttpEdgeConfig } from './config';
import { RateLimiter } from '../http/rate-limit';

const GLOBAL_KEY = Symbol.for('serverless-course.workspace-rate-limiter');
type GlobalWithLimiter = typeof globalThis & { [GLOBAL_KEY]?: RateLimiter };

/**
 * The request-rate limiter per workspace, one for the process: the Lambda API and
 * the app's JSON API take from the same bucket, and each Next.js route bundle
 * may hold its own copy of this module, hence globalThis.
 */
export function getWorkspaceRateLimiter(): RateLimiter {
  const holder = globalThis as GlobalWithLimiter;
  holder[GLOBAL_KEY] ??= new RateLimiter(loadHttpEdgeConfig().workspaceRate);
  return holder[GLOBAL_KEY];
}
