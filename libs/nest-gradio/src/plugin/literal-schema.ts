import ts from 'typescript';
import type { RecordedSchema, RecordedValue } from './recorded-schema.js';

/** A union member as written, before literals are merged into one `enum`. */
export type UnionMember = { literal: RecordedValue } | { schema: RecordedSchema };

/** Merges a union's members: literals become one `enum` (`Literal[...]`), `true | false` a boolean. */
export function mergeUnion(members: UnionMember[]): RecordedSchema {
  const literals = members
    .filter((member): member is { literal: RecordedValue } => 'literal' in member)
    .map((member) => member.literal);
  const merged: RecordedSchema[] = [];
  let literalsPlaced = false;
  for (const member of members) {
    if ('schema' in member) {
      if (!merged.some((schema) => JSON.stringify(schema) === JSON.stringify(member.schema)))
        merged.push(member.schema);
    } else if (!literalsPlaced) {
      literalsPlaced = true;
      const unique = [...new Set(literals)];
      if (unique.length === 2 && unique.includes(true) && unique.includes(false)) merged.push({ type: 'boolean' });
      else merged.push(unique.length === 1 ? { const: unique[0] as RecordedValue } : { enum: unique });
    }
  }
  if (merged.length === 0) return {};
  if (merged.length === 1) return merged[0] as RecordedSchema;
  // `T | null` is Python's `Optional[T]`, which Gradio publishes as `oneOf: [null, T]` (shown `None | T`).
  const others = merged.filter((schema) => !(schema['type'] === 'null' && Object.keys(schema).length === 1));
  if (others.length === 1) return { oneOf: [{ type: 'null' }, others[0] as RecordedSchema] };
  return { anyOf: merged };
}

export function literalTypeValue(node: ts.LiteralTypeNode): RecordedValue | undefined {
  const literal = node.literal;
  if (ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal)) return literal.text;
  if (ts.isNumericLiteral(literal)) return Number(literal.text);
  if (ts.isPrefixUnaryExpression(literal) && ts.isNumericLiteral(literal.operand)) {
    return literal.operator === ts.SyntaxKind.MinusToken ? -Number(literal.operand.text) : Number(literal.operand.text);
  }
  if (literal.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (literal.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (literal.kind === ts.SyntaxKind.NullKeyword) return null;
  return undefined;
}

export function enumSchema(node: ts.EnumDeclaration): RecordedSchema {
  const values = [...enumMemberValues(node).values()];
  if (values.length === 0) return {};
  return values.length === 1 ? { const: values[0] as RecordedValue } : { enum: values };
}

/** The values of an enum's members: string and numeric initializers, and numbering from the last number. */
export function enumMemberValues(node: ts.EnumDeclaration): Map<ts.EnumMember, string | number> {
  const values = new Map<ts.EnumMember, string | number>();
  let next: number | undefined = 0;
  for (const member of node.members) {
    const initializer = member.initializer;
    let value: string | number | undefined;
    if (!initializer) value = next;
    else if (ts.isStringLiteral(initializer) || ts.isNoSubstitutionTemplateLiteral(initializer))
      value = initializer.text;
    else if (ts.isNumericLiteral(initializer)) value = Number(initializer.text);
    else if (
      ts.isPrefixUnaryExpression(initializer) &&
      ts.isNumericLiteral(initializer.operand) &&
      initializer.operator === ts.SyntaxKind.MinusToken
    ) {
      value = -Number(initializer.operand.text);
    }
    next = typeof value === 'number' ? value + 1 : undefined;
    if (value !== undefined) values.set(member, value);
  }
  return values;
}
