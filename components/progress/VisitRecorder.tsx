'use client';

import { useEffect } from 'react';
import { useProgress } from './ProgressProvider';

/** Remembers this lesson as the learner's place, for "resume where you left off". */
export function VisitRecorder({ lessonId }: { lessonId: string }) {
  const { status, recordVisit } = useProgress();
  const ready = status === 'ready';
  useEffect(() => {
    // Wait for the first progress load: it creates the workspace and its cookie.
    if (ready) recordVisit(lessonId);
  }, [lessonId, ready, recordVisit]);
  return null;
}
