import type { EndpointParameter } from '../discovery/endpoint.interface.js';
import { isJsonObject } from '../http/json-body.js';

/** Named MCP arguments mapped to the queue's positional `data`, or the problem that prevents it. */
export type PositionalArguments = { data: unknown[]; problem?: undefined } | { problem: string; data?: undefined };

/**
 * Maps the `arguments` object of a call to one value per parameter, in order (docs/mcp.md#tool-calls `construct_args`):
 * unknown names and missing required arguments are refused here, before the call joins the queue; the values
 * themselves are validated by the queue's argument binder, which also fills defaults (a left-out argument is
 * `undefined`).
 */
export function positionalArguments(parameters: readonly EndpointParameter[], args: unknown): PositionalArguments {
  const named = args ?? {};
  if (!isJsonObject(named)) return { problem: 'the arguments must be an object of named values.' };
  const known = new Set(parameters.map((parameter) => parameter.name));
  const unknown = Object.keys(named).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    const valid = known.size > 0 ? `valid arguments are ${quoted([...known])}` : 'it takes none';
    return { problem: `unknown argument${plural(unknown)} ${quoted(unknown)}; ${valid}.` };
  }
  const missing = parameters.filter((parameter) => !parameter.hasDefault && !Object.hasOwn(named, parameter.name));
  if (missing.length > 0) {
    const names = missing.map((parameter) => parameter.name);
    return { problem: `missing required argument${plural(names)} ${quoted(names)}.` };
  }
  return {
    data: parameters.map((parameter) => (Object.hasOwn(named, parameter.name) ? named[parameter.name] : undefined)),
  };
}

/**
 * Prompt arguments and URI template variables arrive as strings; a parameter typed as a number, an integer, a
 * boolean, a list or an object gets the value the string spells (`"3"` → 3), so that the queue's validation sees
 * what the author declared. Strings that spell nothing of the kind stay strings and fail validation with a message.
 */
export function fromStringArgument(parameter: EndpointParameter, value: string): unknown {
  const declared = parameter.schema.type;
  const types = declared === undefined ? [] : Array.isArray(declared) ? declared : [declared];
  if (types.length === 0 || types.includes('string')) return value;
  if ((types.includes('integer') || types.includes('number')) && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(value)) {
    return Number(value);
  }
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (types.includes('null') && value === 'null') return null;
  if (types.includes('array') || types.includes('object')) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function plural(names: readonly string[]): string {
  return names.length === 1 ? '' : 's';
}

function quoted(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}
