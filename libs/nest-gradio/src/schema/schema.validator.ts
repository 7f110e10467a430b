import type { JsonSchema } from './json-schema.interface.js';

/** Checks one value; returns a sentence describing the first problem found, or `undefined` when the value fits. */
export type ValueCheck = (value: unknown, path: string) => string | undefined;

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  null: 'null',
  array: 'a list',
  object: 'an object',
};

/**
 * Compiles a JSON Schema into a check function once, at bootstrap, so that validating an event's inputs on the hot
 * path is a few closure calls. Supports the keywords nest-gradio emits; unknown keywords (`format`, …) are accepted
 * as annotations, as JSON Schema specifies.
 */
export function compileSchemaCheck(schema: JsonSchema | boolean): ValueCheck {
  if (schema === true) return () => undefined;
  if (schema === false) return (_value, path) => `${path} is not allowed`;
  const checks: ValueCheck[] = [];

  if (schema.type !== undefined) checks.push(typeCheck(Array.isArray(schema.type) ? schema.type : [schema.type]));
  if ('const' in schema) {
    const expected = schema.const;
    checks.push((value, path) => (sameJson(value, expected) ? undefined : `${path} must be ${describe(expected)}`));
  }
  if (schema.enum) {
    const allowed = schema.enum;
    checks.push((value, path) =>
      allowed.some((option) => sameJson(value, option))
        ? undefined
        : `${path} must be one of ${allowed.map(describe).join(', ')}`,
    );
  }
  addNumberChecks(schema, checks);
  addStringChecks(schema, checks);
  addArrayChecks(schema, checks);
  addObjectChecks(schema, checks);
  addCombinatorChecks(schema, checks);

  if (checks.length === 1) return checks[0] as ValueCheck;
  return (value, path) => {
    for (const check of checks) {
      const problem = check(value, path);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

function typeCheck(types: string[]): ValueCheck {
  const matchers = types.map(typeMatcher);
  const expected = types.map((type) => TYPE_NAMES[type] ?? type).join(' or ');
  return (value, path) =>
    matchers.some((matches) => matches(value)) ? undefined : `${path} must be ${expected}, got ${describe(value)}`;
}

function typeMatcher(type: string): (value: unknown) => boolean {
  switch (type) {
    case 'string':
      return (value) => typeof value === 'string';
    case 'integer':
      return (value) => Number.isInteger(value);
    case 'number':
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'null':
      return (value) => value === null;
    case 'array':
      return Array.isArray;
    case 'object':
      return isPlainObject;
    default:
      return () => true;
  }
}

function addNumberChecks(schema: JsonSchema, checks: ValueCheck[]): void {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
  if (minimum !== undefined) checks.push(numberBound((n) => n >= minimum, `at least ${minimum}`));
  if (maximum !== undefined) checks.push(numberBound((n) => n <= maximum, `at most ${maximum}`));
  if (exclusiveMinimum !== undefined)
    checks.push(numberBound((n) => n > exclusiveMinimum, `greater than ${exclusiveMinimum}`));
  if (exclusiveMaximum !== undefined)
    checks.push(numberBound((n) => n < exclusiveMaximum, `less than ${exclusiveMaximum}`));
}

function numberBound(holds: (n: number) => boolean, rule: string): ValueCheck {
  return (value, path) =>
    typeof value !== 'number' || holds(value) ? undefined : `${path} must be ${rule}, got ${value}`;
}

function addStringChecks(schema: JsonSchema, checks: ValueCheck[]): void {
  const { minLength, maxLength, pattern } = schema;
  if (minLength !== undefined) {
    checks.push((value, path) =>
      typeof value !== 'string' || [...value].length >= minLength
        ? undefined
        : `${path} must have at least ${minLength} characters`,
    );
  }
  if (maxLength !== undefined) {
    checks.push((value, path) =>
      typeof value !== 'string' || [...value].length <= maxLength
        ? undefined
        : `${path} must have at most ${maxLength} characters`,
    );
  }
  if (pattern !== undefined) {
    const regex = new RegExp(pattern, 'u');
    checks.push((value, path) =>
      typeof value !== 'string' || regex.test(value) ? undefined : `${path} must match the pattern ${pattern}`,
    );
  }
}

function addArrayChecks(schema: JsonSchema, checks: ValueCheck[]): void {
  const { minItems, maxItems, uniqueItems, prefixItems, items } = schema;
  if (minItems !== undefined) {
    checks.push((value, path) =>
      !Array.isArray(value) || value.length >= minItems
        ? undefined
        : `${path} must have at least ${minItems} items, got ${value.length}`,
    );
  }
  if (maxItems !== undefined) {
    checks.push((value, path) =>
      !Array.isArray(value) || value.length <= maxItems
        ? undefined
        : `${path} must have at most ${maxItems} items, got ${value.length}`,
    );
  }
  if (uniqueItems) {
    checks.push((value, path) =>
      !Array.isArray(value) || new Set(value.map((item) => JSON.stringify(item))).size === value.length
        ? undefined
        : `${path} must not contain duplicate items`,
    );
  }
  const prefixChecks = (prefixItems ?? []).map(compileSchemaCheck);
  const itemCheck = items === undefined ? undefined : compileSchemaCheck(items);
  if (prefixChecks.length === 0 && itemCheck === undefined) return;
  checks.push((value, path) => {
    if (!Array.isArray(value)) return undefined;
    for (let index = 0; index < value.length; index++) {
      const check = index < prefixChecks.length ? prefixChecks[index] : itemCheck;
      const problem = check?.(value[index], `${path}[${index}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  });
}

function addObjectChecks(schema: JsonSchema, checks: ValueCheck[]): void {
  const required = schema.required ?? [];
  const propertyChecks = Object.entries(schema.properties ?? {}).map(
    ([name, property]) => [name, compileSchemaCheck(property)] as const,
  );
  const known = new Set(Object.keys(schema.properties ?? {}));
  const extraCheck =
    schema.additionalProperties === undefined ? undefined : compileSchemaCheck(schema.additionalProperties);
  if (required.length === 0 && propertyChecks.length === 0 && extraCheck === undefined) return;
  checks.push((value, path) => {
    if (!isPlainObject(value)) return undefined;
    for (const name of required) {
      if (!Object.hasOwn(value, name)) return `${path} is missing the required field "${name}"`;
    }
    for (const [name, check] of propertyChecks) {
      if (Object.hasOwn(value, name)) {
        const problem = check(value[name], `${path}.${name}`);
        if (problem !== undefined) return problem;
      }
    }
    if (extraCheck) {
      for (const [name, item] of Object.entries(value)) {
        if (known.has(name)) continue;
        const problem = extraCheck(item, `${path}.${name}`);
        if (problem !== undefined) return problem;
      }
    }
    return undefined;
  });
}

function addCombinatorChecks(schema: JsonSchema, checks: ValueCheck[]): void {
  for (const members of [schema.oneOf, schema.anyOf]) {
    if (!members) continue;
    const memberChecks = members.map(compileSchemaCheck);
    checks.push((value, path) => {
      const problems: string[] = [];
      for (const check of memberChecks) {
        const problem = check(value, path);
        if (problem === undefined) return undefined;
        problems.push(problem);
      }
      return problems.length === 1 ? problems[0] : `${path} matches none of the allowed types (${problems.join('; ')})`;
    });
  }
  for (const member of schema.allOf ?? []) checks.push(compileSchemaCheck(member));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** A short, human description of a received value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}
