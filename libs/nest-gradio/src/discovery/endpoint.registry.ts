import { Injectable } from '@nestjs/common';
import type { Endpoint } from './endpoint.interface.js';

/**
 * The endpoints discovered at bootstrap, by `fn_index` and by API name. Public: an application can read it to
 * list its endpoints.
 *
 * @publicApi
 */
@Injectable()
export class EndpointRegistry {
  private readonly byId: Endpoint[] = [];
  private readonly byName = new Map<string, Endpoint>();

  register(endpoint: Endpoint): void {
    if (endpoint.id !== this.byId.length) throw new Error(`Endpoint ids must be assigned in order; got ${endpoint.id}.`);
    this.byId.push(endpoint);
    this.byName.set(endpoint.apiName, endpoint);
  }

  all(): readonly Endpoint[] {
    return this.byId;
  }

  nextId(): number {
    return this.byId.length;
  }

  takenNames(): ReadonlySet<string> {
    return new Set(this.byName.keys());
  }

  getById(id: number): Endpoint | undefined {
    return this.byId[id];
  }

  /** Accepts `name` and `/name`. */
  getByName(apiName: string): Endpoint | undefined {
    return this.byName.get(apiName.startsWith('/') ? apiName.slice(1) : apiName);
  }
}
