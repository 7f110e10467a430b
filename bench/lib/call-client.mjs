// Gradio's curl protocol: `POST call/{name}` with positional `data` answers an event id; `GET call/{name}/{id}`
// streams `event:`/`data:` blocks and ends after `complete` (or `error`). Like curl, a call reads its stream to the
// end; its latency is taken when `complete` arrives.
import { parseEventBlock, SseSplitter } from './sse.mjs';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** One call; resolves with its blocks and times, rejects on HTTP or framing errors. */
export async function callOnce(pools, apiName, data) {
  const sentAt = performance.now();
  const post = await pools.requests.request({
    path: `${pools.prefix}/gradio_api/call/${apiName}`,
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ data }),
  });
  const text = await post.body.text();
  if (post.statusCode !== 200) throw new Error(`call/${apiName} answered ${post.statusCode}: ${text.slice(0, 200)}`);
  const eventId = JSON.parse(text).event_id;
  const get = await pools.streams.request({
    path: `${pools.prefix}/gradio_api/call/${apiName}/${eventId}`,
    method: 'GET',
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  if (get.statusCode !== 200) {
    const body = await get.body.text();
    throw new Error(`GET call/${apiName}/{id} answered ${get.statusCode}: ${body.slice(0, 200)}`);
  }
  const events = [];
  let completedAt = 0;
  const splitter = new SseSplitter();
  for await (const chunk of get.body) {
    const at = performance.now();
    for (const block of splitter.push(chunk)) {
      const event = parseEventBlock(block);
      if (event.event === 'heartbeat') continue;
      events.push(event);
      if ((event.event === 'complete' || event.event === 'error') && completedAt === 0) completedAt = at;
    }
  }
  if (splitter.rest.length > 0)
    throw new Error(`call stream ended mid-block: ${JSON.stringify(splitter.rest.slice(0, 80))}`);
  return { sentAt, completedAt, endedAt: performance.now(), events };
}
