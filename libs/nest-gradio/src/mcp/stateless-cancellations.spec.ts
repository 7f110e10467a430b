import type { Request } from 'express';
import { clientOf, StatelessCancellations } from './stateless-cancellations.js';

function request(address: string, headers: Record<string, string> = {}): Request {
  return { headers, socket: { remoteAddress: address } } as unknown as Request;
}

describe('StatelessCancellations', () => {
  it("cancels the one request of the client with the cancelled id, and not another client's", () => {
    const cancellations = new StatelessCancellations();
    const cancelled: string[] = [];
    const alice = clientOf(request('10.0.0.1', { authorization: 'Bearer a' }));
    const bob = clientOf(request('10.0.0.1', { authorization: 'Bearer b' }));
    cancellations.track(alice, 3, () => cancelled.push('alice 3'));
    cancellations.track(bob, 3, () => cancelled.push('bob 3'));
    expect(cancellations.cancel(alice, 3)).toBe(true);
    expect(cancellations.cancel(alice, '3')).toBe(false);
    expect(cancelled).toEqual(['alice 3']);
  });

  it('cancels nothing when the id is ambiguous, and forgets finished requests', () => {
    const cancellations = new StatelessCancellations();
    const cancelled: string[] = [];
    const client = clientOf(request('10.0.0.2'));
    const stopFirst = cancellations.track(client, 'x', () => cancelled.push('first'));
    const stopSecond = cancellations.track(client, 'x', () => cancelled.push('second'));
    expect(cancellations.cancel(client, 'x')).toBe(false);
    stopFirst();
    expect(cancellations.cancel(client, 'x')).toBe(true);
    stopSecond();
    expect(cancellations.size).toBe(0);
    expect(cancelled).toEqual(['second']);
  });

  it('tells clients behind a proxy apart by their forwarded address', () => {
    const viaProxy = (forwardedFor: string) => clientOf(request('127.0.0.1', { 'x-forwarded-for': forwardedFor }));
    expect(viaProxy('1.1.1.1, 10.0.0.9')).toBe(viaProxy('1.1.1.1'));
    expect(viaProxy('1.1.1.1')).not.toBe(viaProxy('2.2.2.2'));
  });
});
