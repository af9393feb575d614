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
import { fetchJson } from '@/components/shared/fetch-json';

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

const labPath = (labId: string) =>
  `/api/labs/${labId.split('/').map(encodeURIComponent).join('/')}`;

export const labApi = {
  run: (labId: string, request: RunRequest) =>
    fetchJson<RunResult>(`${labPath(labId)}/run`, {
      method: 'POST',
      body: JSON.stringify(request),
    }),
  burst: (
    labId: string,
    request: RunRequest & Pick<LabBurstRequest, 'count' | 'reservedConcurrency'>,
  ) =>
    fetchJson<BurstResult>(`${labPath(labId)}/burst`, {
      method: 'POST',
      body: JSON.stringify(request),
    }),
  /** The lab function's recent invocations, newest first; none before its first run. */
  recent: (labId: string) =>
    fetchJson<{ invocations: LabHistoryEntry[] }>(`${labPath(labId)}/invocations`).then(
      (body) => body.invocations,
    ),
  loadSave: (labId: string) =>
    fetchJson<{ files: LabSourceFile[]; settings: LabSettings; savedAt: string } | null>(
      `${labPath(labId)}/save`,
    ),
  /** `keepalive` lets the request finish after the page has gone: the last save as the learner leaves. */
  save: (
    labId: string,
    files: LabSourceFile[],
    settings: LabSettings,
    { keepalive = false } = {},
  ) =>
    fetchJson<{ savedAt: string }>(`${labPath(labId)}/save`, {
      method: 'PUT',
      body: JSON.stringify({ files, settings }),
      keepalive,
    }),
  reset: (labId: string) => fetchJson<void>(`${labPath(labId)}/save`, { method: 'DELETE' }),
  check: (labId: string, files: LabSourceFile[]) =>
    fetchJson<{ results: CheckResult[]; passed: boolean }>(`${labPath(labId)}/check`, {
      method: 'POST',
      body: JSON.stringify({ files }),
    }),
  /** Python's syntax errors in a file, for the editor's markers. */
  pythonSyntax: (source: string, signal: AbortSignal) =>
    fetchJson<{ problems: SyntaxProblem[] }>('/api/labs/syntax', {
      method: 'POST',
      body: JSON.stringify({ runtime: 'python3.11', source }),
      signal,
    }).then((body) => body.problems),
  solution: (labId: string) => fetchJson<{ files: LabSourceFile[] }>(`${labPath(labId)}/solution`),
};
