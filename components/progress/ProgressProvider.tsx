'use client';

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { LearnerProgress, QuizAnswerResult } from '@/lib/learner/contract';
import { fetchJson } from '@/components/shared/fetch-json';

export type ProgressStatus = 'loading' | 'ready' | 'error';

interface ProgressContextValue {
  status: ProgressStatus;
  progress: LearnerProgress | undefined;
  isCompleted(lessonId: string): boolean;
  setCompleted(lessonId: string, completed: boolean): Promise<void>;
  recordVisit(lessonId: string): void;
  answerQuiz(lessonId: string, quizId: string, selected: number[]): Promise<QuizAnswerResult>;
  reload(): Promise<void>;
}

const ProgressContext = createContext<ProgressContextValue | undefined>(undefined);

/**
 * The learner's progress, loaded once from the server (pages are static) and
 * kept in step with every change they make.
 */
export function ProgressProvider({ children }: { children: ReactNode }) {
  const [progress, setProgress] = useState<LearnerProgress | undefined>(undefined);
  const [status, setStatus] = useState<ProgressStatus>('loading');

  const reload = useCallback(async () => {
    try {
      setProgress(await fetchJson<LearnerProgress>('/api/progress'));
      setStatus('ready');
    } catch {
      setStatus('error');
    }
  }, []);

  useEffect(() => {
    let cancelled = false;
    fetchJson<LearnerProgress>('/api/progress').then(
      (loaded) => {
        if (cancelled) return;
        setProgress(loaded);
        setStatus('ready');
      },
      () => {
        if (!cancelled) setStatus('error');
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  // Stable callbacks: effects that call them run once per lesson, not per progress change.
  const setCompleted = useCallback(async (lessonId: string, completed: boolean) => {
    setProgress(
      await fetchJson<LearnerProgress>('/api/progress/completions', {
        method: 'PUT',
        body: JSON.stringify({ lessonId, completed }),
      }),
    );
  }, []);

  const recordVisit = useCallback((lessonId: string) => {
    const visitedAt = new Date().toISOString();
    setProgress((current) => current && { ...current, lastLesson: { lessonId, visitedAt } });
    void fetchJson('/api/progress/visits', {
      method: 'POST',
      body: JSON.stringify({ lessonId }),
    }).catch(() => {
      // Remembering the last lesson is a convenience; a failed write must not disturb reading.
    });
  }, []);

  const answerQuiz = useCallback(async (lessonId: string, quizId: string, selected: number[]) => {
    const result = await fetchJson<QuizAnswerResult>('/api/progress/quiz-answers', {
      method: 'PUT',
      body: JSON.stringify({ lessonId, quizId, selected }),
    });
    const answer = {
      lessonId,
      quizId,
      selected: [...selected].sort((a, b) => a - b),
      correct: result.correct,
      answeredAt: new Date().toISOString(),
    };
    setProgress(
      (current) =>
        current && {
          ...current,
          quizAnswers: [
            ...current.quizAnswers.filter((a) => !(a.lessonId === lessonId && a.quizId === quizId)),
            answer,
          ],
        },
    );
    return result;
  }, []);

  const value = useMemo<ProgressContextValue>(
    () => ({
      status,
      progress,
      isCompleted: (lessonId) =>
        progress?.completedLessons.some((c) => c.lessonId === lessonId) ?? false,
      setCompleted,
      recordVisit,
      answerQuiz,
      reload,
    }),
    [progress, status, setCompleted, recordVisit, answerQuiz, reload],
  );

  return <ProgressContext.Provider value={value}>{children}</ProgressContext.Provider>;
}

export function useProgress(): ProgressContextValue {
  const context = useContext(ProgressContext);
  if (!context) throw new Error('useProgress must be used inside <ProgressProvider>.');
  return context;
}
