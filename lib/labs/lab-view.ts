import { EVENT_PRESETS } from '../events/event-builders';
import type { LabDefinition, LabSourceFile } from './lab-loader';

/** An event as the lab's event picker offers it: the JSON already formatted for editing. */
export interface LabEventOption {
  name: string;
  text: string;
}

/**
 * What a lesson page sends the browser about a lab: everything to edit and run
 * it, the check titles and hints, but neither the checks' expectations nor the
 * solution (the solution is fetched when the learner asks for it).
 */
export interface LabView {
  id: string;
  functionName: string;
  title: string;
  runtime: LabDefinition['runtime'];
  handler: string;
  memoryMb: number;
  timeoutS: number;
  environment: Record<string, string>;
  files: LabSourceFile[];
  events: LabEventOption[];
  /** AWS's event shapes from lib/events, offered in every lab. */
  presets: LabEventOption[];
  exercise: { checkTitles: string[]; hints: string[] } | undefined;
  hasSolution: boolean;
}

export function toLabView(lab: LabDefinition, functionName: string): LabView {
  return {
    id: lab.id,
    functionName,
    title: lab.title,
    runtime: lab.runtime,
    handler: lab.handler,
    memoryMb: lab.memoryMb,
    timeoutS: lab.timeoutS,
    environment: lab.environment,
    files: lab.files,
    events: lab.events.map((e) => ({ name: e.name, text: JSON.stringify(e.event, null, 2) })),
    presets: Object.entries(EVENT_PRESETS).map(([name, build]) => ({ name, text: JSON.stringify(build(), null, 2) })),
    exercise: lab.exercise && { checkTitles: lab.exercise.checks.map((c) => c.title), hints: lab.exercise.hints },
    hasSolution: lab.solution !== undefined,
  };
}
