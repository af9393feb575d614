import type { CheckResult } from '@/lib/labs/checks';
import type { LabSourceFile } from '@/lib/labs/lab-loader';
import type { LabSettings } from '@/lib/labs/lab-service';
import type { SyntaxProblem } from '@/lib/labs/python-syntax';
import type { InvocationReport } from '@/lib/runner/pool';

/** One Run as the lab shows it. */
export interface RunResult {
  requestId: string;
  payload: string;
  errorType: string | undefined;
  log: string | undefined;
  report: InvocationReport | undefined;
}

export interface BurstResult {
  invocations: { requestId: string; errorType: string | undefined; report: InvocationReport | undefined }[];
  throttled: number;
  throttleMessages: string[];
  /** Calls the course server was too full to run (not Lambda throttles). */
  serverBusy: number;
  coldStarts: number;
  environments: number;
}

export interface RunRequest {
  runtime: string;
  handler: string;
  memoryMb: number;
  timeoutS: number;
  environment: Record<string, string>;
  files: LabSourceFile[];
  event: unknown;
  newEnvironment: boolean;
}

/** An error the server explained: its message is written for the learner. */
export class LabApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: init.body ? { 'content-type': 'application/json' } : undefined, cache: 'no-store' });
  } catch {
    throw new LabApiError('The course server could not be reached. Check that it is running, then try again.', 0);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    throw new LabApiError(body?.error?.message ?? `The server answered ${response.status}.`, response.status);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

const labPath = (labId: string) => `/api/labs/${labId.split('/').map(encodeURIComponent).join('/')}`;

export const labApi = {
  run: (functionName: string, request: RunRequest) => call<RunResult>(`/api/functions/${encodeURIComponent(functionName)}/run`, { method: 'POST', body: JSON.stringify(request) }),
  burst: (functionName: string, request: RunRequest & { count: number; reservedConcurrency: number | null }) =>
    call<BurstResult>(`/api/functions/${encodeURIComponent(functionName)}/burst`, { method: 'POST', body: JSON.stringify(request) }),
  /** The lab function's recent invocations, newest first; none before its first run. */
  recent: (functionName: string) =>
    call<{ invocations: (RunResult & { invocationType: string })[] }>(`/api/functions/${encodeURIComponent(functionName)}/invocations`).then(
      (body) => body.invocations,
      (error: unknown) => {
        if (error instanceof LabApiError && error.status === 404) return [];
        throw error;
      },
    ),
  loadSave: (labId: string) => call<{ files: LabSourceFile[]; settings: LabSettings; savedAt: string } | null>(`${labPath(labId)}/save`),
  /** `keepalive` lets the request finish after the page has gone: the last save as the learner leaves. */
  save: (labId: string, files: LabSourceFile[], settings: LabSettings, { keepalive = false } = {}) =>
    call<{ savedAt: string }>(`${labPath(labId)}/save`, { method: 'PUT', body: JSON.stringify({ files, settings }), keepalive }),
  reset: (labId: string) => call<void>(`${labPath(labId)}/save`, { method: 'DELETE' }),
  check: (labId: string, files: LabSourceFile[]) => call<{ results: CheckResult[]; passed: boolean }>(`${labPath(labId)}/check`, { method: 'POST', body: JSON.stringify({ files }) }),
  /** Python's syntax errors in a file, for the editor's markers. */
  pythonSyntax: (source: string, signal: AbortSignal) =>
    call<{ problems: SyntaxProblem[] }>('/api/labs/syntax', { method: 'POST', body: JSON.stringify({ runtime: 'python3.11', source }), signal }).then((body) => body.problems),
  solution: (labId: string) => call<{ files: LabSourceFile[] }>(`${labPath(labId)}/solution`),
};
