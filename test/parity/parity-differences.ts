import type { DifferenceKind, JsonPath } from './json-diff.js';
import { snippetProblems } from './snippet-parity.js';

/** One field, or family of fields, where our output may differ from real Gradio's, and why. */
export interface AllowedDifference {
  /** Path patterns (see `pathMatches`): `*` one segment, `**` any number. The first segment names the document. */
  paths: readonly (readonly string[])[];
  reason: string;
  /** Only these kinds of difference are allowed (default: any), e.g. `extra` for a field only we add. */
  kinds?: readonly DifferenceKind[];
  /**
   * For differences allowed only in a precise form: what is wrong with this one (nothing when it is allowed).
   * `context` gives the Gradio document the field came from.
   */
  check?: (ours: unknown, gradio: unknown, path: JsonPath, context: { gradio: unknown }) => string[];
}

/**
 * THE list of fields where nest-gradio's `/config`, `/gradio_api/info` (plain and `?all_endpoints=True`) and
 * `/gradio_api/openapi.json` may differ from real Gradio's for the same app (test/parity/showcase_server.py).
 * Everything else must be equal, key order included. Root URLs are compared as `<root>` (each server has its own
 * port). Kinds: random or per-install values first, then the differences we chose.
 *
 * Equal here but worth knowing: `config.analytics_enabled` is false on both sides because the mirror switches
 * Gradio's telemetry off (the tests have no network); Gradio's default is true. Ours is always false: nest-gradio
 * sends no telemetry, and the flag only tells Gradio's frontend whether to. Likewise `footer_links` (["api"]) and
 * `run_history` (false): we serve the API page only, with no Gradio footer, settings panel or run-history page
 * (/gradio_api/runs), so the mirror launches with the same settings; Gradio's defaults are
 * ["api", "gradio", "settings", "runs"] and true.
 */
