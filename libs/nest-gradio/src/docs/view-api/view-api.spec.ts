import { Script } from 'node:vm';
import type { Endpoint } from '../../discovery/endpoint.interface.js';
import { VIEW_API_ASSETS } from './view-api.assets.js';
import { renderViewApiPage } from './view-api.page.js';

const VIEW_API_SCRIPT = VIEW_API_ASSETS.js.body;

const endpoint = (apiName: string, apiVisibility: Endpoint['apiVisibility'], description = ''): Endpoint =>
  ({ apiName, apiVisibility, description }) as Endpoint;

describe('the View API page', () => {
  it('ships a script that parses, and builds its DOM without HTML strings', () => {
    expect(() => new Script(VIEW_API_SCRIPT)).not.toThrow();
    expect(VIEW_API_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });

  it('links its assets under the root path with a content hash, and loads nothing from elsewhere', () => {
    const html = renderViewApiPage({ root: 'https://example.com/app', title: 'T', endpoints: [], docsPath: undefined });
    expect(html).toContain(`<script src="/app/gradio_api/view_api/page.js?v=${VIEW_API_ASSETS.js.version}"></script>`);
    expect(html).toContain(
      `<link rel="stylesheet" href="/app/gradio_api/view_api/page.css?v=${VIEW_API_ASSETS.css.version}">`,
    );
    const external = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((match) => match[1])
      .filter((url) => /^(https?:)?\/\//.test(url ?? ''));
    expect(external).toEqual([
      'https://example.com/app/gradio_api/info',
      'https://example.com/app/gradio_api/openapi.json',
    ]);
    expect(html).not.toMatch(/<script>|<style>| on\w+=/);
  });

  it('counts and lists only public endpoints, with everything escaped', () => {
    const html = renderViewApiPage({
      root: 'http://h',
      title: '<b>"Mine"</b>',
      endpoints: [
        endpoint('shown', 'public', 'Says <hi> & "bye"'),
        endpoint('undoc', 'undocumented'),
        endpoint('priv', 'private'),
      ],
      docsPath: '/docs',
    });
    expect(html).toContain('<span class="pill" id="banner-count">1 API endpoint</span>');
    expect(html).toContain('<code>/shown</code> — Says &#60;hi&#62; &#38; &#34;bye&#34;');
    expect(html).not.toMatch(/undoc|priv/);
    expect(html).toContain('<title>&#60;b&#62;&#34;Mine&#34;&#60;/b&#62; · API documentation</title>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('data-docs="/docs"');
  });

  it('says so when no endpoint is public', () => {
    const html = renderViewApiPage({
      root: 'http://h',
      title: 'T',
      endpoints: [endpoint('p', 'private')],
      docsPath: undefined,
    });
    expect(html).toContain('0 API endpoints');
    expect(html).toContain('This app has no public API endpoints.');
  });
});
