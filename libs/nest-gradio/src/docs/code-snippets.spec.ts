import 'reflect-metadata';
import { Arg } from '../decorators/arg.decorator.js';
import { GradioApi } from '../decorators/gradio-api.decorator.js';
import { FileData } from '../files/file-data.js';
import { Int, listOf, nullable } from '../schema/type-spec.js';
import { endpointNamed, registryOf } from '../testing/endpoint-fixtures.js';
import { codeSnippets } from './code-snippets.js';

class Probe {
  @GradioApi({ name: 'hello' })
  hello(name: string): string {
    return name;
  }

  @GradioApi({ name: 'mixed' })
  mixed(
    a: Int,
    @Arg({ type: listOf(Boolean) }) flags: boolean[],
    @Arg({ type: nullable(String) }) maybe: string | null = null,
    quote: string = "it's",
  ): string {
    return [a, flags, maybe, quote].join();
  }

  @GradioApi({ name: 'upload' })
  upload(file: FileData): number {
    return file.path.length;
  }
}

const registry = registryOf(new Probe());
const ROOT = 'http://127.0.0.1:7860';

describe('codeSnippets', () => {
  it("writes Gradio's templates (docs/protocol.md#clients; the /hello example of docs/protocol.md#api-info)", () => {
    const snippets = codeSnippets(endpointNamed(registry, 'hello'), ROOT);
    // Python, JavaScript and the CLI as Gradio's own templates write them, byte for byte.
    expect(snippets.python).toBe(
      'from gradio_client import Client\n\nclient = Client("http://127.0.0.1:7860")\nresult = client.predict(\n\tname="...",\n\tapi_name="/hello",\n)\nprint(result)',
    );
    expect(snippets.javascript).toBe(
      'import { Client } from "@gradio/client";\n\nconst client = await Client.connect("http://127.0.0.1:7860");\nconst result = await client.predict("/hello", {\n\t\tname: "...",\n});\n\nconsole.log(result.data);',
    );
    expect(snippets.cli).toBe('{command} predict http://127.0.0.1:7860 /hello \'{\n  "name": "..."\n}\'\n');
    // cURL too, but for the last line: `read` and the second request share one subshell, so bash and sh keep the id.
    expect(snippets.bash).toBe(
      'curl -X POST http://127.0.0.1:7860/gradio_api/call/v2/hello -s -H "Content-Type: application/json" \\\n  -d \'{"name": "..."}\' \\\n  | awk -F\'"\' \'{ print $4}\' \\\n  | { read EVENT_ID; curl -N http://127.0.0.1:7860/gradio_api/call/hello/$EVENT_ID; }',
    );
  });

  it('writes every value as a valid literal of each language: examples for required parameters, defaults otherwise', () => {
    const snippets = codeSnippets(endpointNamed(registry, 'mixed'), ROOT);
    expect(snippets.python).toContain('\ta=3,\n\tflags=[True],\n\tmaybe=None,\n\tquote="it\'s",\n');
    expect(snippets.javascript).toContain('\t\ta: 3,\n\t\tflags: [true],\n\t\tmaybe: null,\n\t\tquote: "it\'s",\n');
    // The single quote is closed, escaped and reopened inside the shell's single-quoted body.
    expect(snippets.bash).toContain(`-d '{"a": 3, "flags": [true], "maybe": null, "quote": "it'\\''s"}'`);
    expect(snippets.cli).toContain(
      `'{\n  "a": 3,\n  "flags": [\n    true\n  ],\n  "maybe": null,\n  "quote": "it'\\''s"\n}'`,
    );
  });

  it('uploads a file where a parameter takes one, as Gradio does for its file components', () => {
    const snippets = codeSnippets(endpointNamed(registry, 'upload'), ROOT);
    expect(snippets.python).toMatch(/^from gradio_client import Client, handle_file\n/);
    expect(snippets.python).toContain("\tfile=handle_file('path/to/file.txt'),\n");
    expect(snippets.javascript).toMatch(/^import \{ Client, handle_file \} from "@gradio\/client";/);
    expect(snippets.javascript).toContain('\t\tfile: handle_file("path/to/file.txt"),\n');
    expect(snippets.bash).toMatch(
      /^FILE_PATH=\$\(curl -s -X POST http:\/\/127\.0\.0\.1:7860\/gradio_api\/upload -F 'files=@path\/to\/file\.txt' \| tr -d '\[\]" '\)\n\n/,
    );
    expect(snippets.bash).toContain(`-d '{"file": {"path": "'$FILE_PATH'", "meta": {"_type": "gradio.FileData"}}}'`);
    expect(snippets.cli).toContain('"path": "path/to/file.txt"');
  });
});
