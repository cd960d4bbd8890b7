// Tests run against real servers: the time-skipping test server per workflow test file, and one Temporal
// dev server for the suite (test/global-setup.ts) for API and end-to-end tests.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // jose ships ES modules only; Node 20 requires them natively, jest's module loader does not.
    '^.+/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
    // PGlite in-process (the embedded default) inside jest's sandbox: see the transform's comment.
    '/@electric-sql/pglite/dist/.+\\.cjs$': '<rootDir>/test/support/require-dynamic-imports.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/|@electric-sql/pglite/)'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
  // Longest files first (a clean clone has no cache of durations; see the sequencer).
  testSequencer: '<rootDir>/test/support/sequencer.js',
  // Two cores: two test files at a time.
  maxWorkers: 2,
};
