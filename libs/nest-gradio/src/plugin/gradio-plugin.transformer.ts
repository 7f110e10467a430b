import ts from 'typescript';
import { GRADIO_PLUGIN_METADATA_FACTORY } from '../kernel/gradio.constants.js';
import { DeclarationResolver, type ClassLocation } from './declaration.resolver.js';
import { ENDPOINT_DECORATORS, collectClassMetadata } from './method-metadata.collector.js';
import { methodsExpression } from './metadata-expression.printer.js';
import { TypeSchemaBuilder } from './type-schema.builder.js';

/** Options of the compiler plugin (none yet; accepted so that `nest-cli.json` may pass an object). */
export type GradioPluginOptions = Record<string, unknown>;

const REFERENCE_PREFIX = '__gradioTypes';

/**
 * The `before` transformer: adds to every class with `@GradioApi` / `@McpTool` / `@McpResource` / `@McpPrompt`
 * methods a static `_GRADIO_METADATA_FACTORY()` returning what their types and JSDoc say. Classes it references
 * (DTOs, `FileData`) are reached through namespace imports it adds, which the compiler never elides.
 * With a `program` it resolves types through the type checker; without one (per-file compilers such as ts-jest)
 * it reads the project's own files from disk.
 */
export function createGradioTransformer(program?: ts.Program): ts.TransformerFactory<ts.SourceFile> {
  const resolver = new DeclarationResolver(program);
  return (context) => (sourceFile) => transformSourceFile(sourceFile, context, resolver);
}

function transformSourceFile(
  sourceFile: ts.SourceFile,
  context: ts.TransformationContext,
  resolver: DeclarationResolver,
): ts.SourceFile {
  if (![...ENDPOINT_DECORATORS].some((name) => sourceFile.text.includes(name))) return sourceFile;
  const builder = new TypeSchemaBuilder(resolver, sourceFile);
  const imports = new Map<string, ts.Identifier>();
  const locate = (location: ClassLocation): ts.Expression => {
    if ('local' in location) return ts.factory.createIdentifier(location.local);
    let namespace = imports.get(location.specifier);
    if (!namespace) {
      namespace = ts.factory.createUniqueName(REFERENCE_PREFIX);
      imports.set(location.specifier, namespace);
    }
    return ts.factory.createPropertyAccessExpression(namespace, location.exportName);
  };

  const visit = (node: ts.Node): ts.Node => {
    const visited = ts.visitEachChild(node, visit, context);
    if (!ts.isClassDeclaration(node) || !ts.isClassDeclaration(visited)) return visited;
    const methods = collectClassMetadata(node, sourceFile, builder);
    if (methods.size === 0 || hasFactory(node)) return visited;
    const factoryMethod = ts.factory.createMethodDeclaration(
      [ts.factory.createModifier(ts.SyntaxKind.StaticKeyword)],
      undefined,
      GRADIO_PLUGIN_METADATA_FACTORY,
      undefined,
      undefined,
      [],
      undefined,
      ts.factory.createBlock([ts.factory.createReturnStatement(methodsExpression(methods, locate))], true),
    );
    return ts.factory.updateClassDeclaration(
      visited,
      visited.modifiers,
      visited.name,
      visited.typeParameters,
      visited.heritageClauses,
      [...visited.members, factoryMethod],
    );
  };
  const transformed = ts.visitEachChild(sourceFile, visit, context);
  if (imports.size === 0) return transformed;
  return ts.factory.updateSourceFile(
    transformed,
    insertAfterImports(transformed.statements, referenceImports(imports)),
  );
}

function hasFactory(node: ts.ClassDeclaration): boolean {
  return node.members.some(
    (member) =>
      member.name !== undefined && ts.isIdentifier(member.name) && member.name.text === GRADIO_PLUGIN_METADATA_FACTORY,
  );
}

function referenceImports(imports: ReadonlyMap<string, ts.Identifier>): ts.Statement[] {
  return [...imports].map(([specifier, namespace]) =>
    ts.factory.createImportDeclaration(
      undefined,
      ts.factory.createImportClause(undefined, undefined, ts.factory.createNamespaceImport(namespace)),
      ts.factory.createStringLiteral(specifier),
    ),
  );
}

/** After the file's own imports, so that modules it imports first (`reflect-metadata`) still load first. */
function insertAfterImports(statements: ts.NodeArray<ts.Statement>, added: ts.Statement[]): ts.Statement[] {
  let index = 0;
  while (index < statements.length && ts.isImportDeclaration(statements[index] as ts.Statement)) index++;
  return [...statements.slice(0, index), ...added, ...statements.slice(index)];
}
