import { EVENT_PRESETS } from '../events/event-builders';
import type { LabView } from './contract';
import type { LabDefinition } from './lab-loader';

/** What a lesson page sends the browser about a lab (see LabView). */
export function toLabView(lab: LabDefinition, functionName: string): LabView {
  return {
    id: lab.id,
    functionName,
    title: lab.title,
    sandboxNote: lab.sandboxNote,
    runtime: lab.runtime,
    handler: lab.handler,
    memoryMb: lab.memoryMb,
    timeoutS: lab.timeoutS,
    environment: lab.environment,
    files: lab.files,
    events: lab.events.map((e) => ({ name: e.name, text: JSON.stringify(e.event, null, 2) })),
    presets: Object.entries(EVENT_PRESETS).map(([name, build]) => ({
      name,
      text: JSON.stringify(build(), null, 2),
    })),
    exercise: lab.exercise && {
      checkTitles: lab.exercise.checks.map((c) => c.title),
      hints: lab.exercise.hints,
    },
    hasSolution: lab.solution !== undefined,
    sweep: lab.sweep,
  };
}
