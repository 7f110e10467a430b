/** Jest in native-ESM mode: NestJS 12 ships ESM only, and Node 20 cannot require() it from CJS. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    '^nest-gradio$': '<rootDir>/libs/nest-gradio/src/index.ts',
    '^nest-gradio/testing$': '<rootDir>/libs/nest-gradio/src/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
};
