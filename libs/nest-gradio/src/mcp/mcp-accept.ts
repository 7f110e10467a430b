import { type HttpRequest, nodeRequestOf } from '../http/http-exchange.js';

const BOTH = 'application/json, text/event-stream';

/**
 * MCP's streamable HTTP transport refuses (406) a POST whose `Accept` header does not name both `application/json`
 * and `text/event-stream`. A request without the header, or with a range for any media type (not at `q=0`), accepts
 * both by HTTP's rules (RFC 9110 §12.5.1) — it is what generic HTTP tools send — so it is given the header the
 * transport reads; a header that names types without both keeps its 406.
 */
export function acceptBothWhenAnyIsAccepted(request: HttpRequest): void {
  const node = nodeRequestOf(request);
  const accept = node.headers.accept;
  if (accept !== undefined && !acceptsAnything(accept)) return;
  node.headers.accept = BOTH;
}

function acceptsAnything(accept: string): boolean {
  return accept.split(',').some((range) => {
    const [type, ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    return type === '*/*' && !parameters.some((parameter) => /^q=0(\.0*)?$/.test(parameter));
  });
}
