import type ts from 'typescript';
import { createGradioTransformer, type GradioPluginOptions } from './gradio-plugin.transformer.js';

export type { GradioPluginOptions } from './gradio-plugin.transformer.js';
export { PluginMetadataGenerator, type PluginMetadataGeneratorOptions } from './plugin-metadata.generator.js';

/**
 * The compiler plugin's `before` transformer, with the signature Nest CLI plugins have
 * (`"plugins": ["nest-gradio/plugin"]` in `nest-cli.json`); also usable with TypeScript's `program.emit()`.
 */
export function before(options: GradioPluginOptions = {}, program?: ts.Program): ts.TransformerFactory<ts.SourceFile> {
  void options;
  return createGradioTransformer(program);
}

/** ts-jest's `astTransformers` entry points: its compiler hands over its program when it has one. */
export const name = 'nest-gradio-plugin';
export const version = '1';
export function factory(
  compiler: { program?: ts.Program },
  options: GradioPluginOptions = {},
): ts.TransformerFactory<ts.SourceFile> {
  return before(options, compiler.program);
}
