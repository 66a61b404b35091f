/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/deployed has its own config (npm run test:deployed) and its own installed runtime.
  modulePathIgnorePatterns: ['<rootDir>/test/deployed/runtime'],
  // swc transpiles TypeScript and the ESM-only middy packages to CommonJS (type checking is `tsc --noEmit`).
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  testTimeout: 30000,
};
