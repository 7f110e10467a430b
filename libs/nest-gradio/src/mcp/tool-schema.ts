import type { EndpointOutput, EndpointParameter } from '../discovery/endpoint.interface.js';
import type { JsonSchema } from '../schema/json-schema.interface.js';
import { mcpInputSchema } from './mcp-files.js';

/** A JSON Schema whose root is an object, as MCP requires for `inputSchema` and `outputSchema`. */
export interface McpObjectSchema extends JsonSchema {
  type: 'object';
  properties: Record<string, JsonSchema>;
}

/** How the outputs of a tool become its `structuredContent`, which MCP requires to be an object. */
export interface StructuredOutput {
  readonly schema: McpObjectSchema;
  /**
   * `'value'`: the single output is an object and is sent as is; `'result'`: it is sent as `{"result": value}`;
   * `'tuple'`: the outputs are sent as `{"result": [a, b, …]}`.
   */
  readonly wrap: 'value' | 'result' | 'tuple';
}

/** Keywords that describe a value without constraining it: a schema with only these says nothing about the type. */
const ANNOTATION_KEYWORDS = new Set(['title', 'description', 'default', 'examples', '$comment']);

/**
 * The `inputSchema` of a tool (docs/mcp.md#tools): one property per API parameter with its schema, its `@Arg`
 * description and its default; `required` lists the parameters without a default and is left out when empty.
 * Unlike Gradio, a falsy default (0, false, "") is published too. Files are strings (URLs, data URLs, upload
 * paths). `$defs` of parameters move to the root so that their `#/$defs/…` references still resolve.
 */
export function inputSchemaOf(parameters: readonly EndpointParameter[]): McpObjectSchema {
  const properties: Record<string, JsonSchema> = {};
  const definitions: Record<string, JsonSchema> = {};
  for (const parameter of parameters) {
    const { $defs, ...schema } = mcpInputSchema(parameter.schema);
    Object.assign(definitions, $defs);
    const property: JsonSchema = { ...schema };
    if (parameter.description !== undefined) property.description = parameter.description;
    if (parameter.hasDefault && parameter.defaultValue !== null && parameter.defaultValue !== undefined) {
      property.default = parameter.defaultValue;
    }
    properties[parameter.name] = property;
  }
  const required = parameters.filter((parameter) => !parameter.hasDefault).map((parameter) => parameter.name);
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    ...(Object.keys(definitions).length > 0 ? { $defs: definitions } : {}),
  };
}

/**
 * The `outputSchema` of a tool and how its `structuredContent` is built, or undefined when the outputs' types are
 * unknown (`Any`, or a return type TypeScript could not record). Like the Python MCP SDK that Gradio runs on, an
 * object output is sent as is and anything else as `{"result": value}`; several outputs as `{"result": [a, b]}`.
 */
export function structuredOutputOf(outputs: readonly EndpointOutput[]): StructuredOutput | undefined {
  if (outputs.length === 0 || outputs.every((output) => !isKnown(output.schema))) return undefined;
  if (outputs.length === 1) {
    const schema = (outputs[0] as EndpointOutput).schema;
    if (schema.type === 'object') return { schema: { properties: {}, ...schema, type: 'object' }, wrap: 'value' };
    return { schema: wrapped(schema), wrap: 'result' };
  }
  const definitions: Record<string, JsonSchema> = {};
  const items = outputs.map(({ schema: { $defs, ...schema } }) => {
    Object.assign(definitions, $defs);
    return schema;
  });
  const tuple: JsonSchema = { type: 'array', prefixItems: items, minItems: items.length, maxItems: items.length };
  return {
    schema: wrapped(Object.keys(definitions).length > 0 ? { ...tuple, $defs: definitions } : tuple),
    wrap: 'tuple',
  };
}

/** The `structuredContent` of one call's outputs. */
export function structuredContentOf(output: StructuredOutput, data: readonly unknown[]): Record<string, unknown> {
  if (output.wrap === 'value') return data[0] as Record<string, unknown>;
  return { result: output.wrap === 'tuple' ? [...data] : data[0] };
}

function wrapped({ $defs, ...schema }: JsonSchema): McpObjectSchema {
  return {
    type: 'object',
    properties: { result: schema },
    required: ['result'],
    ...($defs ? { $defs } : {}),
  };
}

function isKnown(schema: JsonSchema): boolean {
  return Object.keys(schema).some((keyword) => !ANNOTATION_KEYWORDS.has(keyword));
}
