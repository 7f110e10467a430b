// `POST /gradio_api/queue/join` (docs/protocol.md#routes, docs/protocol.md#predict-body, docs/protocol.md#identities).
import { fnIndexes, newSessionHash, readSession } from '../support/protocol.js';
import { postJson } from '../support/sse.js';
import { startShowcase, type RunningApp } from '../support/start-app.js';

describe('conformance: queue/join', () => {
  let app: RunningApp;
  let add: number;
  const joinUrl = (): string => `${app.url}/gradio_api/queue/join`;

  beforeAll(async () => {
    app = await startShowcase();
    add = (await fnIndexes(app.url))['add'] as number;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('queue/join without session_hash → 400 {"detail":"Session hash not found."}', async () => {
    const response = await fetch(joinUrl(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: [3, 5], fn_index: add }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ detail: 'Session hash not found.' });
  });

  it('queue/join without data → 422; without fn_index → 400 {"detail":"No function index provided."}', async () => {
    const noData = await postJson(joinUrl(), { fn_index: add, session_hash: newSessionHash() });
    expect(noData.status).toBe(422);
    expect((noData.json as { detail: unknown[] }).detail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'missing', loc: ['body', 'data'], msg: 'Field required' }),
      ]),
    );
    const noIndex = await postJson(joinUrl(), { data: [3, 5], session_hash: newSessionHash() });
    expect(noIndex).toEqual({ status: 400, json: { detail: 'No function index provided.' } });
  });

  it('queue/join with an unknown fn_index → 404 JSON {detail} (nest-gradio; Gradio answers 500; a deliberate difference, see the README)', async () => {
    const { status, json } = await postJson(joinUrl(), { data: [], fn_index: 9999, session_hash: newSessionHash() });
    expect(status).toBe(404);
    expect(typeof (json as { detail: unknown }).detail).toBe('string');
  });

  it('queue/join answers {"event_id": <unique 32 hex>} for a minimal body and ignores unknown keys', async () => {
    const sessions: string[] = [];
    const ids: string[] = [];
    for (let index = 0; index < 10; index++) {
      const session = newSessionHash();
      sessions.push(session);
      const body: Record<string, unknown> = { data: [index, 1], fn_index: add, session_hash: session };
      // Every other join also carries what clients may add, and keys no client sends: all ignored.
      if (index % 2 === 1)
        Object.assign(body, { event_data: null, trigger_id: null, event_id: 'mine', unknown_key: { x: 1 } });
      const { status, json } = await postJson(joinUrl(), body);
      expect(status).toBe(200);
      expect(Object.keys(json as object)).toEqual(['event_id']);
      ids.push((json as { event_id: string }).event_id);
    }
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const results = await Promise.all(sessions.map((session) => readSession(app.url, session)));
    results.forEach(({ messages }, index) => {
      const completed = messages.find((message) => message.msg === 'process_completed');
      expect(completed).toMatchObject({ event_id: ids[index], success: true, output: { data: [index + 1] } });
    });
  });
});
