import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import type { JsonSchema } from './json-schema.interface.js';
import type { ResolveSpec } from './type-spec.js';

type Constructor = abstract new (...args: never[]) => unknown;

interface ValidatorMetadata {
  type: string;
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

/** class-validator names of the checks that translate into JSON Schema keywords. */
const KEYWORDS: Record<string, (constraints: unknown[]) => JsonSchema> = {
  isString: () => ({ type: 'string' }),
  isInt: () => ({ type: 'integer' }),
  isNumber: () => ({ type: 'number' }),
  isBoolean: () => ({ type: 'boolean' }),
  isArray: () => ({ type: 'array' }),
  isObject: () => ({ type: 'object' }),
  isIn: ([values]) => ({ enum: [...(values as unknown[])] }),
  isEnum: ([, values]) => ({ enum: [...((values as unknown[]) ?? [])] }),
  equals: ([value]) => ({ const: value }),
  min: ([value]) => ({ minimum: value as number }),
  max: ([value]) => ({ maximum: value as number }),
  isPositive: () => ({ exclusiveMinimum: 0 }),
  isNegative: () => ({ exclusiveMaximum: 0 }),
  minLength: ([value]) => ({ minLength: value as number }),
  maxLength: ([value]) => ({ maxLength: value as number }),
  isLength: ([min, max]) => ({ minLength: min as number, ...(max === undefined ? {} : { maxLength: max as number }) }),
  isNotEmpty: () => ({ minLength: 1 }),
  arrayMinSize: ([value]) => ({ minItems: value as number }),
  arrayMaxSize: ([value]) => ({ maxItems: value as number }),
  arrayUnique: () => ({ uniqueItems: true }),
  matches: ([pattern]) => ({ type: 'string', pattern: pattern instanceof RegExp ? pattern.source : String(pattern) }),
  isEmail: () => ({ type: 'string', format: 'email' }),
  isUrl: () => ({ type: 'string', format: 'uri' }),
  isUUID: () => ({ type: 'string', format: 'uuid' }),
  isISO8601: () => ({ type: 'string', format: 'date-time' }),
  isDateString: () => ({ type: 'string', format: 'date-time' }),
};

const IS_OPTIONAL = 'isOptional';

/** Whether class-validator knows checks for this class, i.e. whether it is a DTO we can describe. */
export function isValidatedClass(target: Constructor): boolean {
  return readMetadata(target).length > 0;
}

/**
 * Derives an object schema from a class-validator DTO: one property per validated field, `required` unless
 * `@IsOptional()`, nested DTOs from `@ValidateNested()` and the property's `design:type`.
 */
export function dtoSchema(target: Constructor, resolve: ResolveSpec, seen = new Set<Constructor>()): JsonSchema {
  if (seen.has(target)) return { type: 'object' };
  seen.add(target);
  const byProperty = new Map<string, ValidatorMetadata[]>();
  for (const metadata of readMetadata(target)) {
    const list = byProperty.get(metadata.propertyName) ?? [];
    list.push(metadata);
    byProperty.set(metadata.propertyName, list);
  }
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, checks] of byProperty) {
    properties[name] = propertySchema(target, name, checks, resolve, seen);
    if (!checks.some((check) => check.name === IS_OPTIONAL)) required.push(name);
  }
  seen.delete(target);
  return { type: 'object', properties, required };
}

function propertySchema(
  target: Constructor,
  name: string,
  checks: ValidatorMetadata[],
  resolve: ResolveSpec,
  seen: Set<Constructor>,
): JsonSchema {
  const own: JsonSchema = {};
  const items: JsonSchema = {};
  let nested = false;
  for (const check of checks) {
    if (check.type === 'nestedValidation') nested = true;
    const keywords = check.name ? KEYWORDS[check.name]?.(check.constraints ?? []) : undefined;
    if (keywords) Object.assign(check.each ? items : own, keywords);
  }
  const designType: unknown = Reflect.getMetadata('design:type', (target as { prototype: object }).prototype, name);
  if (nested && typeof designType === 'function' && designType !== Array) {
    return dtoSchema(designType as Constructor, resolve, seen);
  }
  const isList = designType === Array || own.type === 'array' || Object.keys(items).length > 0;
  if (isList) return { ...own, type: 'array', items };
  if (own.type === undefined && own.enum === undefined && own.const === undefined && designType !== undefined) {
    return { ...resolve(designType as Constructor), ...own };
  }
  return own;
}

function readMetadata(target: Constructor): ValidatorMetadata[] {
  return getMetadataStorage().getTargetValidationMetadatas(
    target as unknown as new () => object,
    '',
    true,
    false,
  ) as unknown as ValidatorMetadata[];
}
