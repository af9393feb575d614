import { learnerCookieHeader, resolveLearner } from '../learner/session';
import { InvalidProgressError, NotInCourseError, ProgressService } from '../learner/progress-service';
import { HttpError, jsonError } from '../http/json';
import { getAppServices, getServerCourse } from './services';

export interface LearnerContext {
  learnerId: string;
  progress: ProgressService;
}

/**
 * Runs a route handler for the learner behind the request: resolves (or starts)
 * their workspace, renews the cookie on the response, and turns domain errors
 * into specific HTTP errors. Unexpected errors are logged with their cause and
 * answered with a 500 that leaks nothing.
 */
export async function handleLearnerRequest(request: Request, handle: (context: LearnerContext) => Promise<Response>): Promise<Response> {
  let response: Response;
  let cookie: string | undefined;
  try {
    const { config, store } = await getAppServices();
    const session = resolveLearner(request, config.sessionSecret);
    cookie = learnerCookieHeader(session.learnerId, config.sessionSecret, request);
    const progress = new ProgressService(store, await getServerCourse());
    response = await handle({ learnerId: session.learnerId, progress });
  } catch (error) {
    response = errorResponse(error, request);
  }
  if (cookie) response.headers.append('set-cookie', cookie);
  response.headers.set('cache-control', 'no-store');
  return response;
}

function errorResponse(error: unknown, request: Request): Response {
  if (error instanceof HttpError) return jsonError(error.status, error.message);
  if (error instanceof NotInCourseError) return jsonError(404, error.message);
  if (error instanceof InvalidProgressError) return jsonError(400, error.message);
  console.error(`${request.method} ${new URL(request.url).pathname} failed:`, error);
  return jsonError(500, 'The server could not complete this request; the error has been logged.');
}
