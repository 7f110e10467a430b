import type { Endpoint } from '../discovery/endpoint.interface.js';
import { renderPythonType } from '../schema/python-type.renderer.js';
import { codeSnippets } from './code-snippets.js';

/** A plain, dependency-free HTML page that lists the public endpoints with a Python snippet each. */
export function renderApiPage(endpoints: readonly Endpoint[], root: string, title: string): string {
  const visible = endpoints.filter((endpoint) => endpoint.apiVisibility === 'public');
  const cards = visible.map((endpoint) => card(endpoint, root)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · API</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
  section { border: 1px solid #8884; border-radius: .5rem; padding: 1rem; margin: 1rem 0; }
  pre { background: #8881; padding: .75rem; overflow-x: auto; border-radius: .25rem; }
  code { font-family: ui-monospace, monospace; }
</style>
</head>
<body>
<h1>${escapeHtml(title)} API</h1>
<p>${visible.length} API endpoint${visible.length === 1 ? '' : 's'} at <code>${escapeHtml(root)}</code>.
Machine-readable: <a href="${escapeHtml(root)}/gradio_api/info">/gradio_api/info</a>,
<a href="${escapeHtml(root)}/gradio_api/openapi.json">/gradio_api/openapi.json</a>.</p>
${visible.length === 0 ? '<p>This app has no public API endpoints.</p>' : cards}
</body>
</html>`;
}

function card(endpoint: Endpoint, root: string): string {
  const parameters = endpoint.parameters
    .map(
      (parameter) =>
        `<li><code>${escapeHtml(parameter.name)}: ${escapeHtml(renderPythonType(parameter.schema))}</code>` +
        `${parameter.hasDefault ? ` (default ${escapeHtml(JSON.stringify(parameter.defaultValue))})` : ' (required)'}</li>`,
    )
    .join('');
  return `<section id="${escapeHtml(endpoint.apiName)}">
<h2><code>/${escapeHtml(endpoint.apiName)}</code></h2>
${endpoint.description ? `<p>${escapeHtml(endpoint.description)}</p>` : ''}
<ul>${parameters}</ul>
<pre><code>${escapeHtml(codeSnippets(endpoint, root).python)}</code></pre>
</section>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
