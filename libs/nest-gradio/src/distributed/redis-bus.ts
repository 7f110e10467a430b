import { randomBytes } from 'node:crypto';
import type { RedisKeys } from './redis-keys.js';
import type { Redis } from './redis-packages.js';

/**
 * Topics between the processes of a deployment over Redis pub/sub, one channel per topic (what the queue's
 * `broadcast`/`listen` port means in distributed mode), and secrets they share.
 */
export class RedisBus {
  /** What {@link listen} registered, by channel, and the subscription of each channel. */
  private readonly hearers = new Map<string, Set<(message: string) => void>>();
  private readonly subscriptions = new Map<string, Promise<unknown>>();

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly keys: RedisKeys,
    private readonly warn: (what: string, error: unknown) => void,
  ) {}

  /** PUBLISH answers how many processes are subscribed to the topic. */
  broadcast(topic: string, message: string): Promise<number> {
    return this.redis.publish(this.keys.bus(topic), message);
  }

  /** Hears the topic until the returned function is called; the channel is subscribed while anyone listens. */
  listen(topic: string, hear: (message: string) => void): () => void {
    const channel = this.keys.bus(topic);
    let hearers = this.hearers.get(channel);
    if (!hearers) {
      this.hearers.set(channel, (hearers = new Set()));
      const subscribed = this.subscriber
        .subscribe(channel)
        .catch((error: unknown) => this.warn(`Cannot listen to ${topic}`, error));
      this.subscriptions.set(channel, subscribed);
    }
    hearers.add(hear);
    return () => {
      hearers.delete(hear);
      if (hearers.size > 0 || this.hearers.get(channel) !== hearers) return;
      this.hearers.delete(channel);
      this.subscriptions.delete(channel);
      this.subscriber.unsubscribe(channel).catch(() => undefined);
    };
  }

  /** {@link listen}, resolved once Redis confirmed the channel's subscription. */
  async listening(topic: string, hear: (message: string) => void): Promise<() => void> {
    const stop = this.listen(topic, hear);
    await this.subscriptions.get(this.keys.bus(topic));
    return stop;
  }

  /** Hands a message the subscriber received to the topic's hearers, if its channel is a topic's. */
  deliver(channel: string, message: string): void {
    for (const hear of this.hearers.get(channel) ?? []) hear(message);
  }

  /** Kept in Redis (without expiry): the first process to ask sets it, the others read it. */
  async sharedSecret(name: string): Promise<Buffer> {
    const key = this.keys.secret(name);
    await this.redis.set(key, randomBytes(32).toString('hex'), 'NX');
    return Buffer.from((await this.redis.get(key)) ?? '', 'hex');
  }
}
