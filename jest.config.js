/** Jest in native-ESM mode: NestJS 12 ships ESM only, and Node 20 cannot require() it from CJS. */
export default {
  testEnvironment: 'node',
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
  },
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
};
