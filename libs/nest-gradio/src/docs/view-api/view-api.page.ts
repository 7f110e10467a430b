import type { Endpoint } from '../../discovery/endpoint.interface.js';
import { API_PREFIX } from '../../kernel/gradio.constants.js';
import { VIEW_API_ASSETS } from './view-api.assets.js';
import { escapeHtml } from '../../kernel/html.js';

/** What the page's HTML needs from the server; everything else the script fetches. */
export interface ViewApiPageInput {
  /** The public root URL of the app (`config.root`), without a trailing slash. */
  root: string;
  title: string;
  /** The public endpoints (the banner counts them; the no-script fallback lists them). */
  endpoints: readonly Endpoint[];
  /** Path of the Swagger UI, or undefined when it is off. */
  docsPath: string | undefined;
}

/** The logo: an API bracket pair in Gradio orange. */
const LOGO = `<svg viewBox="0 0 40 40" aria-hidden="true" focusable="false"><rect width="40" height="40" rx="10" fill="#f97316"/>
<path d="M15 11c-3 0-4 1.5-4 4v2.5c0 1.5-.8 2.5-2.5 2.5 1.7 0 2.5 1 2.5 2.5V25c0 2.5 1 4 4 4M25 11c3 0 4 1.5 4 4v2.5c0 1.5.8 2.5 2.5 2.5-1.7 0-2.5 1-2.5 2.5V25c0 2.5-1 4-4 4" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/>
<circle cx="20" cy="20" r="2.2" fill="#fff"/></svg>`;

/**
 * The View API page's HTML: the banner (app URL, endpoint count) and a plain list of the endpoints for browsers
 * without JavaScript. The script (`page.js`) fetches `/config`, `/gradio_api/info`, `/monitoring/summary` and,
 * with MCP on, `/gradio_api/mcp/schema` — the same data Gradio's page reads — and renders the tabs and cards.
 * Assets are separate files under `/gradio_api/view_api/`, never inline, so a strict CSP does not break the page.
 */
export function renderViewApiPage({ root, title, endpoints, docsPath }: ViewApiPageInput): string {
  const visible = endpoints.filter((endpoint) => endpoint.apiVisibility === 'public');
  const base = `${pathOf(root)}${API_PREFIX}/view_api`;
  const count = `${visible.length} API endpoint${visible.length === 1 ? '' : 's'}`;
  const fallback =
    visible.length === 0
      ? '<p>This app has no public API endpoints.</p>'
      : `<ul>${visible
          .map(
            (endpoint) =>
              `<li><code>/${escapeHtml(endpoint.apiName)}</code>${endpoint.description ? ` — ${escapeHtml(endpoint.description)}` : ''}</li>`,
          )
          .join('')}</ul>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="description" content="How to call ${escapeHtml(title)} from Python, JavaScript, cURL and MCP clients.">
<title>${escapeHtml(title)} · API documentation</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${base}/page.css?v=${VIEW_API_ASSETS.css.version}">
<script src="${base}/page.js?v=${VIEW_API_ASSETS.js.version}"></script>
</head>
<body data-root="${escapeHtml(root)}" data-title="${escapeHtml(title)}" data-docs="${escapeHtml(docsPath ?? '')}">
<a class="skip-link" href="#main">Skip to the endpoints</a>
<header class="banner">
<div class="banner-inner">
<div class="brand">${LOGO}
<div><h1 id="banner-title">API documentation</h1>
<p class="app-url"><span class="visually-hidden">App URL: </span><code id="app-url">${escapeHtml(root)}</code></p></div>
</div>
<div class="banner-meta"><span class="pill" id="banner-count">${count}</span></div>
</div>
</header>
<main id="main" class="page" tabindex="-1">
<div id="app" aria-busy="true"><p class="loading">Loading the API documentation…</p></div>
<noscript>
<h2>${escapeHtml(title)}: ${count}</h2>
${fallback}
<p>Machine-readable: <a href="${escapeHtml(root)}${API_PREFIX}/info">${API_PREFIX}/info</a>,
<a href="${escapeHtml(root)}${API_PREFIX}/openapi.json">${API_PREFIX}/openapi.json</a>.</p>
</noscript>
</main>
<div class="toast" id="toast" role="status" aria-live="polite"></div>
</body>
</html>`;
}

/** The path part of the root URL: the page links its assets relative to the host it was served from. */
function pathOf(root: string): string {
  try {
    return new URL(root).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}
