/**
 * The code lab's settings panel as text fields, and what is wrong with them:
 * free of React so the messages a learner reads are tested apart from the UI.
 */

import { ENVIRONMENT_NAME_PATTERN, LAB_LIMITS } from '@/lib/labs/contract';

const within = (value: number, { min, max }: { min: number; max: number }) =>
  Number.isInteger(value) && value >= min && value <= max;

/** One environment variable as the panel edits it: a name and value that may be half-typed. */
export interface EnvironmentRow {
  key: string;
  value: string;
}

export interface SettingsFields {
  memory: string;
  timeout: string;
  environment: EnvironmentRow[];
  eventText: string;
}

export function rowsOf(environment: Record<string, string>): EnvironmentRow[] {
  return Object.entries(environment).map(([key, value]) => ({ key, value }));
}

/**
 * Problems by field: `memory`, `timeout`, `env<index>` and `event`. Empty when
 * the lab can run. The limits are Lambda's (and the server checks them again).
 */
export function settingsProblems({
  memory,
  timeout,
  environment,
  eventText,
}: SettingsFields): Record<string, string> {
  const problems: Record<string, string> = {};
  const memoryMb = Number(memory);
  if (memory.trim() === '' || !within(memoryMb, LAB_LIMITS.memoryMb))
    problems.memory = 'Memory is a whole number of MB from 128 to 10,240.';
  const timeoutS = Number(timeout);
  if (timeout.trim() === '' || !within(timeoutS, LAB_LIMITS.timeoutS))
    problems.timeout = 'The timeout is a whole number of seconds from 1 to 900.';
  environment.forEach((row, index) => {
    if (!ENVIRONMENT_NAME_PATTERN.test(row.key))
      problems[`env${index}`] = 'Names start with a letter and use letters, digits and _.';
    else if (environment.findIndex((other) => other.key === row.key) !== index)
      problems[`env${index}`] = `"${row.key}" is set twice.`;
  });
  try {
    JSON.parse(eventText);
  } catch (error) {
    problems.event = `The event is not valid JSON: ${(error as Error).message}`;
  }
  return problems;
}

/**
 * The settings as a save stores them. The event stays text, so a half-typed
 * event survives a reload; the server's `LabSettings` has this shape.
 */
export interface SettingsValues {
  memoryMb: number;
  timeoutS: number;
  environment: Record<string, string>;
  eventText: string;
}

/** What a Run, a Burst or a sweep sends of the settings: the event parsed. */
export type InvocationSettings = Omit<SettingsValues, 'eventText'> & { event: unknown };

/** The panel's text fields for saved or starter settings. */
export function fieldsOf({
  memoryMb,
  timeoutS,
  environment,
  eventText,
}: SettingsValues): SettingsFields {
  return {
    memory: String(memoryMb),
    timeout: String(timeoutS),
    environment: rowsOf(environment),
    eventText,
  };
}

/**
 * The fields as numbers and a variables map. Meaningful only for fields that
 * `settingsProblems` accepts (the event aside): anything else is for the
 * server to refuse, not for this to repair.
 */
export function settingsOf({
  memory,
  timeout,
  environment,
  eventText,
}: SettingsFields): SettingsValues {
  return {
    memoryMb: Number(memory),
    timeoutS: Number(timeout),
    environment: Object.fromEntries(environment.map((row) => [row.key, row.value])),
    eventText,
  };
}

/**
 * The fields as an invocation sends them. Throws a SyntaxError when the event
 * is not JSON, which `settingsProblems` reports first.
 */
export function invocationSettingsOf(fields: SettingsFields): InvocationSettings {
  const { eventText, ...configuration } = settingsOf(fields);
  return { ...configuration, event: JSON.parse(eventText) as unknown };
}
