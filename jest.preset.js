// Shared jest preset: ts-jest in transpile-only mode (isolatedModules in each tsconfig.spec.json) (types are checked by the
// `typecheck` target, so tests do not pay for a second type-check), and the
// workspace's path aliases mapped to the libs' sources.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: `${__dirname}/` }),
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  setupFiles: ['reflect-metadata'],
  // Integration specs talk to the real NATS and Postgres; give them room.
  testTimeout: 30_000,
};
