import { lookup as dnsLookup } from 'node:dns/promises';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './public-address.js';

/** The URL may not be fetched: not http(s), unresolvable, or it (or a redirect) leads to a non-public address. */
export class UrlNotAllowedError extends Error {}

/** The fetch itself failed: connection error, timeout, or too many redirects. */
export class UrlFetchError extends Error {}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface SafeFetchOptions {
  method?: 'GET' | 'HEAD';
  /** Request headers to send (e.g. `Range`); nothing else from the client's request is forwarded. */
  headers?: Record<string, string>;
  /** Host names (lower case) that may resolve to non-public addresses, e.g. an internal file service. */
  allowedHosts?: ReadonlySet<string>;
  /** Redirects followed, each checked like the first URL. Default 20 (Gradio's). */
  maxRedirects?: number;
  /** Longest silence on the connection (connecting, or waiting for bytes) before the fetch fails. */
  timeoutMs?: number;
  /** Name resolution; replaceable in tests. Default: the system resolver (`dns.lookup`, all addresses). */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

/** A response from an allowed address, and the URL it came from after redirects. */
export interface SafeResponse {
  response: IncomingMessage;
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches an http(s) URL on the server's side without letting the URL reach this machine or its networks (SSRF):
 * the host is resolved first, every address it resolves to must be public, and the connection is made to that
 * checked address — a second DNS answer cannot swap in an internal one. Redirects are followed by hand, each hop
 * checked again; no client header or cookie is forwarded except those given.
 */
export async function safeFetch(url: string, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const maxRedirects = options.maxRedirects ?? 20;
  let current = url;
  const method = options.method ?? 'GET';
  for (let redirects = 0; ; redirects++) {
    const target = parseTarget(current);
    const address = await checkedAddress(target, options);
    const response = await send(target, address, method, options);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || !location) return { response, url: current };
    response.destroy();
    if (redirects >= maxRedirects) throw new UrlFetchError(`More than ${maxRedirects} redirects.`);
    try {
      current = new URL(location, current).toString();
    } catch {
      throw new UrlFetchError(`Invalid redirect location: ${location}`);
    }
  }
}

function parseTarget(url: string): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new UrlNotAllowedError(`Not a valid URL: ${url}`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new UrlNotAllowedError(`Only http(s) URLs can be fetched: ${url}`);
  }
  if (!target.hostname) throw new UrlNotAllowedError(`The URL has no host: ${url}`);
  // Credentials in the URL would be sent on to whatever it redirects to.
  if (target.username || target.password) throw new UrlNotAllowedError('URLs with credentials are not fetched.');
  return target;
}

async function checkedAddress(target: URL, options: SafeFetchOptions): Promise<ResolvedAddress> {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const trusted = options.allowedHosts?.has(host) ?? false;
  const family = isIP(host);
  if (family !== 0) {
    if (!trusted && !isPublicAddress(host)) throw new UrlNotAllowedError(`${host} is not a public address.`);
    return { address: host, family };
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await (options.resolve ?? resolveAll)(host);
  } catch {
    throw new UrlNotAllowedError(`${host} does not resolve.`);
  }
  const first = addresses[0];
  if (!first) throw new UrlNotAllowedError(`${host} does not resolve.`);
  if (!trusted && !addresses.every((candidate) => isPublicAddress(candidate.address))) {
    throw new UrlNotAllowedError(`${host} resolves to a non-public address.`);
  }
  return first;
}

async function resolveAll(host: string): Promise<ResolvedAddress[]> {
  return dnsLookup(host, { all: true, verbatim: true });
}

function send(
  target: URL,
  address: ResolvedAddress,
  method: string,
  options: SafeFetchOptions,
): Promise<IncomingMessage> {
  // Connect to the address that was checked, whatever the resolver would answer now (DNS rebinding).
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) {
      (callback as unknown as (error: null, addresses: ResolvedAddress[]) => void)(null, [address]);
    } else {
      callback(null, address.address, address.family);
    }
  };
  const requestFn = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = requestFn(
      {
        protocol: target.protocol,
        hostname: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port || undefined,
        path: `${target.pathname}${target.search}`,
        method,
        headers: { ...options.headers, host: target.host },
        lookup: pinned,
        agent: false,
        timeout: options.timeoutMs ?? 30_000,
      },
      (response) => {
        response.setTimeout(options.timeoutMs ?? 30_000, () =>
          response.destroy(new UrlFetchError('The server stopped sending.')),
        );
        resolve(response);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new UrlFetchError(`No answer from ${target.host}.`)));
    outgoing.on('error', (error) => reject(error instanceof UrlFetchError ? error : new UrlFetchError(error.message)));
    outgoing.end();
  });
}
