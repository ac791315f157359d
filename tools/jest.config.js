/** @type {import('jest').Config} */
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'tools',
  rootDir: __dirname,
  // The benchmarks and scripts have no specs of their own; the fault suite's pure parts do.
  testMatch: ['<rootDir>/faults/**/*.spec.ts'],
};
