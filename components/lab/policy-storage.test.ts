import { describe, expect, it } from 'vitest';
import { MAX_POLICY_TEXT_CHARS } from '@/lib/iam/contract';
import { parseStoredPolicy, policyStorageKey, storedPolicy } from './policy-storage';

describe('a policy kept in this browser', () => {
  it('is stored per lab and read back', () => {
    expect(policyStorageKey('lambda/least-privilege')).toBe(
      'course.policy-lab.lambda/least-privilege',
    );
    expect(parseStoredPolicy(storedPolicy('{"Version": "2012-10-17"}'))).toBe(
      '{"Version": "2012-10-17"}',
    );
  });

  it('ignores whatever else the entry may hold', () => {
    for (const stored of [
      null,
      '',
      'not json',
      '"a string"',
      '{"version": 2, "policy": "{}"}',
      '{"version": 1}',
      JSON.stringify({ version: 1, policy: 'x'.repeat(MAX_POLICY_TEXT_CHARS + 1) }),
      JSON.stringify({ version: 1, policy: '{}', extra: true }),
    ])
      expect(parseStoredPolicy(stored)).toBeUndefined();
  });
});
