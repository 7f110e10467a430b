/**
 * The View API page's stylesheet, served by the library as `/gradio_api/view_api/page.css` (a file, not inline,
 * so that a strict Content-Security-Policy such as helmet's default allows it). Light and dark follow the system
 * unless the page's toggle chose one; the colours of both are Gradio's default theme's.
 */
export const VIEW_API_STYLES = String.raw`
:root {
  --bg: #ffffff; --surface: #f8f8f9; --card: #ffffff; --fg: #27272a; --muted: #60606b; --border: #e4e4e7;
  --accent: #ea580c; --accent-soft: #fff1e6; --accent-fg: #ffffff; --focus: #2563eb;
  --code-bg: #18181b; --code-fg: #f4f4f5; --code-muted: #a1a1aa; --string: #fdba74; --keyword: #93c5fd;
  --ok: #15803d; --warn: #b45309; --bad: #b91c1c;
  --radius: 12px; --mono: ui-monospace, 'SFMono-Regular', 'Cascadia Code', Menlo, Consolas, monospace;
  color-scheme: light;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', sans-serif;
  line-height: 1.5;
}
:root[data-theme='dark'] {
  --bg: #0f0f11; --surface: #141417; --card: #18181b; --fg: #f4f4f5; --muted: #a1a1aa; --border: #2e2e33;
  --accent: #fb923c; --accent-soft: #2a1709; --accent-fg: #1a0d02; --focus: #60a5fa;
  --code-bg: #0b0b0d; --ok: #4ade80; --warn: #fbbf24; --bad: #f87171;
  color-scheme: dark;
}
@media (prefers-color-scheme: dark) {
  :root:not([data-theme='light']) {
    --bg: #0f0f11; --surface: #141417; --card: #18181b; --fg: #f4f4f5; --muted: #a1a1aa; --border: #2e2e33;
    --accent: #fb923c; --accent-soft: #2a1709; --accent-fg: #1a0d02; --focus: #60a5fa;
    --code-bg: #0b0b0d; --ok: #4ade80; --warn: #fbbf24; --bad: #f87171;
    color-scheme: dark;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); -webkit-text-size-adjust: 100%; }
body { margin: 0; min-height: 100vh; background: var(--bg); }
a { color: var(--accent); text-underline-offset: 2px; }
a:hover { text-decoration-thickness: 2px; }
code, pre, kbd { font-family: var(--mono); font-size: 0.875rem; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 4px; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.skip-link { position: absolute; left: 1rem; top: -4rem; z-index: 10; padding: 0.5rem 1rem; border-radius: 8px;
  background: var(--accent); color: var(--accent-fg); font-weight: 600; }
.skip-link:focus { top: 1rem; }

.banner { border-bottom: 1px solid var(--border); background: var(--surface); }
.banner-inner, .page { width: min(100%, 72rem); margin: 0 auto; padding: 0 1.25rem; }
.banner-inner { display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; padding-block: 1.1rem; }
.brand { display: flex; align-items: center; gap: 0.85rem; min-width: 0; flex: 1 1 20rem; }
.brand svg { flex: none; width: 2.5rem; height: 2.5rem; }
.brand h1 { margin: 0; font-size: 1.35rem; line-height: 1.2; letter-spacing: -0.01em; }
.app-url { display: flex; align-items: center; gap: 0.35rem; margin: 0.2rem 0 0; min-width: 0; color: var(--muted); }
.app-url code { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.banner-meta { display: flex; align-items: center; gap: 0.6rem; flex-wrap: wrap; }
.pill { display: inline-flex; align-items: center; gap: 0.35rem; padding: 0.2rem 0.7rem; border-radius: 999px;
  background: var(--accent-soft); color: var(--fg); font-weight: 600; font-size: 0.9rem; white-space: nowrap; }
.pill strong { color: var(--accent); }

button { font: inherit; color: inherit; cursor: pointer; }
.button { display: inline-flex; align-items: center; gap: 0.4rem; min-height: 2.25rem; padding: 0.35rem 0.85rem;
  border: 1px solid var(--border); border-radius: 8px; background: var(--card); font-size: 0.9rem; font-weight: 500; }
.button:hover { border-color: var(--accent); }
.button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-fg); font-weight: 600; }
.button.primary:hover { filter: brightness(1.05); }
.icon-button { display: inline-grid; place-items: center; width: 2.25rem; height: 2.25rem; padding: 0;
  border: 1px solid var(--border); border-radius: 8px; background: var(--card); }
.icon-button:hover { border-color: var(--accent); }
.icon-button svg, .button svg { width: 1.05rem; height: 1.05rem; }
.link-button { border: 0; background: none; padding: 0.1rem 0.25rem; color: var(--accent); font-size: 0.85rem; }

.page { padding-block: 1.5rem 3rem; }
.intro { display: flex; align-items: flex-end; justify-content: space-between; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.intro p { margin: 0; color: var(--muted); }
[role='tablist'] { display: flex; gap: 0.25rem; flex-wrap: wrap; padding: 0.3rem; border: 1px solid var(--border);
  border-radius: 10px; background: var(--surface); }
[role='tab'] { display: inline-flex; align-items: center; gap: 0.4rem; border: 0; border-radius: 7px; padding: 0.45rem 0.9rem;
  background: transparent; color: var(--muted); font-weight: 600; font-size: 0.95rem; min-height: 2.5rem; }
[role='tab']:hover { color: var(--fg); }
[role='tab'][aria-selected='true'] { background: var(--card); color: var(--fg); box-shadow: 0 1px 3px rgb(0 0 0 / 0.12);
  outline: 1px solid var(--border); }
[role='tab'][aria-selected='true'] .tab-dot { background: var(--accent); }
.tab-dot { width: 0.5rem; height: 0.5rem; border-radius: 50%; background: var(--border); }
.toolbar { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; justify-content: space-between;
  margin-bottom: 1.25rem; }

.steps { display: grid; gap: 0.75rem; margin: 0 0 1.5rem; padding: 1rem 1.25rem; border: 1px solid var(--border);
  border-radius: var(--radius); background: var(--surface); }
.steps ol { margin: 0; padding-left: 1.25rem; display: grid; gap: 0.6rem; }
.steps p { margin: 0.25rem 0 0; color: var(--muted); }
.command { display: flex; align-items: center; gap: 0.5rem; margin-top: 0.35rem; max-width: 100%; }
.command code { display: block; min-width: 0; overflow-x: auto; padding: 0.45rem 0.75rem; border-radius: 8px;
  background: var(--code-bg); color: var(--code-fg); white-space: nowrap; }
.command .button { flex: none; }
.flavours { display: inline-flex; flex-wrap: wrap; gap: 0.25rem; margin: 0.25rem 0 0 0.5rem; }
.steps li { min-width: 0; }
.flavours button[aria-pressed='true'] { border-color: var(--accent); color: var(--accent); }

.endpoint { margin: 0 0 1.25rem; padding: 1.25rem; border: 1px solid var(--border); border-radius: var(--radius);
  background: var(--card); box-shadow: 0 1px 2px rgb(0 0 0 / 0.04); scroll-margin-top: 1rem; }
.endpoint > header { display: flex; align-items: baseline; justify-content: space-between; gap: 0.5rem 1rem; flex-wrap: wrap; }
.endpoint h2 { margin: 0; font-size: 1.15rem; overflow-wrap: anywhere; }
.endpoint h2 code { font-size: 1.05rem; font-weight: 700; }
.endpoint h2 .label { color: var(--muted); font-weight: 500; font-size: 0.9rem; margin-right: 0.35rem; font-family: inherit; }
.endpoint h3 { margin: 1.25rem 0 0.5rem; font-size: 0.95rem; }
.description { margin: 0.5rem 0 0; }
.muted { color: var(--muted); }
.usage { margin: 0; display: inline-flex; flex-wrap: wrap; gap: 0.25rem 0.6rem; font-size: 0.85rem; color: var(--muted); }
.usage .rate-ok { color: var(--ok); font-weight: 600; }
.usage .rate-warn { color: var(--warn); font-weight: 600; }
.usage .rate-bad { color: var(--bad); font-weight: 600; }

.code { position: relative; margin-top: 0.85rem; border-radius: 10px; background: var(--code-bg); color: var(--code-fg); }
.code pre { margin: 0; padding: 1rem 1.1rem; padding-right: 6.5rem; overflow-x: auto; tab-size: 4; line-height: 1.55; }
.code .copy { position: absolute; top: 0.5rem; right: 0.5rem; border-color: #3f3f46; background: #27272a; color: #f4f4f5; }
.code .copy:hover { border-color: var(--accent); }
.tok-string { color: var(--string); }
.tok-keyword { color: var(--keyword); }
.tok-comment { color: var(--code-muted); font-style: italic; }

table { width: 100%; border-collapse: collapse; font-size: 0.92rem; }
th, td { padding: 0.55rem 0.6rem; text-align: left; vertical-align: top; border-bottom: 1px solid var(--border); }
th { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); font-weight: 600; }
td code { overflow-wrap: anywhere; }
/* Fixed columns, so that the name and type columns line up from one table to the next down the page. */
table.stack { table-layout: fixed; }
table.stack th:nth-child(1), table.stack th:nth-child(2) { width: 25%; }
table.stack th:nth-child(3):not(:last-child) { width: 20%; }
.type { color: var(--accent); }
.required { display: inline-block; padding: 0 0.45rem; border-radius: 999px; font-size: 0.78rem; font-weight: 600;
  border: 1px solid var(--border); white-space: nowrap; }
.required.yes { color: var(--bad); border-color: currentColor; }

.empty, .notice { padding: 2rem 1.5rem; border: 1px dashed var(--border); border-radius: var(--radius); text-align: center;
  background: var(--surface); }
.empty h2, .notice h2 { margin: 0 0 0.5rem; font-size: 1.2rem; }
.empty p, .notice p { margin: 0.35rem auto; max-width: 38rem; color: var(--muted); }
.notice.left { text-align: left; }
.notice.left p { margin-left: 0; }
.error { border-style: solid; border-color: var(--bad); }

.mcp-url { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin: 0.5rem 0 1rem; }
.mcp-url input { flex: 1 1 18rem; min-width: 0; min-height: 2.5rem; padding: 0.45rem 0.7rem; line-height: 1.5; border: 1px solid var(--border);
  border-radius: 8px; background: var(--surface); color: var(--fg); font-family: var(--mono); font-size: 0.875rem; }
.tools { display: grid; gap: 0.5rem; margin: 0.75rem 0 1.5rem; }
.tool { border: 1px solid var(--border); border-radius: 10px; background: var(--card); }
.tool summary { display: flex; align-items: baseline; gap: 0.35rem 0.75rem; flex-wrap: wrap; padding: 0.7rem 1rem; cursor: pointer;
  list-style: none; }
.tool summary::-webkit-details-marker { display: none; }
.tool summary::before { content: '▸'; color: var(--muted); transition: transform 0.15s; }
.tool[open] summary::before { transform: rotate(90deg); }
.tool summary code { font-weight: 700; }
.tool .tool-body { padding: 0 1rem 1rem; }
.kind { font-size: 0.75rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }

.footer { margin-top: 2.5rem; padding-top: 1.25rem; border-top: 1px solid var(--border); display: flex; flex-wrap: wrap;
  gap: 0.5rem 1.25rem; color: var(--muted); font-size: 0.9rem; }
.loading { padding: 3rem 0; text-align: center; color: var(--muted); }
.toast { position: fixed; left: 50%; bottom: 1.5rem; transform: translateX(-50%) translateY(150%); padding: 0.6rem 1rem;
  border-radius: 8px; background: var(--fg); color: var(--bg); font-weight: 600; box-shadow: 0 6px 24px rgb(0 0 0 / 0.25);
  transition: transform 0.2s, opacity 0.2s; pointer-events: none; opacity: 0; }
.toast.show { transform: translateX(-50%) translateY(0); opacity: 1; }

@media (max-width: 640px) {
  .banner-inner, .page { padding-inline: 0.9rem; }
  .brand h1 { font-size: 1.15rem; }
  .endpoint { padding: 1rem 0.9rem; }
  [role='tablist'] { width: 100%; flex-wrap: nowrap; overflow-x: auto; }
  [role='tab'] { flex: 1 0 auto; justify-content: center; padding-inline: 0.55rem; font-size: 0.9rem; }
  .tab-dot { display: none; }
  .code pre { padding-right: 1rem; padding-top: 3rem; font-size: 0.8rem; }
  /* A one-line command wraps rather than hiding its end behind a scroll bar. */
  .command code { white-space: normal; overflow-wrap: anywhere; }
  table.stack thead { display: none; }
  table.stack tr { display: block; padding: 0.5rem 0; border-bottom: 1px solid var(--border); }
  table.stack td { display: flex; gap: 0.75rem; padding: 0.2rem 0; border: 0; }
  /* A stacked row without a description would end in a label and a dash: leave that line out. */
  table.stack td:has(> .no-description) { display: none; }
  table.stack td::before { content: attr(data-label); flex: 0 0 6.5rem; color: var(--muted); font-size: 0.8rem;
    text-transform: uppercase; letter-spacing: 0.04em; font-weight: 600; }
}
@media (prefers-reduced-motion: reduce) {
  * { transition: none !important; scroll-behavior: auto !important; }
}
`;
