// Shared Jest settings: every project compiles TypeScript with SWC (fast, no type check;
// `npm run typecheck` and each project's build target run tsc).
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 30000,
  // Finds the real servers once per Jest process (it skips what an earlier project found).
  globalSetup: require.resolve('./libs/testing/global-setup.js'),
  globalTeardown: require.resolve('./libs/testing/global-teardown.js'),
};
