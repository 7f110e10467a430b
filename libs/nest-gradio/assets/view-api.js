/*
 * The View API page's script, served by nest-gradio as `/gradio_api/view_api/page.js`: plain ES2017 for every
 * current browser, no dependencies, no build step. It reads what Gradio's own page reads — `/config`,
 * `/gradio_api/info` (with the server-made `code_snippets`), `/monitoring/summary` and, when `config.mcp_server`
 * is on, `/gradio_api/mcp/schema` — and renders the tabs (`?lang=python|javascript|bash|cli|mcp`), one card per
 * public endpoint, the MCP tab, copy buttons and "Copy as Markdown". Everything is built with DOM calls and text
 * nodes, never from HTML strings, so descriptions and snippets cannot inject markup.
 *
 * The library reads this file from disk at start-up (docs/view-api/view-api.assets.ts). Its syntax is checked by
 * view-api.spec.ts, its behaviour by the browser tests (test/api-docs/view-api*.e2e-spec.ts).
 */
(function () {
  'use strict';

  var THEME_KEY = 'nest-gradio:theme';
  var LANGUAGES = [
    { id: 'python', label: 'Python', title: 'API documentation' },
    { id: 'javascript', label: 'JavaScript', title: 'API documentation' },
    { id: 'bash', label: 'cURL', title: 'API documentation' },
    { id: 'cli', label: 'CLI', title: 'CLI documentation' },
    { id: 'mcp', label: 'MCP', title: 'MCP documentation' },
  ];
  var GUIDES = {
    python: 'https://www.gradio.app/guides/getting-started-with-the-python-client',
    javascript: 'https://www.gradio.app/guides/getting-started-with-the-js-client',
    bash: 'https://www.gradio.app/guides/querying-gradio-apps-with-curl',
    cli: 'https://www.gradio.app/guides/getting-started-with-the-python-client',
    mcp: 'https://www.gradio.app/guides/building-mcp-server-with-gradio',
  };
  // Backticks are spelled as escapes: this file is embedded in a TypeScript template literal.
  var TICK = '\u0060';
  var FENCE = TICK + TICK + TICK;
  var KEYWORDS = /\b(from|import|const|await|print|None|True|False|null|true|false|curl|read)\b/;

  var state = {
    root: '',
    base: '',
    title: '',
    docs: '',
    lang: 'python',
    config: null,
    info: null,
    analytics: { functions: {} },
    mcp: null,
    endpoints: [],
    cliCommand: 'gradio',
    mcpTransport: 'http',
    includeUploadTool: true,
  };

  // The saved theme applies before the first paint: this script is loaded in <head>, without defer.
  try {
    var savedTheme = window.localStorage.getItem(THEME_KEY);
    if (savedTheme === 'light' || savedTheme === 'dark')
      document.documentElement.setAttribute('data-theme', savedTheme);
  } catch (error) {
    // storage may be unavailable (privacy mode); the system theme applies
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();

  function start() {
    var body = document.body;
    state.root = (body.getAttribute('data-root') || window.location.origin).replace(/\/+$/, '');
    state.base = pathOf(state.root);
    state.title = body.getAttribute('data-title') || 'Gradio';
    state.docs = body.getAttribute('data-docs') || '';
    addThemeToggle();
    load().then(render, showLoadError);
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible' && state.info) refreshAnalytics();
    });
  }

  // ---------------------------------------------------------------- data

  function pathOf(url) {
    try {
      return new URL(url).pathname.replace(/\/+$/, '');
    } catch (error) {
      return '';
    }
  }

  function getJson(path) {
    return fetch(state.base + path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' }).then(
      function (response) {
        if (!response.ok) throw new Error('GET ' + path + ' answered ' + response.status);
        return response.json();
      },
    );
  }

  function load() {
    return Promise.all([getJson('/config'), getJson('/gradio_api/info'), loadAnalytics()]).then(function (results) {
      state.config = results[0];
      state.info = results[1];
      state.analytics = results[2];
      state.endpoints = publicEndpoints(state.config, state.info);
      if (!state.config.mcp_server) return undefined;
      return getJson('/gradio_api/mcp/schema').then(
        function (schema) {
          state.mcp = { tools: Array.isArray(schema) ? schema : [] };
        },
        function (error) {
          state.mcp = { error: error.message };
        },
      );
    });
  }

  // Usage analytics are optional: a 403 (monitoring off) or any failure just hides the usage lines.
  function loadAnalytics() {
    return getJson('/monitoring/summary').then(
      function (summary) {
        return summary && summary.functions ? summary : { functions: {} };
      },
      function () {
        return { functions: {} };
      },
    );
  }

  function refreshAnalytics() {
    loadAnalytics().then(function (summary) {
      state.analytics = summary;
      var lines = document.querySelectorAll('[data-usage]');
      for (var i = 0; i < lines.length; i++) {
        var fresh = usageLine(lines[i].getAttribute('data-usage'));
        lines[i].replaceWith(fresh);
      }
    });
  }

  /** Public endpoints, in fn_index order, that /gradio_api/info documents. */
  function publicEndpoints(config, info) {
    var named = (info && info.named_endpoints) || {};
    var list = [];
    (config.dependencies || []).forEach(function (dependency) {
      if (dependency.api_visibility !== 'public' || !dependency.api_name) return;
      var entry = named['/' + dependency.api_name];
      if (entry)
        list.push({
          name: dependency.api_name,
          info: entry,
          generator: !!(dependency.types && dependency.types.generator),
        });
    });
    return list;
  }

  // ---------------------------------------------------------------- DOM helpers

  function h(tag, attributes) {
    var element = document.createElement(tag);
    if (attributes) {
      Object.keys(attributes).forEach(function (key) {
        var value = attributes[key];
        if (value === undefined || value === null || value === false) return;
        if (key === 'onclick' || key === 'onkeydown' || key === 'onchange')
          element.addEventListener(key.slice(2), value);
        else if (key === 'text') element.textContent = value;
        else element.setAttribute(key, value === true ? '' : String(value));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(element, arguments[i]);
    return element;
  }

  function append(parent, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child))
      child.forEach(function (item) {
        append(parent, item);
      });
    else parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }

  function setChildren(parent) {
    while (parent.firstChild) parent.removeChild(parent.firstChild);
    for (var i = 1; i < arguments.length; i++) append(parent, arguments[i]);
  }

  function code(text) {
    return h('code', null, text);
  }

  function icon(name) {
    var paths = {
      copy: 'M9 9h10v10H9zM5 15V5h10',
      check: 'M5 12l4.5 4.5L19 7',
      sun: 'M12 4V2M12 22v-2M4 12H2M22 12h-2M5.6 5.6 4.2 4.2M19.8 19.8l-1.4-1.4M5.6 18.4l-1.4 1.4M19.8 4.2l-1.4 1.4M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z',
      moon: 'M20 14.5A8 8 0 0 1 9.5 4 8 8 0 1 0 20 14.5z',
      markdown: 'M4 6h16v12H4zM7 15V9l2.5 3L12 9v6M15 12l2 3 2-3M17 9v6',
    };
    var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', paths[name]);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '2');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
    svg.appendChild(path);
    return svg;
  }

  function plural(count, singular, pluralForm) {
    return count + ' ' + (count === 1 ? singular : pluralForm || singular + 's');
  }

  // ---------------------------------------------------------------- theme, toast, copy

  function currentTheme() {
    var chosen = document.documentElement.getAttribute('data-theme');
    if (chosen) return chosen;
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  function addThemeToggle() {
    var meta = document.querySelector('.banner-meta');
    if (!meta) return;
    var button = h('button', { type: 'button', class: 'icon-button', id: 'theme-toggle' });
    var update = function () {
      var dark = currentTheme() === 'dark';
      setChildren(button, icon(dark ? 'sun' : 'moon'));
      button.setAttribute('aria-label', dark ? 'Switch to the light theme' : 'Switch to the dark theme');
      button.setAttribute('title', dark ? 'Light theme' : 'Dark theme');
    };
    button.addEventListener('click', function () {
      var next = currentTheme() === 'dark' ? 'light' : 'dark';
      document.documentElement.setAttribute('data-theme', next);
      try {
        window.localStorage.setItem(THEME_KEY, next);
      } catch (error) {
        // not persisted
      }
      update();
    });
    update();
    meta.appendChild(button);
  }

  var toastTimer;
  function toast(message) {
    var element = document.getElementById('toast');
    if (!element) return;
    element.textContent = message;
    element.classList.add('show');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      element.classList.remove('show');
    }, 1800);
  }

  function copyText(text, button, what) {
    var done = function () {
      toast((what || 'Text') + ' copied to the clipboard');
      if (!button) return;
      var label = button.querySelector('.button-label');
      if (label) {
        var previous = label.textContent;
        label.textContent = 'Copied';
        setTimeout(function () {
          label.textContent = previous;
        }, 1500);
      }
    };
    var fail = function () {
      toast('Copying failed: select the text and copy it by hand');
    };
    document.body.setAttribute('data-last-copied', text);
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(done, function () {
        if (fallbackCopy(text)) done();
        else fail();
      });
    }
    if (fallbackCopy(text)) done();
    else fail();
    return Promise.resolve();
  }

  function fallbackCopy(text) {
    var area = h('textarea', { readonly: true, class: 'visually-hidden', 'aria-hidden': 'true' });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var copied;
    try {
      copied = document.execCommand('copy');
    } catch (error) {
      copied = false;
    }
    area.remove();
    return copied;
  }

  function copyButton(getText, label, what, extraClass) {
    var button = h(
      'button',
      { type: 'button', class: 'button copy' + (extraClass ? ' ' + extraClass : ''), 'aria-label': label },
      icon('copy'),
      h('span', { class: 'button-label' }, 'Copy'),
    );
    button.addEventListener('click', function () {
      copyText(getText(), button, what);
    });
    return button;
  }

  // ---------------------------------------------------------------- rendering

  function showLoadError(error) {
    var app = document.getElementById('app');
    setChildren(
      app,
      h(
        'div',
        { class: 'notice error', role: 'alert' },
        h('h2', null, 'The API documentation could not be loaded'),
        h('p', null, error && error.message ? error.message : String(error)),
        h(
          'p',
          null,
          'The raw description is at ',
          h('a', { href: state.base + '/gradio_api/info' }, '/gradio_api/info'),
          '.',
        ),
      ),
    );
    app.removeAttribute('aria-busy');
  }

  function initialLanguage() {
    var requested = new URLSearchParams(window.location.search).get('lang');
    if (languageById(requested)) return requested;
    // As in Gradio, the MCP tab opens first when the app serves MCP.
    return state.mcp && !state.mcp.error ? 'mcp' : 'python';
  }

  function languageById(id) {
    for (var i = 0; i < LANGUAGES.length; i++) if (LANGUAGES[i].id === id) return LANGUAGES[i];
    return null;
  }

  function render() {
    state.lang = initialLanguage();
    var app = document.getElementById('app');
    var copyMarkdown = h(
      'button',
      { type: 'button', class: 'button', id: 'copy-markdown' },
      icon('markdown'),
      h('span', { class: 'button-label' }, 'Copy as Markdown'),
    );
    copyMarkdown.addEventListener('click', function () {
      copyText(markdownDocs(state.lang), copyMarkdown, 'The ' + languageById(state.lang).label + ' docs as Markdown');
    });
    setChildren(
      app,
      h(
        'div',
        { class: 'intro' },
        h('p', null, 'Call this app from code, the command line or an AI agent. Choose a client:'),
      ),
      h('div', { class: 'toolbar' }, tabList(), copyMarkdown),
      h('section', { id: 'panel', role: 'tabpanel', tabindex: '0' }),
      footer(),
    );
    app.removeAttribute('aria-busy');
    renderPanel();
    if (window.location.hash) {
      var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      if (target) target.scrollIntoView();
    }
  }

  function tabList() {
    var list = h('div', { role: 'tablist', 'aria-label': 'Client' });
    LANGUAGES.forEach(function (language) {
      var selected = language.id === state.lang;
      var tab = h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: 'tab-' + language.id,
          'data-lang': language.id,
          'aria-selected': selected ? 'true' : 'false',
          'aria-controls': 'panel',
          tabindex: selected ? '0' : '-1',
        },
        h('span', { class: 'tab-dot', 'aria-hidden': 'true' }),
        language.label,
      );
      tab.addEventListener('click', function () {
        selectLanguage(language.id, false);
      });
      list.appendChild(tab);
    });
    list.addEventListener('keydown', function (event) {
      var order = LANGUAGES.map(function (language) {
        return language.id;
      });
      var index = order.indexOf(state.lang);
      var next = null;
      if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = order[(index + 1) % order.length];
      else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp')
        next = order[(index - 1 + order.length) % order.length];
      else if (event.key === 'Home') next = order[0];
      else if (event.key === 'End') next = order[order.length - 1];
      if (next === null) return;
      event.preventDefault();
      selectLanguage(next, true);
    });
    return list;
  }

  function selectLanguage(id, focus) {
    state.lang = id;
    var tabs = document.querySelectorAll('[role="tab"]');
    for (var i = 0; i < tabs.length; i++) {
      var selected = tabs[i].getAttribute('data-lang') === id;
      tabs[i].setAttribute('aria-selected', selected ? 'true' : 'false');
      tabs[i].setAttribute('tabindex', selected ? '0' : '-1');
      if (selected && focus) tabs[i].focus();
    }
    var url = new URL(window.location.href);
    url.searchParams.set('lang', id);
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    renderPanel();
  }

  function renderPanel() {
    var panel = document.getElementById('panel');
    panel.setAttribute('aria-labelledby', 'tab-' + state.lang);
    var language = languageById(state.lang);
    document.getElementById('banner-title').textContent = language.title;
    document.getElementById('banner-count').textContent = countText();
    if (state.lang === 'mcp') {
      setChildren(panel, mcpPanel());
      return;
    }
    setChildren(
      panel,
      steps(state.lang),
      state.endpoints.length === 0
        ? emptyState()
        : state.endpoints.map(function (endpoint) {
            return card(endpoint, state.lang);
          }),
    );
  }

  function countText() {
    if (state.lang === 'mcp') {
      if (!state.mcp || state.mcp.error) return 'MCP off';
      return plural(state.mcp.tools.filter(isTool).length, 'MCP tool');
    }
    return plural(state.endpoints.length, state.lang === 'cli' ? 'CLI endpoint' : 'API endpoint');
  }

  function isTool(entry) {
    return !entry.meta || !entry.meta.mcp_type || entry.meta.mcp_type === 'tool';
  }

  function emptyState() {
    return h(
      'div',
      { class: 'empty', id: 'no-endpoints' },
      h('h2', null, 'No API endpoints yet'),
      h('p', null, 'This app has no public endpoints at ', code(state.root), '.'),
      h(
        'p',
        null,
        'Decorate a provider method with ',
        code('@GradioApi()'),
        ' to publish one. Endpoints declared with ',
        code("apiVisibility: 'undocumented'"),
        ' or ',
        code("'private'"),
        ' are not listed here.',
      ),
    );
  }

  function command(text, what) {
    return h(
      'div',
      { class: 'command' },
      code(text),
      copyButton(
        function () {
          return text;
        },
        'Copy: ' + text,
        what,
      ),
    );
  }

  function steps(lang) {
    var guide = h('a', { href: GUIDES[lang], target: '_blank', rel: 'noopener' }, 'Read the guide');
    var items;
    if (lang === 'python') {
      items = [
        h('li', null, 'Install the Python client.', command('pip install gradio_client', 'The install command')),
        h('li', null, 'Pick an endpoint below and run its snippet. ', guide),
      ];
    } else if (lang === 'javascript') {
      items = [
        h('li', null, 'Install the JavaScript client.', command('npm i @gradio/client', 'The install command')),
        h('li', null, 'Pick an endpoint below and run its snippet in an ES module (Node 18+ or a bundler). ', guide),
      ];
    } else if (lang === 'bash') {
      items = [
        h('li', null, 'All you need is cURL.', command('curl --version', 'The command')),
        h(
          'li',
          null,
          'A call takes two requests: a ',
          code('POST'),
          ' queues it and answers an ',
          code('EVENT_ID'),
          ', then a ',
          code('GET'),
          ' streams the result — ',
          code('event: complete'),
          ' carries the outputs. ',
          guide,
          h(
            'p',
            null,
            'To send a file, upload it first with ',
            code('POST ' + state.base + '/gradio_api/upload'),
            ' and pass ',
            code('{"path": "<uploaded path>", "meta": {"_type": "gradio.FileData"}}'),
            ' as the value.',
          ),
        ),
      ];
    } else {
      var flavours = h(
        'span',
        { class: 'flavours', role: 'group', 'aria-label': 'Command line' },
        flavourButton('gradio', 'Gradio CLI'),
        flavourButton('hf gradio', 'Hugging Face CLI'),
      );
      items = [
        h(
          'li',
          null,
          'Install a command line: ',
          flavours,
          state.cliCommand === 'gradio'
            ? command('pip install --upgrade gradio', 'The install command')
            : command('hf extensions install gradio-app/hf-gradio', 'The install command'),
        ),
        h('li', null, 'Pick an endpoint below and run its command. ', guide),
      ];
    }
    return h('div', { class: 'steps' }, h('ol', null, items));
  }

  function flavourButton(value, label) {
    var button = h(
      'button',
      { type: 'button', class: 'button', 'aria-pressed': state.cliCommand === value ? 'true' : 'false' },
      label,
    );
    button.addEventListener('click', function () {
      state.cliCommand = value;
      renderPanel();
    });
    return button;
  }

  function snippetOf(endpoint, lang) {
    var snippets = endpoint.info.code_snippets || {};
    var text = snippets[lang] || '';
    if (lang === 'cli') text = text.split('{command}').join(state.cliCommand).replace(/\n+$/, '');
    return text;
  }

  function card(endpoint, lang) {
    var info = endpoint.info;
    var snippet = snippetOf(endpoint, lang);
    var label = languageById(lang).label;
    return h(
      'article',
      { class: 'endpoint', id: 'endpoint-' + endpoint.name, 'aria-labelledby': 'title-' + endpoint.name },
      h(
        'header',
        null,
        h('h2', { id: 'title-' + endpoint.name }, h('span', { class: 'label' }, 'API name'), code('/' + endpoint.name)),
        usageLine(endpoint.name),
      ),
      info.description
        ? h('p', { class: 'description' }, info.description)
        : h('p', { class: 'description muted' }, 'No description.'),
      codeBlock(snippet, lang, 'Copy the ' + label + ' snippet of /' + endpoint.name, 'The ' + label + ' snippet'),
      parametersSection(info, lang),
      returnsSection(info, lang, endpoint.generator),
    );
  }

  function codeBlock(text, lang, label, what) {
    return h(
      'div',
      { class: 'code' },
      h('pre', { tabindex: '0', 'aria-label': label.replace(/^Copy the /, '') }, highlight(text)),
      copyButton(
        function () {
          return text;
        },
        label,
        what,
      ),
    );
  }

  /** Colours strings and a few keywords; text nodes only, so nothing in a snippet can become markup. */
  function highlight(text) {
    var element = h('code');
    text.split(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/).forEach(function (part, index) {
      if (index % 2 === 1) {
        element.appendChild(h('span', { class: 'tok-string' }, part));
        return;
      }
      part.split(KEYWORDS).forEach(function (piece, position) {
        if (position % 2 === 1) element.appendChild(h('span', { class: 'tok-keyword' }, piece));
        else if (piece) element.appendChild(document.createTextNode(piece));
      });
    });
    return element;
  }

  function usageLine(name) {
    var usage = state.analytics.functions && state.analytics.functions[name];
    var line = h('p', { class: 'usage', 'data-usage': name });
    if (!usage || !usage.total_requests) {
      line.appendChild(h('span', null, 'No calls yet'));
      return line;
    }
    line.appendChild(h('span', null, plural(usage.total_requests, 'call')));
    if (usage.success_rate !== null && usage.success_rate !== undefined) {
      var rate = usage.success_rate;
      var tone = rate >= 0.99 ? 'rate-ok' : rate >= 0.9 ? 'rate-warn' : 'rate-bad';
      line.appendChild(h('span', { class: tone }, formatPercent(rate) + ' successful'));
    }
    var percentiles = usage.process_time_percentiles || {};
    ['50th', '90th', '99th'].forEach(function (key) {
      if (typeof percentiles[key] === 'number')
        line.appendChild(h('span', null, 'p' + parseInt(key, 10) + ' ' + formatSeconds(percentiles[key])));
    });
    return line;
  }

  function formatPercent(rate) {
    var percent = rate * 100;
    return (percent === 100 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)) + '%';
  }

  function formatSeconds(seconds) {
    if (seconds < 1) return Math.max(0, Math.round(seconds * 1000)) + ' ms';
    return seconds.toFixed(seconds < 10 ? 2 : 1) + ' s';
  }

  // ---------------------------------------------------------------- parameters and returns

  function parametersSection(info, lang) {
    var parameters = info.parameters || [];
    var heading =
      lang === 'bash'
        ? 'Accepts a JSON object with ' + plural(parameters.length, 'key')
        : 'Accepts ' + plural(parameters.length, 'parameter');
    if (parameters.length === 0)
      return [h('h3', null, heading), h('p', { class: 'muted' }, 'No input: call it without arguments.')];
    var rows = parameters.map(function (parameter) {
      return h(
        'tr',
        null,
        h('td', { 'data-label': 'Name' }, code(parameter.parameter_name || parameter.label)),
        h('td', { 'data-label': 'Type' }, h('code', { class: 'type' }, parameterType(parameter, lang))),
        h(
          'td',
          { 'data-label': 'Required' },
          parameter.parameter_has_default
            ? h('span', null, 'Default: ', code(formatValue(parameter.parameter_default, lang)))
            : h('span', { class: 'required yes' }, 'Required'),
        ),
        h('td', { 'data-label': 'Description' }, describe(parameter.python_type && parameter.python_type.description)),
      );
    });
    return [h('h3', null, heading), table(['Name', 'Type', 'Required', 'Description'], rows)];
  }

  function returnsSection(info, lang, generator) {
    var returns = info.returns || [];
    var heading;
    if (returns.length === 0) heading = 'Returns nothing';
    else if (returns.length === 1) heading = 'Returns 1 element';
    else if (lang === 'python') heading = 'Returns a tuple of ' + returns.length + ' elements';
    else if (lang === 'javascript') heading = 'Returns ' + returns.length + ' elements in result.data';
    else heading = 'Returns a list of ' + returns.length + ' elements';
    var note = generator
      ? h('p', { class: 'muted' }, 'Streams: each step sends a new value; the result is the last one.')
      : null;
    if (returns.length === 0) return [h('h3', null, heading), note];
    var rows = returns.map(function (output, index) {
      return h(
        'tr',
        null,
        h('td', { 'data-label': 'Position' }, code('[' + index + ']')),
        h(
          'td',
          { 'data-label': 'Type' },
          h('code', { class: 'type' }, valueType(output.type, output.python_type, lang)),
        ),
        h('td', { 'data-label': 'Description' }, describe(output.python_type && output.python_type.description)),
      );
    });
    return [h('h3', null, heading), note, table(['Position', 'Type', 'Description'], rows)];
  }

  function table(headings, rows) {
    return h(
      'table',
      { class: 'stack' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headings.map(function (heading) {
            return h('th', { scope: 'col' }, heading);
          }),
        ),
      ),
      h('tbody', null, rows),
    );
  }

  function describe(text) {
    return text
      ? h('span', null, text)
      : h('span', { class: 'muted no-description', 'aria-label': 'no description' }, '—');
  }

  function parameterType(parameter, lang) {
    var type = valueType(parameter.type, parameter.python_type, lang);
    if (
      lang === 'python' &&
      parameter.parameter_has_default &&
      parameter.parameter_default === null &&
      !/\bNone\b/.test(type)
    ) {
      type += ' | None';
    }
    return type;
  }

  function valueType(schema, pythonType, lang) {
    if (lang === 'python') return (pythonType && pythonType.type) || 'Any';
    return schemaType(schema, lang === 'javascript');
  }

  /** A schema as a TypeScript type (JavaScript tab) or as JSON types (cURL and CLI tabs). */
  function schemaType(schema, typescript) {
    if (!schema || typeof schema !== 'object' || Object.keys(schema).length === 0)
      return typescript ? 'any' : 'any JSON';
    if (isFileData(schema)) return 'FileData';
    if ('const' in schema) return JSON.stringify(schema.const);
    if (schema.enum)
      return schema.enum
        .map(function (value) {
          return JSON.stringify(value);
        })
        .join(' | ');
    var members = schema.oneOf || schema.anyOf;
    if (members)
      return members
        .map(function (member) {
          return schemaType(member, typescript);
        })
        .join(' | ');
    if (schema.allOf)
      return schema.allOf
        .map(function (member) {
          return schemaType(member, typescript);
        })
        .join(' & ');
    if (Array.isArray(schema.type)) {
      return schema.type
        .map(function (type) {
          return schemaType(Object.assign({}, schema, { type: type }), typescript);
        })
        .join(' | ');
    }
    switch (schema.type) {
      case 'integer':
        return typescript ? 'number' : 'integer';
      case 'string':
      case 'number':
      case 'boolean':
      case 'null':
        return schema.type;
      case 'array':
        if (schema.prefixItems)
          return (
            '[' +
            schema.prefixItems
              .map(function (item) {
                return schemaType(item, typescript);
              })
              .join(', ') +
            ']'
          );
        var item = schemaType(schema.items, typescript);
        return typescript ? (/[ |&]/.test(item) ? '(' + item + ')' : item) + '[]' : 'array of ' + item;
      default:
        if (schema.properties) {
          var required = schema.required || [];
          return (
            '{ ' +
            Object.keys(schema.properties)
              .map(function (key) {
                return (
                  key + (required.indexOf(key) >= 0 ? '' : '?') + ': ' + schemaType(schema.properties[key], typescript)
                );
              })
              .join('; ') +
            ' }'
          );
        }
        if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          return typescript
            ? 'Record<string, ' + schemaType(schema.additionalProperties, true) + '>'
            : 'object of ' + schemaType(schema.additionalProperties, false);
        }
        return schema.type === 'object'
          ? typescript
            ? 'Record<string, any>'
            : 'object'
          : typescript
            ? 'any'
            : 'any JSON';
    }
  }

  function isFileData(schema) {
    var meta = schema.properties && schema.properties.meta;
    var kind = meta && meta.properties && meta.properties._type;
    return !!(schema.properties && schema.properties.path && kind && kind.const === 'gradio.FileData');
  }

  /** A default value the way the tab's language writes it. */
  function formatValue(value, lang) {
    var json = JSON.stringify(value === undefined ? null : value);
    if (lang !== 'python') return json;
    if (value === null || value === undefined) return 'None';
    if (value === true) return 'True';
    if (value === false) return 'False';
    return json;
  }

  // ---------------------------------------------------------------- MCP

  function mcpUrl() {
    return state.root + '/gradio_api/mcp/';
  }

  function mcpPanel() {
    if (!state.mcp) {
      return h(
        'div',
        { class: 'notice left', id: 'mcp-off' },
        h('h2', null, 'MCP is off for this app'),
        h(
          'p',
          null,
          "Turn it on to let AI agents — Claude, Cursor, VS Code and any other MCP client — call this app's endpoints as tools:",
        ),
        command('GradioModule.forRoot({ mcpServer: true })', 'The option'),
        h(
          'p',
          null,
          'or start the app with the environment variable ',
          code('GRADIO_MCP_SERVER=true'),
          '. Methods marked with ',
          code('@McpTool()'),
          ' become tools, with the schemas and descriptions shown on the other tabs.',
        ),
        h(
          'p',
          null,
          h('a', { href: GUIDES.mcp, target: '_blank', rel: 'noopener' }, 'Read about MCP servers in the Gradio docs'),
        ),
      );
    }
    if (state.mcp.error) {
      return h(
        'div',
        { class: 'notice error', role: 'alert' },
        h('h2', null, 'The MCP tools could not be loaded'),
        h('p', null, state.mcp.error),
      );
    }
    var tools = state.mcp.tools;
    var counts = { tool: 0, resource: 0, prompt: 0 };
    tools.forEach(function (entry) {
      counts[(entry.meta && entry.meta.mcp_type) || 'tool'] += 1;
    });
    var summary = [plural(counts.tool, 'tool')];
    if (counts.resource) summary.push(plural(counts.resource, 'resource'));
    if (counts.prompt) summary.push(plural(counts.prompt, 'prompt'));
    var hasFiles = tools.some(function (entry) {
      return entry.meta && entry.meta.file_data_present;
    });
    var configBlock = h('div', { id: 'mcp-config' });
    var transport = h(
      'span',
      { class: 'flavours', role: 'group', 'aria-label': 'Transport' },
      transportButton('http', 'Streamable HTTP', configBlock),
      transportButton('stdio', 'STDIO (mcp-remote)', configBlock),
    );
    var section = h(
      'div',
      { id: 'mcp-on' },
      h(
        'div',
        { class: 'steps' },
        h('p', null, 'This app is an MCP server. Point your MCP client at its URL:'),
        h(
          'div',
          { class: 'mcp-url' },
          h('label', { class: 'visually-hidden', for: 'mcp-url-input' }, 'MCP server URL (Streamable HTTP)'),
          h('input', { id: 'mcp-url-input', type: 'text', readonly: true, value: mcpUrl() }),
          copyButton(
            function () {
              return mcpUrl();
            },
            'Copy the MCP server URL',
            'The MCP server URL',
          ),
        ),
        h('p', null, 'Claude Code: ', code('claude mcp add --transport http gradio ' + mcpUrl())),
      ),
      h('h2', null, summary.join(', ')),
      tools.length === 0
        ? h('p', { class: 'muted' }, 'No tools yet: mark a provider method with @McpTool().')
        : h('div', { class: 'tools' }, tools.map(toolEntry)),
      h('h2', null, 'Client configuration'),
      h(
        'p',
        null,
        "Add this to your MCP client's configuration (for example ",
        code('claude_desktop_config.json'),
        ', ',
        code('.cursor/mcp.json'),
        ' or ',
        code('.vscode/mcp.json'),
        '). Transport: ',
        transport,
      ),
      hasFiles ? uploadToggle(configBlock) : null,
      configBlock,
    );
    renderConfig(configBlock);
    return section;
  }

  function transportButton(value, label, configBlock) {
    var button = h(
      'button',
      {
        type: 'button',
        class: 'button',
        'data-transport': value,
        'aria-pressed': state.mcpTransport === value ? 'true' : 'false',
      },
      label,
    );
    button.addEventListener('click', function () {
      state.mcpTransport = value;
      var buttons = document.querySelectorAll('[data-transport]');
      for (var i = 0; i < buttons.length; i++)
        buttons[i].setAttribute('aria-pressed', buttons[i].getAttribute('data-transport') === value ? 'true' : 'false');
      renderConfig(configBlock);
    });
    return button;
  }

  function uploadToggle(configBlock) {
    var box = h('input', { type: 'checkbox', id: 'upload-tool', checked: state.includeUploadTool });
    box.addEventListener('change', function () {
      state.includeUploadTool = box.checked;
      renderConfig(configBlock);
    });
    return h(
      'p',
      null,
      box,
      ' ',
      h(
        'label',
        { for: 'upload-tool' },
        "Include Gradio's file upload tool (some tools take files; it uploads local files for them, and needs ",
        code('uvx'),
        ')',
      ),
    );
  }

  function mcpConfig() {
    var headers = [];
    state.mcp.tools.forEach(function (entry) {
      ((entry.meta && entry.meta.headers) || []).forEach(function (header) {
        if (headers.indexOf(header) < 0) headers.push(header);
      });
    });
    var server;
    if (state.mcpTransport === 'http') {
      server = { url: mcpUrl() };
    } else {
      var args = ['mcp-remote', mcpUrl()];
      headers.forEach(function (header) {
        args.push('--header', header + ': <YOUR_HEADER_VALUE>');
      });
      server = { command: 'npx', args: args };
    }
    var servers = { gradio: server };
    var hasFiles = state.mcp.tools.some(function (entry) {
      return entry.meta && entry.meta.file_data_present;
    });
    if (hasFiles && state.includeUploadTool) {
      servers.upload_files_to_gradio = {
        command: 'uvx',
        args: ['--from', 'gradio[mcp]', 'gradio', 'upload-mcp', state.root + '/', '<UPLOAD_DIRECTORY>'],
      };
    }
    return JSON.stringify({ mcpServers: servers }, null, 2);
  }

  function renderConfig(block) {
    var text = mcpConfig();
    setChildren(block, codeBlock(text, 'json', 'Copy the MCP client configuration', 'The MCP configuration'));
  }

  function toolEntry(entry) {
    var schema = entry.inputSchema || {};
    var properties = schema.properties || {};
    var required = schema.required || [];
    var names = Object.keys(properties);
    var kind = (entry.meta && entry.meta.mcp_type) || 'tool';
    var endpointName = entry.meta && entry.meta.endpoint_name;
    var rows = names.map(function (name) {
      var property = properties[name];
      return h(
        'tr',
        null,
        h('td', { 'data-label': 'Name' }, code(name)),
        h('td', { 'data-label': 'Type' }, h('code', { class: 'type' }, schemaType(property, false))),
        h(
          'td',
          { 'data-label': 'Required' },
          required.indexOf(name) >= 0
            ? h('span', { class: 'required yes' }, 'Required')
            : property && 'default' in property
              ? h('span', null, 'Default: ', code(JSON.stringify(property['default'])))
              : 'Optional',
        ),
        h('td', { 'data-label': 'Description' }, describe(property && property.description)),
      );
    });
    return h(
      'details',
      { class: 'tool', 'data-tool': entry.name },
      h(
        'summary',
        null,
        h('span', { class: 'kind' }, kind),
        code(entry.name),
        h('span', { class: entry.description ? '' : 'muted' }, entry.description || 'No description'),
        endpointName ? usageLine(endpointName) : null,
      ),
      h(
        'div',
        { class: 'tool-body' },
        names.length === 0
          ? h('p', { class: 'muted' }, 'Takes no input.')
          : table(['Name', 'Type', 'Required', 'Description'], rows),
        h('h3', null, 'Input schema'),
        codeBlock(
          JSON.stringify(schema, null, 2),
          'json',
          'Copy the input schema of ' + entry.name,
          'The input schema',
        ),
      ),
    );
  }

  // ---------------------------------------------------------------- footer and Markdown

  function footer() {
    return h(
      'footer',
      { class: 'footer' },
      h('a', { href: state.base + '/gradio_api/info' }, 'API info (JSON)'),
      h('a', { href: state.base + '/gradio_api/openapi.json' }, 'OpenAPI document'),
      state.docs ? h('a', { href: state.base + state.docs }, 'Swagger UI') : null,
      h('span', null, "Served by nest-gradio, compatible with Gradio's clients"),
    );
  }

  function markdownDocs(lang) {
    var language = languageById(lang);
    var lines = ['# ' + state.title + ': ' + language.title, '', 'App URL: ' + state.root, ''];
    if (lang === 'mcp') return lines.concat(markdownMcp()).join('\n');
    var fence = { python: 'python', javascript: 'javascript', bash: 'bash', cli: 'bash' }[lang];
    var install = {
      python: 'pip install gradio_client',
      javascript: 'npm i @gradio/client',
      bash: 'curl --version',
      cli: 'pip install --upgrade gradio',
    }[lang];
    lines.push('Client: ' + language.label + ' (' + tick(install) + ')', '');
    if (state.endpoints.length === 0) lines.push('This app has no public API endpoints.');
    state.endpoints.forEach(function (endpoint) {
      var info = endpoint.info;
      lines.push('## /' + endpoint.name, '');
      if (info.description) lines.push(info.description, '');
      lines.push(FENCE + fence, snippetOf(endpoint, lang), FENCE, '');
      var parameters = info.parameters || [];
      if (parameters.length > 0) {
        lines.push('Parameters:', '', '| Name | Type | Required | Description |', '| --- | --- | --- | --- |');
        parameters.forEach(function (parameter) {
          lines.push(
            '| ' +
              tick(parameter.parameter_name) +
              ' | ' +
              tick(cell(parameterType(parameter, lang))) +
              ' | ' +
              (parameter.parameter_has_default
                ? 'Default: ' + tick(cell(formatValue(parameter.parameter_default, lang)))
                : 'Required') +
              ' | ' +
              cell((parameter.python_type && parameter.python_type.description) || '') +
              ' |',
          );
        });
        lines.push('');
      }
      var returns = info.returns || [];
      if (returns.length > 0) {
        lines.push(
          'Returns: ' +
            returns
              .map(function (output, index) {
                return '[' + index + '] ' + tick(cell(valueType(output.type, output.python_type, lang)));
              })
              .join(', '),
          '',
        );
      }
    });
    return lines.join('\n');
  }

  function markdownMcp() {
    if (!state.mcp || state.mcp.error) {
      return [
        'MCP is off for this app. Turn it on with ' +
          tick('GradioModule.forRoot({ mcpServer: true })') +
          ' or ' +
          tick('GRADIO_MCP_SERVER=true') +
          '.',
      ];
    }
    var lines = ['MCP server URL (Streamable HTTP): ' + mcpUrl(), ''];
    state.mcp.tools.forEach(function (entry) {
      lines.push('## ' + entry.name, '');
      if (entry.description) lines.push(entry.description, '');
      lines.push(FENCE + 'json', JSON.stringify(entry.inputSchema || {}, null, 2), FENCE, '');
    });
    lines.push('## Client configuration', '', FENCE + 'json', mcpConfig(), FENCE);
    return lines;
  }

  function tick(text) {
    return TICK + text + TICK;
  }

  function cell(text) {
    return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  }
})();
