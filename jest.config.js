/**
 * elbx is ESM (chalk, listr2 and @inquirer/prompts are ESM-only), so jest runs with
 * --experimental-vm-modules and ts-jest in ESM mode. Type checking is `npm run typecheck`'s job;
 * ts-jest only transpiles, which keeps the suite fast on two cores.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {'^(\\.{1,2}/.*)\\.js$': '$1'},
  transform: {
    '^.+\\.ts$': ['ts-jest', {useESM: true, diagnostics: false}],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/helpers/global-setup.js',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/test/helpers/setup-each-file.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
}
