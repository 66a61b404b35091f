/**
 * `npm run test:deployed`: the synthesized bundles in cdk.out under the Lambda runtime interface client (see
 * docs/deployed-tests.md). Not part of `npm test`: it needs `npm run synth` first.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/deployed'],
  testMatch: ['**/*.deployed.ts'],
  modulePathIgnorePatterns: ['<rootDir>/test/deployed/runtime'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  // One suite brings the whole stack up once; its functions are separate processes.
  maxWorkers: 1,
  testTimeout: 120000,
};
