/** Jest in native-ESM mode: NestJS 12 ships ESM only, and Node 20 cannot require() it from CJS. */
export default {
  testEnvironment: 'node',
  // Tests start real servers, browsers and Python clients; 5 s (Jest's default) is too tight for an app's start on a
  // loaded CI machine. Only a guard against hangs: nothing asserts a duration.
  testTimeout: 20_000,
  // Run the files in a worker that is replaced once a file leaves it above 1 GB of heap, rather than all in Jest's own
  // process (Jest's choice with one worker to spare, as on a 2-core machine). Each file loads Nest and the library
  // afresh in a VM context, and their garbage piles up faster than it is collected: run in band, the heap reached
  // 1.4 GB within 30 files, and the heavy tests that came late in CI's longest pass ran several times slower than
  // alone (the 10 000-client one past its 120 s).
  workerIdleMemoryLimit: '1GB',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  transform: {
    // The compiler plugin records what the types and JSDoc of decorated methods say, as `nest build` does.
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: 'tsconfig.json',
        astTransformers: { before: [{ path: '<rootDir>/scripts/ts-jest-gradio-plugin.cjs' }] },
      },
    ],
  },
  moduleNameMapper: {
    '^nest-gradio$': '<rootDir>/libs/nest-gradio/src/index.ts',
    '^nest-gradio/testing$': '<rootDir>/libs/nest-gradio/src/testing/index.ts',
    '^nest-gradio/plugin$': '<rootDir>/libs/nest-gradio/src/plugin/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // @fastify/middie (under Nest's Fastify adapter) require()s path-to-regexp 9, which is ESM only: Node loads it, Jest's
    // CommonJS loader cannot. Version 8 (CommonJS, what Nest itself uses) has the same parse() and pathToRegexp().
    '^path-to-regexp$': '<rootDir>/node_modules/path-to-regexp/dist/index.js',
    // Likewise @fastify/static (the Swagger UI's files on Fastify) and content-disposition 3; version 2 has its create().
    '^content-disposition$': '<rootDir>/node_modules/content-disposition/dist/index.js',
  },
  // Unit specs beside the code; beside it too, specs that check code against Gradio's own Python (`*.oracle.e2e-spec.ts`);
  // e2e specs in test/.
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/libs/**/*.e2e-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
};
