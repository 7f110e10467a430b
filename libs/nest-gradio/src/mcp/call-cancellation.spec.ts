import { CallCancellation } from './call-cancellation.js';

describe('CallCancellation', () => {
  it('tells each listener once, on the first abort, and is aborted from then on', () => {
    const cancellation = new CallCancellation();
    const heard: string[] = [];
    cancellation.addEventListener('abort', () => heard.push('first'));
    cancellation.addEventListener('abort', () => heard.push('second'));
    expect(cancellation.aborted).toBe(false);
    cancellation.abort();
    cancellation.abort();
    expect(cancellation.aborted).toBe(true);
    expect(heard).toEqual(['first', 'second']);
  });

  it('does not tell a listener that was removed', () => {
    const cancellation = new CallCancellation();
    const heard: string[] = [];
    const removed = (): void => void heard.push('removed');
    cancellation.addEventListener('abort', removed);
    cancellation.addEventListener('abort', () => heard.push('kept'));
    cancellation.removeEventListener('abort', removed);
    cancellation.abort();
    expect(heard).toEqual(['kept']);
  });

  it('does not call a listener added after the abort, as an aborted AbortSignal fires no more events', () => {
    const cancellation = new CallCancellation();
    const native = new AbortController();
    cancellation.abort();
    native.abort();
    const heard: string[] = [];
    cancellation.addEventListener('abort', () => heard.push('ours'));
    native.signal.addEventListener('abort', () => heard.push('native'));
    expect(heard).toEqual([]);
  });
});
