import ts from 'typescript';
import { propertyNameText, type DeclarationResolver, type FoundDeclaration } from './declaration.resolver.js';
import { readJsDoc } from './jsdoc-comment.parser.js';
import { enumMemberValues, enumSchema, literalTypeValue, mergeUnion, type UnionMember } from './literal-schema.js';
import { ClassReference, type RecordedSchema, type RecordedValue } from './recorded-schema.js';

/** Wrappers whose first type argument is what the value really is (`Promise<T>` resolves to a `T`). */
const UNWRAPPED = new Set(['Promise', 'PromiseLike', 'Awaited', 'Readonly']);
const ARRAYS = new Set(['Array', 'ReadonlyArray', 'Set', 'ReadonlySet']);
/** Types whose items are streamed to the client one message at a time. */
export const STREAMS = new Set([
  'Generator',
  'AsyncGenerator',
  'Iterator',
  'AsyncIterator',
  'IterableIterator',
  'AsyncIterable',
  'AsyncIterableIterator',
  'Observable',
]);
/** nest-gradio's own types, recognised by name (they are aliases or markers the compiler does not keep). */
const LIBRARY_TYPES: Record<string, RecordedSchema> = {
  Int: { type: 'integer' },
  Any: {},
};

/**
 * Turns a type as written in TypeScript into the JSON-Schema-like description the run time reads: primitives,
 * `Int`, arrays, tuples, unions (literal unions become an `enum`, `| null` a nullable type), `Record<string, T>`,
 * enums, interfaces and type literals (objects with `required`), class DTOs (by reference) and `FileData`.
 * What it cannot describe becomes `{}` (any value), as an un-annotated Python parameter does in Gradio.
 */
export class TypeSchemaBuilder {
  private readonly building = new Set<ts.Node>();

  constructor(
    private readonly resolver: DeclarationResolver,
    /** The file the metadata is emitted into: class references are written relative to it. */
    private readonly target: ts.SourceFile,
  ) {}

