import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/*
 * Each forbidden import, linted as a one-line file at the path where it would
 * be written, through the project's own eslint.config.mjs: `npm run lint`
 * fails on exactly these.
 */

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function layerProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'layers/imports')
    .map((message) => message.message);
}

describe('layers/imports refuses', () => {
  it.each([
    [
      'lib/labs/fixture.ts',
      "import { NextResponse } from 'next/server';",
      /lib\/ is framework-free and may not import "next"/,
    ],
    ['lib/content/fixture.ts', "import { useState } from 'react';", /may not import "react"/],
    [
      'lib/labs/fixture.ts',
      "import { BUTTON } from '@/components/lab/controls';",
      /lib\/ may not import components\//,
    ],
    ['lib/server/fixture.ts', "import Page from '../../app/page';", /lib\/ may not import app\//],
  ])('lib/ importing the app or a framework: %s %s', async (file, code, message) => {
    expect(await layerProblems(file, code)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    [
      'components/lab/fixture.tsx',
      "import { LabService } from '@/lib/labs';",
      /^lib\/labs is server-only .* lib\/labs\/contract\.$/,
    ],
    [
      'components/progress/fixture.tsx',
      "import { ProgressStore } from '@/lib/store';",
      /^lib\/store is server-only/,
    ],
    [
      'components/lab/fixture.ts',
      "import { getAppServices } from '@/lib/server/services';",
      /lib\/server\/services is server-only/,
    ],
    [
      'components/lab/fixture.ts',
      "import { readFileSync } from 'node:fs';",
      /may not import "node:fs"/,
    ],
    [
      'lib/labs/contract.ts',
      "import { LabService } from './lab-service';",
      /lib\/labs\/lab-service is server-only/,
    ],
    [
      'lib/charts/fixture.ts',
      "import Database from 'better-sqlite3';",
      /may not import "better-sqlite3"/,
    ],
  ])('browser code importing a server-only module: %s %s', async (file, code, message) => {
    expect(await layerProblems(file, code)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ["import { LambdaService } from '../lambda';", 'lib/lambda'],
    ["import { ProgressStore } from '../store';", 'lib/store'],
    ["import { LabService } from '../labs';", 'lib/labs'],
  ])('lib/runner importing a part above it: %s', async (code, target) => {
    expect(await layerProblems('lib/runner/fixture.ts', code)).toEqual([
      `lib/runner may not import ${target}: it may use no other part (eslint/architecture.mjs). Invert the dependency or move the code.`,
    ]);
  });

  it('a part importing one it does not use, and anything importing the composition root', async () => {
    expect(
      await layerProblems('lib/content/fixture.ts', "import { readModuleLabs } from '../labs';"),
    ).toEqual([
      expect.stringMatching(/^lib\/content may not import lib\/labs: it may use lib\/authoring/),
    ]);
    expect(
      await layerProblems(
        'lib/labs/fixture.ts',
        "import { getAppServices } from '../server/services';",
      ),
    ).toEqual([expect.stringMatching(/may not import lib\/server/)]);
  });

  it.each([
    [
      'app/api/fixture/route.ts',
      "import { LambdaService } from '@/lib/lambda/lambda-service';",
      'lib/lambda/lambda-service is internal: import it through lib/lambda/index.',
    ],
    [
      'components/lab/fixture.ts',
      "import type { InvocationReport } from '@/lib/runner/pool';",
      'lib/runner/pool is internal: import it through lib/runner/index.',
    ],
    [
      'lib/labs/fixture.ts',
      "import { EnvironmentPool } from '../runner/pool';",
      'lib/runner/pool is internal: import it through lib/runner/index.',
    ],
    [
      'scripts/fixture.ts',
      "import { LabService } from '../lib/labs/lab-service';",
      'lib/labs/lab-service is internal: import it through lib/labs/index or lib/labs/contract.',
    ],
  ])("a part's internals imported past its public module: %s %s", async (file, code, message) => {
    expect(await layerProblems(file, code)).toEqual([message]);
  });
});

describe('layers/imports allows', () => {
  it.each([
    [
      'components/lab/fixture.tsx',
      "import { MAX_BURST, type LabView } from '@/lib/labs/contract';",
    ],
    ['components/lab/fixture.tsx', "import { checkPolicyLab } from '@/lib/iam/contract';"],
    ['components/lesson/fixture.tsx', "import type { Course } from '@/lib/course';"],
    ['components/mdx/fixture.tsx', "import { niceTicks } from '@/lib/charts/nice-scale';"],
    ['lib/labs/contract.ts', "import type { InvocationReport } from '../runner';"],
    ['lib/lambda/fixture.ts', "import { EnvironmentPool } from '../runner';"],
    ['lib/course/fixture.ts', "import { readModuleLabs } from '../labs';"],
    ['lib/learner/fixture.ts', "import { MAX_LAB_FILE_BYTES } from '../labs/contract';"],
    ['lib/server/fixture.ts', "import { LambdaService } from '../lambda';"],
    ['app/api/fixture/route.ts', "import { getAppServices } from '@/lib/server/services';"],
    [
      'lib/labs/fixture.test.ts',
      "import { createTestService } from '../lambda/testing/service-harness';",
    ],
    [
      'bench/fixture.ts',
      "import { ExecutionEnvironment } from '../lib/runner/execution-environment';",
    ],
  ])('%s: %s', async (file, code) => {
    expect(await layerProblems(file, code)).toEqual([]);
  });
});
