import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CALCULATOR_FORM,
  FARGATE_TASK_SIZES,
  NUMBER_RULES,
  describeFargateMemory,
  fargateMemoryOptionsGb,
  nearestFargateMemoryGb,
  parseCalculatorForm,
  parseNumberField,
} from './calculator-input';
import { HOSTING_EXAMPLE } from './testing/hosting-example';

describe('FARGATE_TASK_SIZES', () => {
  it('lists the documented combinations', () => {
    expect(FARGATE_TASK_SIZES.map((size) => size.vcpu)).toEqual([0.25, 0.5, 1, 2, 4, 8, 16]);
    expect(fargateMemoryOptionsGb(0.25)).toEqual([0.5, 1, 2]);
    expect(fargateMemoryOptionsGb(4)).toHaveLength(23);
    expect(fargateMemoryOptionsGb(8)).toEqual([16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60]);
    expect(fargateMemoryOptionsGb(16).at(-1)).toBe(120);
    expect(fargateMemoryOptionsGb(3)).toEqual([]);
  });

  it("describes each size's memory in words", () => {
    expect(describeFargateMemory(0.25)).toBe('0.5, 1 or 2 GB');
    expect(describeFargateMemory(16)).toBe('32 to 120 GB in 8 GB steps');
  });

  it('keeps the memory closest to the previous choice when vCPU changes', () => {
    expect(nearestFargateMemoryGb(4, 1)).toBe(8);
    expect(nearestFargateMemoryGb(1, 3)).toBe(3);
    expect(nearestFargateMemoryGb(8, 30)).toBe(28);
    expect(nearestFargateMemoryGb(0.25, 64)).toBe(2);
  });
});

describe('parseNumberField', () => {
  const rule = NUMBER_RULES.memoryMb;

  it('accepts thousands separators, spaces and exponents', () => {
    expect(parseNumberField(' 10,240 ', rule)).toEqual({ ok: true, value: 10_240 });
    expect(parseNumberField('3e6', NUMBER_RULES.requestsPerMonth)).toEqual({
      ok: true,
      value: 3_000_000,
    });
    expect(parseNumberField('12.5', NUMBER_RULES.averageDurationMs)).toEqual({
      ok: true,
      value: 12.5,
    });
  });

  it('says what is wrong and what to enter', () => {
    expect(parseNumberField('', rule)).toEqual({
      ok: false,
      error: 'Required. A whole number from 128 to 10,240 MB.',
    });
    expect(parseNumberField('abc', rule)).toMatchObject({
      error: expect.stringMatching(/^Not a number\./),
    });
    expect(parseNumberField('0x200', rule)).toMatchObject({
      error: expect.stringMatching(/^Not a number\./),
    });
    expect(parseNumberField('Infinity', rule)).toMatchObject({
      error: expect.stringMatching(/^Not a number\./),
    });
    expect(parseNumberField('1e400', rule)).toMatchObject({
      error: expect.stringMatching(/^Not a number\./),
    });
    expect(parseNumberField('512.5', rule)).toMatchObject({
      error: expect.stringMatching(/^Must be a whole number\./),
    });
    expect(parseNumberField('-1', rule)).toMatchObject({
      error: expect.stringMatching(/^Too small\./),
    });
    expect(parseNumberField('127', rule)).toMatchObject({
      error: expect.stringMatching(/^Too small\./),
    });
    expect(parseNumberField('10241', rule)).toMatchObject({
      error: expect.stringMatching(/^Too large\./),
    });
  });
});

describe('parseCalculatorForm', () => {
  it("turns the default form into the Hosting lesson's workloads", () => {
    expect(parseCalculatorForm(DEFAULT_CALCULATOR_FORM)).toEqual({
      ok: true,
      input: HOSTING_EXAMPLE,
    });
  });

  it('reports every bad field at once, keyed by field', () => {
    const parsed = parseCalculatorForm({
      ...DEFAULT_CALCULATOR_FORM,
      requestsPerMonth: 'lots',
      tasks: '0',
      hoursPerMonth: '745',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual([
      'hoursPerMonth',
      'requestsPerMonth',
      'tasks',
    ]);
    expect(parsed.errors.hoursPerMonth).toMatch(/744/);
  });

  it('refuses a memory size Fargate does not offer with that vCPU', () => {
    const parsed = parseCalculatorForm({
      ...DEFAULT_CALCULATOR_FORM,
      vcpuPerTask: '0.25',
      memoryGbPerTask: '4',
    });
    expect(parsed).toEqual({
      ok: false,
      errors: { memoryGbPerTask: 'A 0.25 vCPU task takes 0.5, 1 or 2 GB.' },
    });
  });

  it('refuses a vCPU size Fargate does not offer', () => {
    const parsed = parseCalculatorForm({ ...DEFAULT_CALCULATOR_FORM, vcpuPerTask: '3' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.errors.vcpuPerTask).toBe(
        'Fargate offers 0.25, 0.5, 1, 2, 4, 8 or 16 vCPU per task.',
      );
  });
});
