import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypeScript from 'eslint-config-next/typescript';
import { layersPlugin } from './eslint/layer-rule.mjs';

const config = [
  ...nextCoreWebVitals,
  ...nextTypeScript,
  {
    ignores: [
      '*.tmp.*',
      'e2e/.tmp/**',
      '.next/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
      'public/monaco/**',
    ],
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Destructuring to drop fields (`const { a, ...rest } = x`) is the intent, not an oversight.
      '@typescript-eslint/no-unused-vars': [
        'warn',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The layers of eslint/architecture.mjs (docs/decisions/008).
    files: ['app/**', 'components/**', 'lib/**', 'scripts/**', 'bench/**', 'e2e/**', '*.ts'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/imports': 'error' },
  },
  {
    // A lab's starter is unfinished on purpose: the learner writes the code that uses these names.
    files: ['content/**/starter/**'],
    rules: { '@typescript-eslint/no-unused-vars': 'off' },
  },
  {
    // Playwright fixtures receive a function named `use`; it is not a React hook.
    files: ['e2e/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
];

export default config;
