// Jest runs the TypeScript sources as ES modules through SWC (Nest 12 ships ESM only).
// Two projects: `unit` (pure logic, no database) and `e2e` (GraphQL over HTTP against a real
// database built by the real migrations; see test/setup/).
const swc = (tsx) => ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', tsx, decorators: true },
    transform: {
      legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false,
      ...(tsx ? { react: { runtime: 'automatic', importSource: 'preact' } } : {}),
    },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
}];
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': swc(false), '^.+\\.tsx$': swc(true) },
  setupFiles: ['<rootDir>/test/setup/reflect-metadata.ts'],
};
export default {
  // Generous: e2e files boot an app and build fixtures; a loaded 2-core machine can triple that.
  testTimeout: 180000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.mjs'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts', '<rootDir>/test/browser/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.mjs',
      globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
    },
  ],
};
