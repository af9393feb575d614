import type { Course } from '../course';
import { HttpError, jsonError } from '../http/json';
import { LabService } from '../labs';
import { LambdaError } from '../lambda';
import {
  InvalidProgressError,
  learnerCookieHeader,
  NotInCourseError,
  ProgressService,
  resolveLearner,
} from '../learner';
import { getWorkspaceRateLimiter } from './request-limits';
import { getAppServices, getServerCourse, type AppServices } from './services';

/**
 * What a learner's request may use. The course-backed services are built on
 * first use: a request that needs neither (credentials, the function list)
 * never touches the course.
 */
export interface LearnerContext {
  learnerId: string;
  progress(): Promise<ProgressService>;
  labs(): Promise<LabService>;
  services: AppServices;
}

interface CourseServices {
  progress: ProgressService;
  labs: LabService;
}

/**
 * The services that answer about a course, built once per loaded course: once
 * per process in production, once per edit in development (where the course is
 * re-read so edits show).
 */
const courseServices = new WeakMap<Course, CourseServices>();

function servicesFor(course: Course, services: AppServices): CourseServices {
  let built = courseServices.get(course);
  if (!built) {
    const progress = new ProgressService(services.store, course);
    built = {
      progress,
      labs: new LabService(course.labs, services.store, services.lambda, progress),
    };
    courseServices.set(course, built);
  }
  return built;
}

/**
 * Runs a route handler for the learner behind the request: resolves (or starts)
 * their workspace, holds it to its request rate, renews the cookie on the response, and turns domain errors
 * into specific HTTP errors. Unexpected errors are logged with their cause and
 * answered with a 500 that leaks nothing.
 */
export async function handleLearnerRequest(
  request: Request,
  handle: (context: LearnerContext) => Promise<Response>,
): Promise<Response> {
  let response: Response;
  let cookie: string | undefined;
  try {
    const services = await getAppServices();
    const session = resolveLearner(request, services.config.sessionSecret);
    cookie = learnerCookieHeader(session.learnerId, services.config.sessionSecret, request);
    // Before the handler, so a throttled request's body is never read.
    const rate = getWorkspaceRateLimiter().take(`workspace:${session.learnerId}`);
    if (!rate.allowed) {
      response = jsonError(
        429,
        `Too many requests from this workspace: wait ${rate.retryAfterSeconds} s and try again.`,
        { headers: { 'retry-after': String(rate.retryAfterSeconds) } },
      );
    } else {
      const forCourse = async () => servicesFor(await getServerCourse(), services);
      response = await handle({
        learnerId: session.learnerId,
        progress: async () => (await forCourse()).progress,
        labs: async () => (await forCourse()).labs,
        services,
      });
    }
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
  if (error instanceof LambdaError)
    return jsonError(error.status, error.message, { headers: { 'x-error-type': error.type } });
  console.error(`${request.method} ${new URL(request.url).pathname} failed:`, error);
  return jsonError(500, 'The server could not complete this request; the error has been logged.');
}
