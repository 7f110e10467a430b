import { runPython } from '../../../../test/support/python.js';
import type { JsonSchema } from './json-schema.interface.js';
import { renderPythonType } from './python-type.renderer.js';

/** Schemas of every row of docs/protocol.md#python-types, and the shapes our type specs and DTOs produce. */
const SCHEMAS: JsonSchema[] = [
  { type: 'string' },
  { type: 'integer' },
  { type: 'number' },
  { type: 'boolean' },
  { type: 'null' },
  {},
  { type: 'string', format: 'byte' },
  { type: 'array', items: {} },
  { type: 'array', items: { type: 'string' } },
  { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], minItems: 2, maxItems: 2 },
  { type: 'array', uniqueItems: true, items: { type: 'string' } },
  { type: 'object', additionalProperties: {} },
  { type: 'object', additionalProperties: { type: 'integer' } },
  { type: 'object', additionalProperties: true },
  { const: 'x' },
  { const: true },
  { enum: ['a', 'b'] },
  { enum: [1, 2] },
  { oneOf: [{ type: 'null' }, { type: 'string' }] },
  { anyOf: [{ type: 'integer' }, { type: 'string' }] },
  { anyOf: [{ type: 'integer' }, { type: 'string' }, { type: 'null' }] },
  { type: 'object', properties: { x: { type: 'integer' }, y: { type: 'number' } }, required: ['x', 'y'] },
  { type: 'object', properties: { x: { type: 'integer', description: 'the x' } } },
  { type: 'object', properties: { x: { type: 'integer' } }, additionalProperties: { type: 'string' } },
  { type: 'object', properties: {}, required: [] },
  { type: 'object' },
  { allOf: [{ type: 'integer' }, { type: 'string' }] },
  { $defs: { A: { type: 'integer' } }, $ref: '#/$defs/A' },
  { type: 'array', items: { type: 'array', items: { oneOf: [{ type: 'null' }, { enum: ['a', 'b'] }] } } },
  {
    type: 'object',
    properties: {
      path: { type: 'string' },
      meta: { type: 'object', properties: { _type: { const: 'gradio.FileData' } } },
    },
  },
];

describe('renderPythonType (python_type.type in /gradio_api/info)', () => {
  it('renders every schema exactly as the real gradio_client renders it', () => {
    const expected = runPython<string[]>(
      'import json, sys\nfrom gradio_client.utils import json_schema_to_python_type as render\n' +
        'print(json.dumps([render(schema) for schema in json.load(sys.stdin)]))',
      SCHEMAS,
    );
    expect(SCHEMAS.map((schema) => renderPythonType(schema))).toEqual(expected);
  });

  // Where Gradio's renderer crashes (and /gradio_api/info answers 500), we give what the schema means.
  it("renders a bare array as list[Any] (Gradio crashes on Python's bare tuple/set)", () => {
    expect(renderPythonType({ type: 'array' })).toBe('list[Any]');
  });

  it('renders a list of types as a union (Gradio cannot parse it)', () => {
    expect(renderPythonType({ type: ['string', 'null'] })).toBe('str | None');
  });
});