export const ALLOWED_DIFFERENCES: readonly AllowedDifference[] = [
  // ---- Random or per-install
  {
    paths: [['config', 'app_id']],
    reason: "Random per process (ours stays below 2^53 so that JavaScript reads it exactly; Gradio's is 64-bit).",
  },
  {
    paths: [
      ['config', 'version'],
      ['openapi', 'info', 'version'],
    ],
    reason:
      'The Gradio version: the mirror runs the newest 6.x from pip; we publish the protocol version we implement ' +
      '(GRADIO_COMPATIBLE_VERSION), which the clients read to pick features.',
  },
  {
    paths: [
      ['config', 'components', '*', 'component_class_id'],
      ['config', 'theme_hash'],
    ],
    reason:
      "Per install: Gradio hashes its component class's file path (so the venv's folder changes it; the golden " +
      'files hold `<per-install>`) and its theme CSS; ours are fixed hashes of our own (no theme is shipped).',
  },
  // ---- Chosen
  {
    paths: [
      ['config', 'title'],
      ['openapi', 'info', 'title'],
    ],
    reason:
      'Gradio\'s Server mode cannot set a title (always "Gradio"); GradioModule has a `title` option, and the ' +
      'showcase sets "nest-gradio showcase".',
  },
  {
    paths: [['info', 'named_endpoints', '*', 'code_snippets', '*']],
    reason:
      "Snippets run as shown: a valid example value where Gradio writes its placeholder (`a=...` is Python's " +
      "Ellipsis and invalid JSON in cURL and JavaScript), and `| { read EVENT_ID; curl …; }` because Gradio's " +
      "`| read EVENT_ID; curl …` loses the id in bash and sh. The template is otherwise Gradio's, checked to the byte.",
    check: (ours, gradio, path, context) => {
      const endpoint = (
        context.gradio as { named_endpoints: Record<string, { parameters: { parameter_name: string }[] }> }
      ).named_endpoints[String(path[2])];
      const names = endpoint?.parameters.map((parameter) => parameter.parameter_name) ?? [];
      if (typeof ours !== 'string' || typeof gradio !== 'string') return ['a snippet is not a string'];
      return snippetProblems(String(path[4]), ours, gradio, names);
    },
  },
  {
    paths: [['info', 'named_endpoints', '*', 'parameters', '*', 'python_type', 'description']],
    reason:
      "Carries the parameter's `@Arg({ description })`, which the Python client's view_api() prints; Gradio " +
      'leaves it empty for API parameters. Equal when no description is given.',
  },
  // ---- Our OpenAPI document (/gradio_api/openapi.json): same paths, operation ids and schemas, made valid
  {
    paths: [
      ['openapi', 'paths', '*', '*', 'summary'],
      ['openapi', '**', 'description'],
    ],
    reason:
      'Prose (summaries and descriptions) is our own wording; Gradio also runs two sentences together without a space.',
  },
  {
    paths: [['openapi', 'servers']],
    kinds: ['extra'],
    reason: 'Added: the root URL, so that generic tools resolve the paths behind a proxy path too.',
  },
  {
    paths: [['openapi', 'paths', '*', '*', 'security']],
    kinds: ['missing'],
    reason:
      'Removed: Gradio requires a `login_check` security scheme it never declares (OpenAPI requires every name ' +
      'there to be declared in components.securitySchemes; strict tools such as code generators reject it).',
  },
  {
    paths: [
      ['openapi', 'paths', '*', 'post', 'requestBody', 'content', '*', 'schema', 'required'],
      ['openapi', 'paths', '*', 'post', 'requestBody', 'content', '*', 'example'],
      ['openapi', 'paths', '*', 'post', 'requestBody', 'content', '*', 'schema', 'properties', '*', 'default'],
      ['openapi', 'paths', '*', 'post', 'responses', '*'],
      ['openapi', 'paths', '*', 'post', 'responses', '200', 'content', '*', 'schema', 'required'],
    ],
    kinds: ['extra'],
    reason:
      "Added for tooling: the required parameters, defaults, an example body (the snippets' values, which Swagger " +
      'UI pre-fills), the `event_id` answer as required, and the error answers (404 unknown endpoint, 422 bad ' +
      'arguments, 503 queue full).',
  },
  {
    paths: [
      ['openapi', 'paths', '*', 'post', 'requestBody', 'content', '*', 'schema', 'additionalProperties'],
      ['openapi', 'paths', '*', 'post', 'requestBody', 'content', '*', 'schema', 'properties', '*', 'nullable'],
      ['openapi', 'paths', '*', 'post', 'responses', '*', '**'],
    ],
    kinds: ['extra'],
    reason:
      'The document says what the server does, as fuzzing it (schemathesis --checks all) requires: unknown ' +
      'arguments and upload parts are refused, null stands for the default of an argument that has one, and the ' +
      'error answers carry the JSON `detail` bodies they have.',
  },
  {
    paths: [['openapi', 'paths', '/gradio_api/upload', 'post', 'requestBody', 'content', '*', 'schema', 'required']],
    kinds: ['missing'],
    reason: 'An upload without files answers an empty list (in Gradio too): `files` is not required.',
  },
  {
    paths: [['openapi', 'paths', '*', 'get', 'responses', '200', 'content', 'text/event-stream', 'schema', '**']],
    reason:
      "Each server-sent event is described as what SSE-aware tools parse, an object with the event's name and its " +
      'data; Gradio describes the stream as one string.',
  },
  {
    paths: [['openapi', 'paths', '*', 'post', 'requestBody', 'content', '*', 'schema', 'properties', '*', '**']],
    reason:
      'A file parameter is described as what the endpoint accepts, a FileData object (`{"path": …, "meta": ' +
      '{"_type": "gradio.FileData"}}`); Gradio collapses it to a string of format `filepath`, which its own ' +
      'server does not accept as a file.',
    check: (_ours, _gradio, path, context) => {
      const document = context.gradio as { paths: Record<string, Record<string, unknown>> };
      const operation = document.paths[String(path[2])]?.[String(path[3])] as
        | { requestBody: { content: Record<string, { schema: { properties: Record<string, { format?: string }> } }> } }
        | undefined;
      const property = operation?.requestBody.content[String(path[6])]?.schema.properties[String(path[9])];
      return property?.format === 'filepath' ? [] : ['only file parameters may be described differently'];
    },
  },
];
