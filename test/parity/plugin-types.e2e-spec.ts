// Parity of the compiler plugin's types with Gradio's (issue 14): test/parity/type-probes.service.ts declares its
// endpoints by their TypeScript signatures only; its Python twin (type_probes_server.py) writes the equivalent type
// hints. Both are served, and /gradio_api/info must describe every parameter and output the same way: name,
// default, the JSON Schema and the Python type Gradio renders from it.
import { join } from 'node:path';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { startGradioMirror, type GradioMirror } from './gradio-mirror.js';
import { TypeProbes } from './type-probes.service.js';

type Endpoint = { parameters: Record<string, unknown>[]; returns: Record<string, unknown>[] };
type Info = { named_endpoints: Record<string, Endpoint> };

/** What must match for each parameter and output. */
function described(endpoint: Endpoint): unknown {
  return {
    parameters: endpoint.parameters.map((parameter) => ({
      name: parameter['parameter_name'],
      hasDefault: parameter['parameter_has_default'],
      default: parameter['parameter_default'],
      type: parameter['type'],
      python: (parameter['python_type'] as { type: string }).type,
    })),
    returns: endpoint.returns.map((output) => ({
      type: output['type'],
      python: (output['python_type'] as { type: string }).type,
    })),
  };
}

async function infoOf(url: string): Promise<Info> {
  const response = await fetch(`${url}/gradio_api/info`);
  expect(response.status).toBe(200);
  return (await response.json()) as Info;
}

describe('compiler plugin types vs. the Python twin', () => {
  let ours: RunningApp;
  let gradio: GradioMirror;
  let oursInfo: Info;
  let gradioInfo: Info;

  beforeAll(async () => {
    [ours, gradio] = await Promise.all([
      startGradioApp({}, [TypeProbes]),
      startGradioMirror(join(process.cwd(), 'test', 'parity', 'type_probes_server.py')),
    ]);
    [oursInfo, gradioInfo] = await Promise.all([infoOf(ours.url), infoOf(gradio.url)]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([ours?.close(), gradio?.close()]);
  });

  it('serves the same endpoints', () => {
    expect(Object.keys(oursInfo.named_endpoints)).toEqual(Object.keys(gradioInfo.named_endpoints));
  });

  it.each(['scalars', 'collections', 'choices', 'defaults', 'objects', 'files', 'outputs', 'stream'])(
    '/%s: every parameter and output is described as Gradio describes the Python hint',
    (name) => {
      const endpoint = `/${name}`;
      expect(described(oursInfo.named_endpoints[endpoint] as Endpoint)).toEqual(
        described(gradioInfo.named_endpoints[endpoint] as Endpoint),
      );
    },
  );
});