  build(node: ts.TypeNode | undefined, file: ts.SourceFile): RecordedSchema {
    if (!node) return {};
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'number' };
      case ts.SyntaxKind.BigIntKeyword:
        return { type: 'integer' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.NullKeyword:
        return { type: 'null' };
      case ts.SyntaxKind.VoidKeyword:
      case ts.SyntaxKind.UndefinedKeyword:
        return { type: 'null' };
    }
    if (ts.isParenthesizedTypeNode(node)) return this.build(node.type, file);
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword)
      return this.build(node.type, file);
    if (ts.isLiteralTypeNode(node)) {
      const value = literalTypeValue(node);
      return value === undefined ? {} : value === null ? { type: 'null' } : { const: value };
    }
    if (ts.isArrayTypeNode(node)) return { type: 'array', items: this.build(node.elementType, file) };
    if (ts.isTupleTypeNode(node)) return this.tuple(node, file);
    if (ts.isUnionTypeNode(node)) return this.union(node.types, file).schema;
    if (ts.isTypeLiteralNode(node)) return this.object(node.members, file);
    if (ts.isTypeReferenceNode(node)) return this.reference(node, file);
    return {};
  }

  /** The outputs a return type stands for: one per item of a fixed tuple (as Python's `-> tuple[A, B]`), else one. */
  outputs(node: ts.TypeNode, file: ts.SourceFile): RecordedSchema[] {
    let tuple: ts.TypeNode = node;
    let tupleFile = file;
    while (ts.isParenthesizedTypeNode(tuple)) tuple = tuple.type;
    if (ts.isTypeReferenceNode(tuple) && !tuple.typeArguments) {
      const found = this.resolver.resolve(tuple.typeName, file);
      if (found && ts.isTypeAliasDeclaration(found.node) && ts.isTupleTypeNode(found.node.type)) {
        tuple = found.node.type;
        tupleFile = found.file;
      }
    }
    if (!ts.isTupleTypeNode(tuple) || tuple.elements.some((element) => ts.isRestTypeNode(element)))
      return [this.build(node, file)];
    return tuple.elements.map((element) =>
      this.build(ts.isNamedTupleMember(element) ? element.type : element, tupleFile),
    );
  }

  /** A union, and whether `undefined` was one of its members (which makes a parameter optional). */
  union(types: readonly ts.TypeNode[], file: ts.SourceFile): { schema: RecordedSchema; undefinedMember: boolean } {
    const members: UnionMember[] = [];
    let undefinedMember = false;
    for (const type of types) {
      if (type.kind === ts.SyntaxKind.UndefinedKeyword || type.kind === ts.SyntaxKind.VoidKeyword) {
        undefinedMember = true;
        continue;
      }
      members.push(...this.unionMembers(type, file));
    }
    return { schema: mergeUnion(members), undefinedMember };
  }

  private unionMembers(type: ts.TypeNode, file: ts.SourceFile): UnionMember[] {
    if (ts.isParenthesizedTypeNode(type)) return this.unionMembers(type.type, file);
    if (ts.isUnionTypeNode(type)) return type.types.flatMap((member) => this.unionMembers(member, file));
    if (ts.isLiteralTypeNode(type)) {
      const value = literalTypeValue(type);
      if (value === null) return [{ schema: { type: 'null' } }];
      if (value !== undefined) return [{ literal: value }];
    }
    const schema = this.build(type, file);
    if (Array.isArray(schema['enum']) && Object.keys(schema).every((key) => key === 'enum' || key === 'type')) {
      return (schema['enum'] as RecordedValue[]).map((literal) => ({ literal }));
    }
    if ('const' in schema && Object.keys(schema).length === 1) return [{ literal: schema['const'] as RecordedValue }];
    if (Array.isArray(schema['anyOf']) && Object.keys(schema).length === 1) {
      return (schema['anyOf'] as RecordedSchema[]).map((member) => ({ schema: member }));
    }
    return [{ schema }];
  }

  private tuple(node: ts.TupleTypeNode, file: ts.SourceFile): RecordedSchema {
    const prefixItems: RecordedSchema[] = [];
    let rest: RecordedSchema | undefined;
    let required = 0;
    for (const element of node.elements) {
      const member = ts.isNamedTupleMember(element) ? element.type : element;
      const optional =
        ts.isOptionalTypeNode(member) || (ts.isNamedTupleMember(element) && element.questionToken !== undefined);
      if (ts.isRestTypeNode(member)) {
        const items = this.build(member.type, file);
        rest =
          items['type'] === 'array' && typeof items['items'] === 'object' ? (items['items'] as RecordedSchema) : {};
        continue;
      }
      prefixItems.push(this.build(ts.isOptionalTypeNode(member) ? member.type : member, file));
      if (!optional) required = prefixItems.length;
    }
    const schema: RecordedSchema = { type: 'array', prefixItems, minItems: required };
    if (rest) schema['items'] = rest;
    else schema['maxItems'] = prefixItems.length;
    return schema;
  }

  private object(members: readonly ts.TypeElement[] | readonly ts.ClassElement[], file: ts.SourceFile): RecordedSchema {
    const properties: Record<string, RecordedSchema> = {};
    const required: string[] = [];
    let additional: RecordedSchema | undefined;
    for (const member of members) {
      if (ts.isIndexSignatureDeclaration(member)) {
        additional = this.build(member.type, file);
        continue;
      }
      if (!ts.isPropertySignature(member) && !ts.isPropertyDeclaration(member)) continue;
      const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
      if (flags & (ts.ModifierFlags.Static | ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
      const name = propertyNameText(member.name);
      if (name === undefined) continue;
      let schema: RecordedSchema;
      let optional = member.questionToken !== undefined;
      if (member.type && ts.isUnionTypeNode(member.type)) {
        const union = this.union(member.type.types, file);
        schema = union.schema;
        optional ||= union.undefinedMember;
      } else {
        schema = this.build(member.type, file);
      }
      const description = readJsDoc(member, file).summary;
      properties[name] = description ? { ...schema, description } : schema;
      if (!optional) required.push(name);
    }
    const schema: RecordedSchema = { type: 'object', properties };
    if (required.length > 0) schema['required'] = required;
    if (additional) schema['additionalProperties'] = additional;
    return schema;
  }

  private reference(node: ts.TypeReferenceNode, file: ts.SourceFile): RecordedSchema {
    const name = node.typeName;
    const simple = ts.isIdentifier(name) ? name.text : name.right.text;
    const args = node.typeArguments ?? [];
    if (LIBRARY_TYPES[simple] && args.length === 0) return { ...LIBRARY_TYPES[simple] };
    if (UNWRAPPED.has(simple) || STREAMS.has(simple)) return this.build(args[0], file);
    if (ARRAYS.has(simple)) {
      const schema: RecordedSchema = { type: 'array', items: this.build(args[0], file) };
      if (simple.endsWith('Set')) schema['uniqueItems'] = true;
      return schema;
    }
    if (simple === 'Record' || simple === 'Map') return this.record(args, file);
    if (simple === 'Partial' && args[0]) {
      const { required: _required, ...schema } = this.build(args[0], file);
      return schema;
    }
    if (simple === 'Date') return { type: 'string', format: 'date-time' };
    const found = this.resolver.resolve(name, file);
    if (!found) {
      // A class from a package the per-file compiler cannot read, such as nest-gradio's own FileData.
      return simple === 'FileData' ? this.classReference({ node: fileDataStub(simple), file }, name, file) : {};
    }
    return this.declaration(found, name, file);
  }

  private record(args: readonly ts.TypeNode[], file: ts.SourceFile): RecordedSchema {
    const [key, value] = args;
    const keys = key ? this.build(key, file) : {};
    const valueSchema = this.build(value, file);
    const names = Array.isArray(keys['enum']) ? keys['enum'] : 'const' in keys ? [keys['const']] : undefined;
    if (names?.every((name) => typeof name === 'string')) {
      const properties = Object.fromEntries((names as string[]).map((name) => [name, valueSchema]));
      return { type: 'object', properties, required: [...(names as string[])] };
    }
    return { type: 'object', additionalProperties: valueSchema };
  }

  private declaration(found: FoundDeclaration, name: ts.EntityName, writtenIn: ts.SourceFile): RecordedSchema {
    const { node, file } = found;
    if (this.building.has(node)) return {}; // a recursive type: its inner occurrences stay open
    this.building.add(node);
    try {
      if (ts.isTypeAliasDeclaration(node)) return this.build(node.type, file);
      if (ts.isEnumDeclaration(node)) return enumSchema(node);
      if (ts.isEnumMember(node)) {
        const value = enumMemberValues(node.parent).get(node);
        return value === undefined ? {} : { const: value };
      }
      if (ts.isInterfaceDeclaration(node)) return this.interface(node, file);
      if (ts.isClassDeclaration(node)) {
        const isFileData = node.name?.text === 'FileData';
        if (isFileData || isValidatedClass(node)) return this.classReference(found, name, writtenIn);
        return this.object(node.members, file);
      }
      return {};
    } finally {
      this.building.delete(node);
    }
  }

  private interface(node: ts.InterfaceDeclaration, file: ts.SourceFile): RecordedSchema {
    const own = this.object(node.members, file);
    const properties = { ...(own['properties'] as Record<string, RecordedSchema>) };
    const required = new Set((own['required'] as string[] | undefined) ?? []);
    for (const clause of node.heritageClauses ?? []) {
      for (const base of clause.types) {
        if (!ts.isIdentifier(base.expression) && !ts.isPropertyAccessExpression(base.expression)) continue;
        const found = this.resolver.resolve(base.expression as ts.EntityName, file);
        if (!found || !ts.isInterfaceDeclaration(found.node)) continue;
        const inherited = this.interface(found.node, found.file);
        for (const [key, value] of Object.entries(inherited['properties'] as Record<string, RecordedSchema>)) {
          if (!(key in properties)) properties[key] = value;
        }
        for (const key of (inherited['required'] as string[] | undefined) ?? []) required.add(key);
      }
    }
    const schema: RecordedSchema = { ...own, properties };
    if (required.size > 0) schema['required'] = Object.keys(properties).filter((key) => required.has(key));
    return schema;
  }

  private classReference(found: FoundDeclaration, name: ts.EntityName, writtenIn: ts.SourceFile): RecordedSchema {
    const location = this.resolver.locateClass(found, name, writtenIn, this.target);
    return location ? { $class: new ClassReference(location) } : {};
  }
}

/** Whether a class carries decorators on its properties (class-validator, class-transformer): a DTO. */
function isValidatedClass(node: ts.ClassDeclaration): boolean {
  return node.members.some((member) => ts.isPropertyDeclaration(member) && (ts.getDecorators(member)?.length ?? 0) > 0);
}

/** Stands in for FileData's declaration when only its import is known. */
function fileDataStub(name: string): ts.ClassDeclaration {
  return ts.factory.createClassDeclaration(
    [ts.factory.createToken(ts.SyntaxKind.ExportKeyword)],
    name,
    undefined,
    undefined,
    [],
  );
}
