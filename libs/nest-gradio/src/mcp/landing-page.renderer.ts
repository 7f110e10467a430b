import { escapeHtml } from '../kernel/html.js';

/** What the landing page lists besides the setup snippets. */
export interface LandingPageContent {
  title: string;
  /** The streamable HTTP URL, ending in `/gradio_api/mcp/`. */
  serverUrl: string;
  tools: readonly { name: string; description: string }[];
  resources: readonly { uri: string; description: string }[];
  prompts: readonly { name: string; description: string }[];
}

interface ClientSetup {
  client: string;
  where: string;
  snippet: string;
}

/**
 * How the common MCP clients connect to the server (docs/mcp.md#landing-page): each client's configuration file and entry.
 * Clients without streamable HTTP support go through `mcp-remote`, a stdio bridge.
 */
export function clientSetups(serverUrl: string, key: string): ClientSetup[] {
  const json = (value: unknown): string => JSON.stringify(value, null, 2);
  return [
    {
      client: 'Cursor',
      where: 'Add to ~/.cursor/mcp.json:',
      snippet: json({ mcpServers: { [key]: { url: serverUrl } } }),
    },
    {
      client: 'Claude Desktop',
      where: 'Add to claude_desktop_config.json (needs Node.js for npx):',
      snippet: json({ mcpServers: { [key]: { command: 'npx', args: ['mcp-remote', serverUrl] } } }),
    },
    {
      client: 'Claude Code',
      where: 'Run in a terminal:',
      snippet: `claude mcp add --transport http ${key} ${serverUrl}`,
    },
    {
      client: 'VS Code',
      where: 'Add to .vscode/mcp.json:',
      snippet: json({ servers: { [key]: { type: 'http', url: serverUrl } } }),
    },
    {
      client: 'Cline',
      where: 'Add to cline_mcp_settings.json:',
      snippet: json({ mcpServers: { [key]: { type: 'streamableHttp', url: serverUrl } } }),
    },
    {
      client: 'Windsurf',
      where: 'Add to ~/.codeium/windsurf/mcp_config.json:',
      snippet: json({ mcpServers: { [key]: { serverUrl } } }),
    },
  ];
}

/** A configuration key made of the app's title: `nest-gradio showcase` → `nest-gradio-showcase`. */
export function serverKey(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'gradio'
  );
}

/**
 * The page a browser gets on the MCP URL (a GET without `Accept: text/event-stream`): the server URL to copy, the
 * setup of the common MCP clients, and what the server offers. Self-contained: no scripts or fonts from elsewhere.
 */
export function renderLandingPage(content: LandingPageContent): string {
  const setups = clientSetups(content.serverUrl, serverKey(content.title));
  const tabs = setups
    .map(({ client }, index) => {
      const attributes = `type="button" role="tab" aria-selected="${index === 0}" data-tab="${index}"`;
      return `<button ${attributes}>${escapeHtml(client)}</button>`;
    })
    .join('');
  const panels = setups
    .map(({ where, snippet }, index) => {
      const attributes = `role="tabpanel" data-panel="${index}"${index === 0 ? '' : ' hidden'}`;
      return `<section ${attributes}><p>${escapeHtml(where)}</p><pre><code>${escapeHtml(snippet)}</code></pre></section>`;
    })
    .join('');
  const sseUrl = `${content.serverUrl}sse`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)} · MCP server</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1f2937; }
  h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
  .url { display: flex; gap: .5rem; align-items: center; }
  .url code { flex: 1; padding: .5rem; background: #f3f4f6; border-radius: .4rem; }
  pre { background: #f3f4f6; padding: .75rem; border-radius: .4rem; overflow-x: auto; }
  [role=tablist] button { border: 1px solid #d1d5db; background: white; padding: .35rem .7rem; border-radius: .4rem;
    cursor: pointer; margin: 0 .25rem .25rem 0; }
  [role=tablist] button[aria-selected=true] { background: #f97316; border-color: #f97316; color: white; }
  dt { font-family: ui-monospace, monospace; font-weight: 600; } dd { margin: 0 0 .6rem 1rem; }
</style>
</head>
<body>
<h1>${escapeHtml(content.title)}: MCP server</h1>
<p>This URL serves the app's tools over the Model Context Protocol (MCP), for AI assistants and agents.
Point an MCP client at it:</p>
<div class="url"><code id="server-url">${escapeHtml(content.serverUrl)}</code><button type="button" id="copy">Copy</button></div>
<h2>Connect your AI assistant</h2>
<div role="tablist">${tabs}</div>
${panels}
<p>Clients that only speak the older HTTP+SSE transport connect to <code>${escapeHtml(sseUrl)}</code>.</p>
${definitionList(
  'Tools',
  content.tools.map((tool) => [tool.name, tool.description]),
)}
${definitionList(
  'Resources',
  content.resources.map((resource) => [resource.uri, resource.description]),
)}
${definitionList(
  'Prompts',
  content.prompts.map((prompt) => [prompt.name, prompt.description]),
)}
<p>The same as JSON: <a href="${escapeHtml(content.serverUrl)}schema">${escapeHtml(content.serverUrl)}schema</a>.</p>
<script>
  document.getElementById('copy').addEventListener('click', function () {
    var url = document.getElementById('server-url');
    // The clipboard API exists only on secure origins (https, localhost); elsewhere, select the URL to copy by hand.
    if (navigator.clipboard) {
      navigator.clipboard.writeText(url.textContent);
      this.textContent = 'Copied';
    } else {
      window.getSelection().selectAllChildren(url);
    }
  });
  document.querySelectorAll('[role=tab]').forEach(function (tab) {
    tab.addEventListener('click', function () {
      document.querySelectorAll('[role=tab]').forEach(function (other) {
        other.setAttribute('aria-selected', String(other === tab));
      });
      document.querySelectorAll('[role=tabpanel]').forEach(function (panel) {
        panel.hidden = panel.dataset.panel !== tab.dataset.tab;
      });
    });
  });
</script>
</body>
</html>
`;
}

function definitionList(heading: string, entries: [string, string][]): string {
  if (entries.length === 0) return '';
  const items = entries
    .map(([term, text]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(text || '—')}</dd>`)
    .join('');
  return `<h2>${heading}</h2><dl>${items}</dl>`;
}
