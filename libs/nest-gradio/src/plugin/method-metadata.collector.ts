import ts from 'typescript';
import { importOf, propertyNameText } from './declaration.resolver.js';
import { readJsDoc } from './jsdoc-comment.parser.js';
import type { RecordedMethod, RecordedParameter, RecordedSchema, RecordedValue } from './recorded-schema.js';
import { STREAMS, type TypeSchemaBuilder } from './type-schema.builder.js';
import { literalJsonType } from '../kernel/literal-type.js';

/** The decorators whose methods the plugin describes, by their exported names. */
export const ENDPOINT_DECORATORS = new Set(['GradioApi', 'McpTool', 'McpResource', 'McpPrompt']);
const CONTEXT_DECORATOR = 'Ctx';
const PACKAGE = 'nest-gradio';

/**
 * Collects what the types and JSDoc of a class's decorated methods say: parameter names, types, optionality,
 * literal defaults and descriptions; the output types (unwrapped from `Promise`, generators and Observables, a tuple
 * giving several outputs); the summary and `@deprecated`.
 */
export function collectClassMetadata(
  node: ts.ClassDeclaration,
  file: ts.SourceFile,
  builder: TypeSchemaBuilder,
): Map<string, RecordedMethod> {
  const methods = new Map<string, RecordedMethod>();
  for (const member of node.members) {
    if (!ts.isMethodDeclaration(member) || !member.body) continue;
    const name = propertyNameText(member.name);
    if (name === undefined || !hasDecorator(member, file, ENDPOINT_DECORATORS)) continue;
    methods.set(name, collectMethod(member, file, builder));
  }
  return methods;
}

function collectMethod(method: ts.MethodDeclaration, file: ts.SourceFile, builder: TypeSchemaBuilder): RecordedMethod {
  const doc = readJsDoc(method, file);
  const parameters = method.parameters.map((parameter) => collectParameter(parameter, file, builder, doc.params));
  const recorded: RecordedMethod = { parameters };
  const { item, stream } = unwrapReturnType(method.type);
  if (stream || method.asteriskToken) recorded.stream = true;
  if (item && item.kind !== ts.SyntaxKind.VoidKeyword && item.kind !== ts.SyntaxKind.UndefinedKeyword) {
    recorded.outputs = builder.outputs(item, file);
    if (doc.returns && recorded.outputs.length === 1) {
      recorded.outputs[0] = { ...(recorded.outputs[0] as RecordedSchema), description: doc.returns };
    }
  }
  if (doc.summary) recorded.description = doc.summary;
  if (doc.deprecated) recorded.deprecated = doc.deprecated;
  return recorded;
}

function collectParameter(
  parameter: ts.ParameterDeclaration,
  file: ts.SourceFile,
  builder: TypeSchemaBuilder,
  descriptions: Record<string, string>,
): RecordedParameter {
  const name = ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
  const recorded: RecordedParameter = name === undefined ? {} : { name };
  if (hasDecorator(parameter, file, new Set([CONTEXT_DECORATOR]))) return recorded;
  let optional = parameter.questionToken !== undefined || parameter.initializer !== undefined;
  if (parameter.type && ts.isUnionTypeNode(parameter.type)) {
    const union = builder.union(parameter.type.types, file);
    recorded.type = union.schema;
    optional ||= union.undefinedMember;
  } else if (parameter.type) {
    recorded.type = builder.build(parameter.type, file);
  }
  const literal = parameter.initializer && literalValue(parameter.initializer);
  if (literal) {
    recorded.default = literal.value;
    recorded.type ??= schemaOfValue(literal.value);
  }
  if (optional) recorded.optional = true;
  const description = name === undefined ? undefined : descriptions[name];
  if (description) recorded.description = description;
  return recorded;
}

/** Peels `Promise<…>` and stream types off a return type: what remains is what one output message carries. */
export function unwrapReturnType(type: ts.TypeNode | undefined): { item: ts.TypeNode | undefined; stream: boolean } {
  let stream = false;
  let current = type;
  for (;;) {
    if (current && ts.isParenthesizedTypeNode(current)) {
      current = current.type;
      continue;
    }
    if (!current || !ts.isTypeReferenceNode(current)) return { item: current, stream };
    const name = ts.isIdentifier(current.typeName) ? current.typeName.text : current.typeName.right.text;
    if (name === 'Promise' || name === 'PromiseLike') {
      current = current.typeArguments?.[0];
    } else if (STREAMS.has(name)) {
      stream = true;
      current = current.typeArguments?.[0];
    } else {
      return { item: current, stream };
    }
  }
}

/** Whether a node carries one of the decorators, imported from nest-gradio (or, inside the library, a relative path). */
function hasDecorator(node: ts.HasDecorators, file: ts.SourceFile, names: ReadonlySet<string>): boolean {
  for (const decorator of ts.getDecorators(node) ?? []) {
    const callee = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
    if (ts.isIdentifier(callee)) {
      const imported = importOf(file, callee.text);
      if (imported && names.has(imported.exportName) && isLibrary(imported.specifier)) return true;
    } else if (
      ts.isPropertyAccessExpression(callee) &&
      names.has(callee.name.text) &&
      ts.isIdentifier(callee.expression)
    ) {
      const namespace = callee.expression.text;
      const fromLibrary = file.statements.some(
        (statement) =>
          ts.isImportDeclaration(statement) &&
          ts.isStringLiteral(statement.moduleSpecifier) &&
          isLibrary(statement.moduleSpecifier.text) &&
          statement.importClause?.namedBindings !== undefined &&
          ts.isNamespaceImport(statement.importClause.namedBindings) &&
          statement.importClause.namedBindings.name.text === namespace,
      );
      if (fromLibrary) return true;
    }
  }
  return false;
}

function isLibrary(specifier: string): boolean {
  return specifier === PACKAGE || specifier.startsWith(`${PACKAGE}/`) || specifier.startsWith('.');
}

/** A default written as a JSON literal (`1`, `-2`, `'a'`, `true`, `null`, `[1, 2]`, `{ a: 1 }`), or undefined. */
export function literalValue(node: ts.Expression): { value: RecordedValue } | undefined {
  if (ts.isParenthesizedExpression(node)) return literalValue(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { value: node.text };
  if (ts.isNumericLiteral(node)) return { value: Number(node.text) };
  if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) {
    const value = Number(node.operand.text);
    if (node.operator === ts.SyntaxKind.MinusToken) return { value: -value };
    if (node.operator === ts.SyntaxKind.PlusToken) return { value };
    return undefined;
  }
  if (node.kind === ts.SyntaxKind.TrueKeyword) return { value: true };
  if (node.kind === ts.SyntaxKind.FalseKeyword) return { value: false };
  if (node.kind === ts.SyntaxKind.NullKeyword) return { value: null };
  if (ts.isArrayLiteralExpression(node)) {
    const items: RecordedValue[] = [];
    for (const element of node.elements) {
      const item = literalValue(element);
      if (!item) return undefined;
      items.push(item.value);
    }
    return { value: items };
  }
  if (ts.isObjectLiteralExpression(node)) {
    const object: Record<string, RecordedValue> = {};
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property)) return undefined;
      const key = propertyNameText(property.name);
      const item = literalValue(property.initializer);
      if (key === undefined || !item) return undefined;
      object[key] = item.value;
    }
    return { value: object };
  }
  return undefined;
}

/** The type of an un-annotated parameter with a literal default (`seconds = 1`). */
function schemaOfValue(value: RecordedValue): RecordedSchema | undefined {
  const type = literalJsonType(value);
  return type && { type };
}
