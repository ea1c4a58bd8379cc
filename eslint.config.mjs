// @ts-check
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const noElectron = {
  paths: [{ name: 'electron', message: 'Only electron/glue, main.ts and preload.ts may import electron.' }],
  patterns: [{ group: ['electron/*'], message: 'Only electron/glue may import electron.' }],
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.lab/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-empty-object-type': 'off',
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true } }],
    },
  },
  // CommonJS helper scripts (loaded by Node and by Playwright's CJS transform).
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Config files and test globals may default-export (tool conventions).
  {
    files: ['*.config.*', '*.mts', 'tests/lab/global-setup.ts', 'tests/e2e/global-setup.ts'],
    rules: { 'no-restricted-exports': 'off' },
  },
  // Import zones: renderer → shared ← electron/services ← electron/glue (conventions.md).
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noElectron.paths,
          patterns: [
            ...noElectron.patterns,
            { group: ['node:*'], message: 'shared/ has no Node: it is the IPC contract.' },
            {
              group: ['**/electron/**', '**/renderer/**', 'react', 'react-dom'],
              message: 'shared/ imports nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/simulator/**', 'electron/preview/**', 'electron/station/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noElectron.paths,
          patterns: [
            ...noElectron.patterns,
            { group: ['**/glue/**', '**/glue'], message: 'services never depend on Electron glue.' },
            { group: ['**/renderer/**'], message: 'main-side code never imports the renderer.' },
          ],
        },
      ],
    },
  },
  // Services never know whether they talk to the simulator: the composition (electron/station) chooses.
  {
    files: ['electron/services/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noElectron.paths,
          patterns: [
            ...noElectron.patterns,
            { group: ['**/glue/**', '**/glue'], message: 'services never depend on Electron glue.' },
            { group: ['**/renderer/**'], message: 'main-side code never imports the renderer.' },
            {
              group: ['**/simulator/**', '**/simulator'],
              message:
                'services never import the simulator: electron/station composes training or a real server.',
            },
            {
              group: ['**/station/station', '**/station/**'],
              message: 'services never import the composition above them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: noElectron.paths,
          patterns: [
            {
              group: ['**/electron/**', 'electron/*'],
              message: 'The renderer only talks to main through window.station.',
            },
            { group: ['node:*'], message: 'The renderer has no Node.' },
          ],
        },
      ],
    },
  },
)
