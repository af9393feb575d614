import { describe, expect, it } from 'vitest';
import { billedDurationMs, formatInvocationLog, invocationCostUsd, reportLine } from './report';

const ID = '6bc28136-xmpl-4365-b021-0ce6b2e64ab0';

describe('REPORT line', () => {
  it('matches Lambda on a cold start, billing INIT plus Duration', () => {
    expect(
      reportLine({
        requestId: ID,
        version: '$LATEST',
        durationMs: 26.731,
        memorySizeMb: 128,
        maxMemoryUsedMb: 75,
        initDurationMs: 166.62,
      }),
    ).toBe(
      `REPORT RequestId: ${ID}\tDuration: 26.73 ms\tBilled Duration: 194 ms\tMemory Size: 128 MB\tMax Memory Used: 75 MB\tInit Duration: 166.62 ms`,
    );
  });

  it('leaves out Init Duration and bills Duration alone on a warm call', () => {
    const line = reportLine({
      requestId: ID,
      version: '$LATEST',
      durationMs: 1.2,
      memorySizeMb: 512,
      maxMemoryUsedMb: 60,
      initDurationMs: undefined,
    });
    expect(line).toBe(
      `REPORT RequestId: ${ID}\tDuration: 1.20 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB`,
    );
    expect(billedDurationMs({ durationMs: 3, initDurationMs: undefined })).toBe(3);
  });

  it('prices a call at $0.20 per million plus GB-seconds at x86 rates', () => {
    // 1,000 ms at 1,024 MB is one GB-second.
    expect(
      invocationCostUsd({ durationMs: 1000, initDurationMs: undefined, memorySizeMb: 1024 }),
    ).toBeCloseTo(0.0000002 + 0.0000166667, 12);
  });

  it('frames the output with START, END and REPORT, init output first', () => {
    const log = formatInvocationLog(
      {
        requestId: 'r',
        version: '$LATEST',
        durationMs: 1,
        memorySizeMb: 128,
        maxMemoryUsedMb: 9,
        initDurationMs: 100,
      },
      'hello',
      'init line\n',
    );
    expect(log.split('\n')).toEqual([
      'init line',
      'START RequestId: r Version: $LATEST',
      'hello',
      'END RequestId: r',
      expect.stringMatching(/^REPORT RequestId: r\t/),
      '',
    ]);
  });
});
