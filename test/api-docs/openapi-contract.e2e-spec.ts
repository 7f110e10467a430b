// The answers agree with `/gradio_api/openapi.json`: what it declares is accepted, what it does not is refused with
// the status it documents — found by fuzzing the document (schemathesis), each case pinned here by hand.
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { rawRequest } from '../support/http.js';

let app: RunningApp;

beforeAll(async () => {
  app = await startGradioApp();
});

afterAll(async () => {
  await app.close();
});

const json = { 'Content-Type': 'application/json' };

describe('methods a documented path does not take', () => {
  it.each([
    ['TRACE', '/gradio_api/call/v2/add', 'POST, OPTIONS'],
    ['PUT', '/gradio_api/call/add', 'POST, OPTIONS'],
    ['DELETE', '/gradio_api/upload', 'POST, OPTIONS'],
    ['POST', '/gradio_api/call/add/some-event', 'GET, HEAD, OPTIONS'],
  ])('%s %s answers 405 with an Allow header', async (method, path, allow) => {
    const response = await rawRequest(`${app.url}${path}`, { method });
    expect(response.status).toBe(405);
    expect(response.headers['allow']).toBe(allow);
    expect(JSON.parse(response.body)).toMatchObject({
      statusCode: 405,
      message: `${method} is not allowed on ${path}; it answers ${allow.replace(', OPTIONS', '').replace(', ', ' and ')}.`,
    });
  });

  it('GET call/v2/<name> is the POST-only route, not a result stream', async () => {
    const response = await rawRequest(`${app.url}/gradio_api/call/v2/add`);
    expect(response.status).toBe(405);
    expect(response.headers['allow']).toBe('POST, OPTIONS');
  });

  it('OPTIONS (not a CORS preflight) lists the methods with 204', async () => {
    const response = await rawRequest(`${app.url}/gradio_api/call/v2/add`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers['allow']).toBe('POST, OPTIONS');
  });

  it('the documented methods still work on those paths', async () => {
    const posted = await rawRequest(`${app.url}/gradio_api/call/v2/add`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ a: 1, b: 2 }),
    });
    expect(posted.status).toBe(200);
    const { event_id: eventId } = JSON.parse(posted.body) as { event_id: string };
    const stream = await rawRequest(`${app.url}/gradio_api/call/add/${eventId}`);
    expect(stream.status).toBe(200);
    expect(stream.body).toContain('event: complete\ndata: [3]');
  });
});

describe('call/ refuses a value of the wrong type before queueing it (422)', () => {
  it('names the parameter and the problem', async () => {
    const response = await rawRequest(`${app.url}/gradio_api/call/v2/add`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ a: true, b: 2 }),
    });
    expect(response.status).toBe(422);
    expect(JSON.parse(response.body).detail).toBe('Invalid argument for /add: a must be an integer, got true.');
  });

  it('in the positional form too', async () => {
    const response = await rawRequest(`${app.url}/gradio_api/call/add`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ data: [1, 'two'] }),
    });
    expect(response.status).toBe(422);
    expect(JSON.parse(response.body).detail).toMatch(/^Invalid argument for \/add: b /);
  });

  it('a file argument must be a path or an object with one', async () => {
    const response = await rawRequest(`${app.url}/gradio_api/call/v2/file_size`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ file: { path: '', meta: { _type: 'gradio.FileData' } } }),
    });
    expect(response.status).toBe(422);
    expect(JSON.parse(response.body).detail).toMatch(/^Invalid file for \/file_size: file must be a file: /);
  });

  it('null for an argument with a default means the default', async () => {
    const response = await rawRequest(`${app.url}/gradio_api/call/v2/slow_echo`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ text: 'hi', seconds: null }),
    });
    expect(response.status).toBe(200);
  });

  it('a body that is not JSON gets the 400 the document declares', async () => {
    const response = await rawRequest(`${app.url}/gradio_api/call/v2/add`, {
      method: 'POST',
      headers: json,
      body: '{"a": 1,',
    });
    expect(response.status).toBe(400);
    const document = (await (await fetch(`${app.url}/gradio_api/openapi.json`)).json()) as {
      paths: Record<string, { post: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(document.paths['/gradio_api/call/v2/add']?.post.responses ?? {})).toContain('400');
  });
});

describe('upload', () => {
  const boundary = 'contract-boundary';
  const multipart = (part: string): { method: string; headers: Record<string, string>; body: string } => ({
    method: 'POST',
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    body: `--${boundary}\r\n${part}\r\n--${boundary}--\r\n`,
  });

  it('text sent under "files" (a path instead of the file) is a 400 that says so', async () => {
    const response = await rawRequest(
      `${app.url}/gradio_api/upload`,
      multipart('Content-Disposition: form-data; name="files"\r\n\r\n/tmp/photo.png'),
    );
    expect(response.status).toBe(400);
    expect(response.body).toBe('The field "files" must hold files (parts with a filename), not text.');
  });

  it('a part under another name is a 400 naming it', async () => {
    const response = await rawRequest(
      `${app.url}/gradio_api/upload`,
      multipart('Content-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello'),
    );
    expect(response.status).toBe(400);
    expect(response.body).toBe(
      'Unexpected form field "file": an upload sends its files under "files" and nothing else.',
    );
  });

  it('a body without parts stores nothing and answers an empty list, as Gradio does', async () => {
    const response = await rawRequest(`${app.url}/gradio_api/upload`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: `--${boundary}--\r\n`,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual([]);
  });
});
