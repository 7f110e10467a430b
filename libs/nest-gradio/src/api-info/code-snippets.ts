import type { Endpoint, EndpointParameter } from '../discovery/endpoint.interface.js';
import { API_PREFIX } from '../gradio.constants.js';
import { pythonJsonDumps } from '../protocol/python-json.js';

/** The four snippets of an endpoint in `/gradio_api/info` (`code_snippets`), in Gradio's templates. */
export function codeSnippets(endpoint: Endpoint, root: string): Record<'python' | 'javascript' | 'bash' | 'cli', string> {
  const name = endpoint.apiName;
  const examples = endpoint.parameters.map((parameter) => [parameter.name, exampleOf(parameter)] as const);
  const pythonArgs = examples.map(([key, value]) => `\t${key}=${pythonLiteral(value)},\n`).join('');
  const jsArgs = examples.map(([key, value]) => `\t\t${key}: ${JSON.stringify(value)},\n`).join('');
  const named = Object.fromEntries(examples);
  return {
    python:
      `from gradio_client import Client\n\nclient = Client(${JSON.stringify(root)})\n` +
      `result = client.predict(\n${pythonArgs}\tapi_name="/${name}",\n)\nprint(result)`,
    javascript:
      `import { Client } from "@gradio/client";\n\nconst client = await Client.connect(${JSON.stringify(root)});\n` +
      `const result = await client.predict("/${name}", {\n${jsArgs}});\n\nconsole.log(result.data);`,
    bash:
      `curl -X POST ${root}${API_PREFIX}/call/v2/${name} -s -H "Content-Type: application/json" \\\n` +
      `  -d '${pythonJsonDumps(named).replaceAll("'", "'\\''")}' \\\n` +
      `  | awk -F'"' '{ print $4}' \\\n` +
      `  | read EVENT_ID; curl -N ${root}${API_PREFIX}/call/${name}/$EVENT_ID`,
    cli: `{command} predict ${root} /${name} '${JSON.stringify(named, null, 2)}'\n`,
  };
}

/** A value that makes a working call: the default, or one derived from the parameter's schema. */
function exampleOf(parameter: EndpointParameter): unknown {
  if (parameter.hasDefault && parameter.defaultValue !== null) return parameter.defaultValue;
  return exampleForSchema(parameter.schema);
}

function exampleForSchema(schema: EndpointParameter['schema']): unknown {
  if ('const' in schema) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.oneOf?.length || schema.anyOf?.length) {
    const members = schema.oneOf ?? schema.anyOf ?? [];
    return exampleForSchema(members.find((member) => member.type !== 'null') ?? members[0] ?? {});
  }
  switch (Array.isArray(schema.type) ? schema.type[0] : schema.type) {
    case 'string':
      return 'Hello!!';
    case 'integer':
      return 3;
    case 'number':
      return 3;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return schema.prefixItems
        ? schema.prefixItems.map(exampleForSchema)
        : [exampleForSchema(typeof schema.items === 'object' ? schema.items : {})];
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, property]) => [key, exampleForSchema(property)]),
      );
    default:
      return 'Hello!!';
  }
}

function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${pythonLiteral(item)}`).join(', ')}}`;
  }
  return pythonJsonDumps(value);
}
