// Lint enforces the rooms of ARCHITECTURE §1: where a file lives decides what it may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'url', 'stream', 'zlib', 'http', 'https', 'net'];
const pattern = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'docket-demo/**', 'dist/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Only electron/main/openExternal.ts may open links outside the app.
      'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='openExternal'][object.name='shell']", message: 'Use openExternalSafely from electron/main/openExternal.ts.' }],
    },
  },
  // electron-builder hooks are CommonJS by its convention.
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['electron/main/openExternal.ts'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          pattern(nodeBuiltins, 'shared/ is pure TypeScript: no Node built-ins.'),
          pattern(['electron', 'react', 'react-dom', 'better-sqlite3'], 'shared/ must not depend on a runtime.'),
          pattern(['**/electron/**', '**/renderer/**'], 'shared/ may not import from electron/ or renderer/.'),
        ],
      }],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          pattern(['electron'], 'The engine and the CLI never import electron: they run in plain Node.'),
          pattern(['**/main/**', '**/preload/**', '**/renderer/**', 'react', 'react-dom'], 'core/ and cli/ may not reach the shell or the UI.'),
        ],
      }],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [pattern(['**/renderer/**', 'react', 'react-dom'], 'The shell does not import the UI.')] }],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          pattern(nodeBuiltins, 'The sandboxed preload has no Node built-ins.'),
          pattern(['**/core/**', '**/main/**', '**/renderer/**', 'better-sqlite3'], 'The preload only bridges: it imports shared/ and electron.'),
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          pattern(nodeBuiltins, 'The renderer has no Node: talk to the engine through window.docket.'),
          pattern(['electron', 'better-sqlite3', '**/electron/**'], 'The renderer imports nothing from electron/: use window.docket.'),
        ],
      }],
    },
  },
);
