import type {
  CheckResult,
  LabBurstRequest,
  LabBurstResult,
  LabHistoryEntry,
  LabRunResult,
  LabSettings,
  LabSourceFile,
  SyntaxProblem,
} from '@/lib/labs/contract';

/** One Run as the lab shows it. */
export type RunResult = LabRunResult;
export type BurstResult = LabBurstResult;
/** What Run sends: the learner's settings and files, and the event (the lab's own runtime and handler are used). */
export interface RunRequest {
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
    response = await fetch(url, {
      ...init,
      headers: init.body ? { 'content-type': 'application/json' } : undefined,
      cache: 'no-store',
    });
  } catch {
    throw new LabApiError(
      'The course server could not be reached. Check that it is running, then try again.',
      0,
    );
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as
      { error?: { message?: string } } | undefined;
    throw new LabApiError(
      body?.error?.message ?? `The server answered ${response.status}.`,
      response.status,
    );
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

const labPath = (labId: string) =>
  `/api/labs/${labId.split('/').map(encodeURIComponent).join('/')}`;

export const labApi = {
  run: (labId: string, request: RunRequest) =>
    call<RunResult>(`${labPath(labId)}/run`, { method: 'POST', body: JSON.stringify(request) }),
  burst: (
    labId: string,
    request: RunRequest & Pick<LabBurstRequest, 'count' | 'reservedConcurrency'>,
  ) =>
    call<BurstResult>(`${labPath(labId)}/burst`, { method: 'POST', body: JSON.stringify(request) }),
  /** The lab function's recent invocations, newest first; none before its first run. */
  recent: (labId: string) =>
    call<{ invocations: LabHistoryEntry[] }>(`${labPath(labId)}/invocations`).then(
      (body) => body.invocations,
    ),
  loadSave: (labId: string) =>
    call<{ files: LabSourceFile[]; settings: LabSettings; savedAt: string } | null>(
      `${labPath(labId)}/save`,
    ),
  /** `keepalive` lets the request finish after the page has gone: the last save as the learner leaves. */
  save: (
    labId: string,
    files: LabSourceFile[],
    settings: LabSettings,
    { keepalive = false } = {},
  ) =>
    call<{ savedAt: string }>(`${labPath(labId)}/save`, {
      method: 'PUT',
      body: JSON.stringify({ files, settings }),
      keepalive,
    }),
  reset: (labId: string) => call<void>(`${labPath(labId)}/save`, { method: 'DELETE' }),
  check: (labId: string, files: LabSourceFile[]) =>
    call<{ results: CheckResult[]; passed: boolean }>(`${labPath(labId)}/check`, {
      method: 'POST',
      body: JSON.stringify({ files }),
    }),
  /** Python's syntax errors in a file, for the editor's markers. */
  pythonSyntax: (source: string, signal: AbortSignal) =>
    call<{ problems: SyntaxProblem[] }>('/api/labs/syntax', {
      method: 'POST',
      body: JSON.stringify({ runtime: 'python3.11', source }),
      signal,
    }).then((body) => body.problems),
  solution: (labId: string) => call<{ files: LabSourceFile[] }>(`${labPath(labId)}/solution`),
};
