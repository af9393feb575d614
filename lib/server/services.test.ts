import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { chooseSandbox } from './services';

const MISSING =
  'bubblewrap is not installed or cannot create namespaces as an unprivileged user here.';
const config = (env: Record<string, string>) =>
  loadConfig({ SESSION_SECRET: 's'.repeat(32), DATA_DIR: '/tmp/unused-config-test', ...env });

describe('chooseSandbox', () => {
  it('uses bubblewrap when it works, whatever the mode', () => {
    expect(chooseSandbox(config({}), true, undefined)).toBe('bwrap');
  });

  it('refuses to run learner code unsandboxed in production unless explicitly allowed', () => {
    expect(() => chooseSandbox(config({}), true, MISSING)).toThrow(/RUNNER_ALLOW_UNSANDBOXED=true/);
    expect(() => chooseSandbox(config({ RUNNER_SANDBOX: 'none' }), true, undefined)).toThrow(
      /without a sandbox/,
    );
    expect(chooseSandbox(config({ RUNNER_ALLOW_UNSANDBOXED: 'true' }), true, MISSING)).toBe('none');
  });

  it('falls back to plain processes in development, and fails fast when bwrap is demanded but missing', () => {
    expect(chooseSandbox(config({}), false, MISSING)).toBe('none');
    expect(() => chooseSandbox(config({ RUNNER_SANDBOX: 'bwrap' }), false, MISSING)).toThrow(
      /the sandbox cannot run here: bubblewrap is not installed/,
    );
  });
});
