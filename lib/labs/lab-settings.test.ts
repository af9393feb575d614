import { describe, expect, it } from 'vitest';
import { rowsOf, settingsProblems } from './lab-settings';

const valid = { memory: '128', timeout: '3', environment: [{ key: 'TABLE_NAME', value: 'orders' }], eventText: '{"a":1}' };

describe('lab settings', () => {
  it('accepts Lambda\'s limits and nothing outside them', () => {
    expect(settingsProblems(valid)).toEqual({});
    expect(settingsProblems({ ...valid, memory: '10240', timeout: '900' })).toEqual({});
    expect(Object.keys(settingsProblems({ ...valid, memory: '127', timeout: '901' }))).toEqual(['memory', 'timeout']);
    expect(Object.keys(settingsProblems({ ...valid, memory: '', timeout: ' ' }))).toEqual(['memory', 'timeout']);
    expect(settingsProblems({ ...valid, memory: '512.5' }).memory).toBe('Memory is a whole number of MB from 128 to 10,240.');
  });

  it('names the environment variable at fault, by its row', () => {
    const problems = settingsProblems({ ...valid, environment: [{ key: 'A', value: '1' }, { key: '1B', value: '' }, { key: 'A', value: '2' }] });
    expect(problems).toEqual({ env1: 'Names start with a letter and use letters, digits and _.', env2: '"A" is set twice.' });
  });

  it('says why an event is not JSON', () => {
    expect(settingsProblems({ ...valid, eventText: '{"a":' }).event).toMatch(/^The event is not valid JSON: /);
  });

  it('turns a variables map into editable rows in order', () => {
    expect(rowsOf({ B: '2', A: '1' })).toEqual([{ key: 'B', value: '2' }, { key: 'A', value: '1' }]);
  });
});
