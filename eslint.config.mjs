import nx from '@nx/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';

// Module boundaries on two axes. `type:*` keeps layers pointing one way
// (apps -> feature -> data -> util); `scope:*` keeps each service's code its own.
// Apps can never import apps: no constraint lets anything depend on `type:app`.
const layerConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data', 'type:util'] },
  { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:data', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:data', 'type:util'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:util'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:testing', 'type:data', 'type:util'] },
];
// `scope:browser-safe` libs are pure (no Node, no Nest, no other project; only their own npm
// packages and the standard library), so a server and the browser console can share them.
const BROWSER_SAFE = 'scope:browser-safe';
const scopeConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', BROWSER_SAFE] },
  { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:ingest', 'scope:shared', BROWSER_SAFE] },
  { sourceTag: 'scope:projector', onlyDependOnLibsWithTags: ['scope:projector', 'scope:shared', BROWSER_SAFE] },
  { sourceTag: 'scope:query', onlyDependOnLibsWithTags: ['scope:query', 'scope:shared', BROWSER_SAFE] },
  { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared', BROWSER_SAFE] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared', BROWSER_SAFE] },
  // deploy/: the Kubernetes manifests and the specs that check them.
  { sourceTag: 'scope:deploy', onlyDependOnLibsWithTags: ['scope:shared', BROWSER_SAFE] },
  { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:cli', 'scope:shared', BROWSER_SAFE] },
  // The browser console imports browser-safe libs only (ADR 0013): its API types come from the
  // query service's OpenAPI document (apps/console/src/api/schema.d.ts), never from Nest code.
  { sourceTag: 'scope:console', onlyDependOnLibsWithTags: [BROWSER_SAFE] },
  { sourceTag: BROWSER_SAFE, onlyDependOnLibsWithTags: [] },
];

const boundaries = (extraForSpecs) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    banTransitiveDependencies: false,
    allow: [],
    depConstraints: [
      ...layerConstraints.map((c) =>
        extraForSpecs ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] } : c,
      ),
      ...scopeConstraints,
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/coverage', '.nx/**', 'tmp/**', 'apps/console/src/api/schema.d.ts'],
  },
  {
    // No import cycles, within a project as across them: a cycle can leave a class
    // undefined when Nest reads its constructor's types, and it ties folders that should
    // depend one way.
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.base.json' })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Typed rules: each file is checked with the types of the tsconfig.json nearest to it.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  {
    // Only specs may use the shared test helpers.
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(true),
      'no-console': 'off',
    },
  },
  {
    files: ['tools/**/*.ts', 'apps/*/src/main.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // The console (React): the rules of hooks and the accessibility rules of jsx-a11y.
    files: ['apps/console/**/*.tsx', 'apps/console/**/*.ts'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
      // A table that scrolls sideways in its own container is a focusable, named region,
      // so a keyboard can scroll it (axe: scrollable-region-focusable).
      'jsx-a11y/no-noninteractive-tabindex': ['error', { tags: [], roles: ['tabpanel', 'region'], allowExpressionValues: true }],
    },
  },
  {
    // Browser code: nothing from Node; of the repo's libs only the browser-safe ones.
    files: ['apps/console/src/**/*.ts', 'apps/console/src/**/*.tsx'],
    ignores: ['apps/console/src/**/*.spec.ts', 'apps/console/src/**/*.spec.tsx', 'apps/console/src/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '@runtrail/*', '!@runtrail/cron'],
              message: 'The console runs in the browser: it takes its API types from src/api/schema.d.ts and imports only browser-safe libs (@runtrail/cron).',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', '__dirname', 'require'],
    },
  },
  {
    // Browser-safe libs run in Node and in the console: nothing from Node, nothing of the repo.
    files: ['libs/cron/src/**/*.ts'],
    ignores: ['libs/cron/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', '@runtrail/*'], message: 'A browser-safe lib runs in the browser too and depends on no other project.' }] }],
      'no-restricted-globals': ['error', 'process', 'Buffer', '__dirname', 'require'],
    },
  },
  {
    files: ['apps/console/build/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
];
