// Two projects: unit (fast, beside the code) and e2e (real components, started by e2e/src/harness).
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] };
const moduleNameMapper = {
  '^@turnpike/(xds-server|operator|e2e)$': '<rootDir>/$1/src/index.ts',
  '^@turnpike/sdk$': '<rootDir>/sdk/js/src/index.ts',
};
module.exports = {
  // Global on purpose: Jest ignores testTimeout inside a project. E2E specs start real components.
  testTimeout: 120000,
  // A failed e2e spec can leave its load loop or a socket behind; that must fail the run, not hang
  // CI until its deadline. Component processes are reaped by e2e/jest-environment.js regardless.
  forceExit: true,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/{xds-server,operator,sdk/js}/src/**/*.test.ts'],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/e2e/specs/**/*.spec.ts'],
      transform,
      moduleNameMapper,
      testEnvironment: '<rootDir>/e2e/jest-environment.js',
    },
  ],
};
