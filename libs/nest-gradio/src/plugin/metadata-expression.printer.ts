import ts from 'typescript';
import type { ClassLocation } from './declaration.resolver.js';
import { ClassReference, type RecordedMethod, type RecordedValue } from './recorded-schema.js';

/** Writes the expression that reaches a class at run time. */
export type ClassLocator = (location: ClassLocation) => ts.Expression;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `{ methodName: { parameters: [...], outputs: [...] }, ... }` as an expression; classes as `() => Class`. */
export function methodsExpression(methods: ReadonlyMap<string, RecordedMethod>, locate: ClassLocator): ts.Expression {
  const factory = ts.factory;
  return factory.createObjectLiteralExpression(
    [...methods].map(([name, method]) =>
      factory.createPropertyAssignment(propertyName(name), valueExpression(method as unknown as RecordedValue, locate)),
    ),
    true,
  );
}

export function valueExpression(value: RecordedValue | undefined, locate: ClassLocator): ts.Expression {
  const factory = ts.factory;
  if (value === undefined) return factory.createIdentifier('undefined');
  if (value === null) return factory.createNull();
  if (value instanceof ClassReference) {
    return factory.createArrowFunction(undefined, undefined, [], undefined, undefined, locate(value.location));
  }
  if (typeof value === 'string') return factory.createStringLiteral(value);
  if (typeof value === 'boolean') return value ? factory.createTrue() : factory.createFalse();
  if (typeof value === 'number') {
    const literal = factory.createNumericLiteral(Math.abs(value));
    return value < 0 || Object.is(value, -0)
      ? factory.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, literal)
      : literal;
  }
  if (Array.isArray(value))
    return factory.createArrayLiteralExpression(value.map((item) => valueExpression(item, locate)));
  return factory.createObjectLiteralExpression(
    Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => factory.createPropertyAssignment(propertyName(key), valueExpression(item, locate))),
  );
}

function propertyName(key: string): ts.PropertyName {
  return IDENTIFIER.test(key) ? ts.factory.createIdentifier(key) : ts.factory.createStringLiteral(key);
}
