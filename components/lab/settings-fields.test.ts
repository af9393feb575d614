import { describe, expect, it } from 'vitest';
import {
  fieldsOf,
  invocationSettingsOf,
  rowsOf,
  settingsOf,
  settingsProblems,
} from './settings-fields';

const valid = {
  memory: '128',
  timeout: '3',
  environment: [{ key: 'TABLE_NAME', value: 'orders' }],
  eventText: '{"a":1}',
};

describe('lab settings', () => {
  it("accepts Lambda's limits and nothing outside them", () => {
    expect(settingsProblems(valid)).toEqual({});
    expect(settingsProblems({ ...valid, memory: '10240', timeout: '900' })).toEqual({});
    expect(Object.keys(settingsProblems({ ...valid, memory: '127', timeout: '901' }))).toEqual([
      'memory',
      'timeout',
    ]);
    expect(Object.keys(settingsProblems({ ...valid, memory: '', timeout: ' ' }))).toEqual([
      'memory',
      'timeout',
    ]);
    expect(settingsProblems({ ...valid, memory: '512.5' }).memory).toBe(
      'Memory is a whole number of MB from 128 to 10,240.',
    );
  });

  it('names the environment variable at fault, by its row', () => {
    const problems = settingsProblems({
      ...valid,
      environment: [
        { key: 'A', value: '1' },
        { key: '1B', value: '' },
        { key: 'A', value: '2' },
      ],
    });
    expect(problems).toEqual({
      env1: 'Names start with a letter and use letters, digits and _.',
      env2: '"A" is set twice.',
    });
  });

  it('says why an event is not JSON', () => {
    expect(settingsProblems({ ...valid, eventText: '{"a":' }).event).toMatch(
      /^The event is not valid JSON: /,
    );
  });

  it('turns a variables map into editable rows in order', () => {
    expect(rowsOf({ B: '2', A: '1' })).toEqual([
      { key: 'B', value: '2' },
      { key: 'A', value: '1' },
    ]);
  });

  it('turns the fields into the numbers and map a save stores, keeping the event as typed', () => {
    expect(settingsOf({ ...valid, eventText: '{"a":' })).toEqual({
      memoryMb: 128,
      timeoutS: 3,
      environment: { TABLE_NAME: 'orders' },
      eventText: '{"a":',
    });
  });

  it('gives an invocation the event parsed, and refuses an event that is not JSON', () => {
    expect(invocationSettingsOf({ ...valid, memory: '512' })).toEqual({
      memoryMb: 512,
      timeoutS: 3,
      environment: { TABLE_NAME: 'orders' },
      event: { a: 1 },
    });
    expect(() => invocationSettingsOf({ ...valid, eventText: '{"a":' })).toThrow(SyntaxError);
  });

  it('shows saved settings as the fields they came from', () => {
    const saved = {
      memoryMb: 1024,
      timeoutS: 30,
      environment: { B: '2', A: '1' },
      eventText: '{}',
    };
    expect(fieldsOf(saved)).toEqual({
      memory: '1024',
      timeout: '30',
      environment: [
        { key: 'B', value: '2' },
        { key: 'A', value: '1' },
      ],
      eventText: '{}',
    });
    expect(settingsOf(fieldsOf(saved))).toEqual(saved);
  });
});
