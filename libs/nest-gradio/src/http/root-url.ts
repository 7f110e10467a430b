import type { IncomingHttpHeaders } from 'node:http';
import { type HttpRequest, requestUrlOf } from './http-exchange.js';

/** What the root URL is worked out from: the request's headers, URL (as the client sent it) and transport. */
export interface RootUrlSource {
  readonly headers: IncomingHttpHeaders;
  readonly url: string;
  readonly encrypted: boolean;
}

/**
 * The public base URL of the app as the client reached it (`config.root`, docs/protocol.md#root-url), computed per request
 * so that one request's forwarded headers never leak into another's. Clients build every later URL from it.
 */
export function rootUrlOf(request: HttpRequest, rootPath: string): string {
  return rootUrlFrom(rootUrlSourceOf(request), rootPath);
}

/** What of a request the root URL needs, so that it can be worked out later without holding the request. */
export function rootUrlSourceOf(request: HttpRequest): RootUrlSource {
  const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
  return { headers: request.headers, url: requestUrlOf(request), encrypted };
}

/** {@link rootUrlOf} from what {@link rootUrlSourceOf} kept of the request. */
export function rootUrlFrom(request: RootUrlSource, rootPath: string): string {
  if (/^https?:\/\//i.test(rootPath)) return rootPath.replace(/\/+$/, '');
  const forwardedHost = firstValue(request.headers['x-forwarded-host']);
  const gradioServer = firstValue(request.headers['x-gradio-server']);
  let url: URL;
  if (forwardedHost) {
    url = new URL(`http://${forwardedHost}`);
  } else {
    const scheme = request.encrypted ? 'https' : 'http';
    url = new URL(gradioServer ?? `${scheme}://${request.headers.host ?? 'localhost'}${request.url}`);
    url.pathname = withoutGradioRoute(url.pathname);
  }
  url.search = '';
  url.hash = '';
  if (firstValue(request.headers['x-forwarded-proto'])?.toLowerCase() === 'https') url.protocol = 'https:';
  if (rootPath && rootPath !== url.pathname) url.pathname = rootPath;
  return url.toString().replace(/\/+$/, '');
}

/** Strips the Gradio route (`/config`, `/gradio_api/…`) from a request path, keeping any mount prefix. */
function withoutGradioRoute(pathname: string): string {
  const path = pathname.replace(/\/+$/, '');
  if (path.endsWith('/config')) return path.slice(0, -'/config'.length);
  const api = path.indexOf('/gradio_api/');
  return api >= 0 ? path.slice(0, api) : path;
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',')[0]?.trim() || undefined;
}
