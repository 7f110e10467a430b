import { runPython } from '../../../../test/support/python.js';
import { renderPythonType } from '../schema/python-type.renderer.js';
import { resolveTypeSpec } from '../schema/type-spec.resolver.js';
import { FILE_DATA_SCHEMA, FileData, fileContentOf, isFileDataSchema, isFileObjectWithMeta } from './file-data.js';

/** Gradio's own schema of its FileData model and its client's file tests are the oracle. */
const ORACLE = `
import json, sys
from gradio import FileData
from gradio_client.utils import is_file_obj_with_meta, python_type_to_json_schema, value_is_file, json_schema_to_python_type
values = json.load(sys.stdin)
schema = python_type_to_json_schema(FileData)
print(json.dumps({
    "schema": schema,
    "python_type": json_schema_to_python_type(schema),
    "with_meta": [is_file_obj_with_meta(v) for v in values],
}))
`;

const SAMPLES: unknown[] = [
  { path: '/tmp/a.txt', meta: { _type: 'gradio.FileData' } },
  { path: '/tmp/a.txt' },
  { path: 3, meta: { _type: 'gradio.FileData' } },
  { path: '/tmp/a.txt', meta: { _type: 'other' } },
  { path: 'http://example.com/a.png', url: 'http://example.com/a.png', meta: { _type: 'gradio.FileData' } },
  'a string',
  ['a', 'list'],
];

describe('FileData', () => {
  const oracle = runPython<{ schema: unknown; python_type: string; with_meta: boolean[] }>(ORACLE, SAMPLES);

  it('publishes exactly the schema Gradio derives from its FileData model (key order included)', () => {
    expect(JSON.stringify(FILE_DATA_SCHEMA)).toBe(JSON.stringify(oracle.schema));
    expect(oracle.python_type).toBe('filepath');
    expect(renderPythonType(FILE_DATA_SCHEMA)).toBe('filepath');
  });

  it('resolves as a parameter or return type to that schema, so `design:paramtypes` naming it is enough', () => {
    expect(resolveTypeSpec(FileData)).toEqual(FILE_DATA_SCHEMA);
    expect(isFileDataSchema(resolveTypeSpec(FileData))).toBe(true);
    expect(isFileDataSchema({ type: 'object', properties: { path: { type: 'string' } } })).toBe(false);
  });

  it('tells files from ordinary JSON as the Python client does (is_file_obj_with_meta)', () => {
    expect(SAMPLES.map(isFileObjectWithMeta)).toEqual(oracle.with_meta);
  });

  it('serialises with Gradio’s fields, in Gradio’s order, and keeps bytes given to fromBytes out of the JSON', () => {
    const file = new FileData({ path: '/tmp/x', orig_name: 'x.txt' });
    expect(JSON.stringify(file)).toBe(
      '{"path":"/tmp/x","url":null,"size":null,"orig_name":"x.txt","mime_type":null,"is_stream":false,"meta":{"_type":"gradio.FileData"}}',
    );
    const bytes = FileData.fromBytes(Buffer.from('secret bytes'), 'b.bin');
    expect(JSON.stringify(bytes)).not.toContain('secret');
    expect(fileContentOf(bytes)).toEqual(Buffer.from('secret bytes'));
    expect(fileContentOf(file)).toBeUndefined();
  });
});
