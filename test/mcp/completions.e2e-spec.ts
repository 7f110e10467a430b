// MCP completions (docs/mcp.md#completions): `completion/complete` suggests values for prompt arguments and
// resource template variables, from the `complete` option of `@McpPrompt` and `@McpResource` or a literal type.
import { type CanActivate, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Request } from 'express';
import { McpPrompt, McpResource } from 'nest-gradio';
import { startGradioApp, startShowcase, type RunningApp } from '../support/start-app.js';
import { connectStreamableHttp, TRANSPORTS } from './mcp-clients.js';

const KEY_HEADER = 'x-key';

/** Lets through only requests that carry the key. */
@Injectable()
class KeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<Request>().headers[KEY_HEADER] === 'open';
  }
}

const CITIES = ['Paris', 'Perth', 'Porto', 'Prague', 'Berlin'];

@Injectable()
class Travel {
  /** What the completion functions saw, newest last. */
  readonly seen: { value: string; arguments: Record<string, string> }[] = [];
  private readonly seats = Array.from({ length: 150 }, (_, index) => `seat-${index + 1}`);

  @McpPrompt<Travel>({
    complete: {
      city: CITIES,
      seat(value, context) {
        this.seen.push({ value, arguments: { ...context.arguments } });
        return this.seats.filter((seat) => seat.startsWith(value));
      },
    },
  })
  plan(city: string, seat: string, tone: 'formal' | 'casual' = 'casual', notes: string = ''): string {
    return `Plan a ${tone} trip to ${city}, seat ${seat}. ${notes}`;
  }

  @McpResource<Travel>('travel://{country}/{city}', {
    complete: {
      async city(value, context) {
        this.seen.push({ value, arguments: { ...context.arguments } });
        return context.arguments['country'] === 'fr' ? ['Paris', 'Lyon'] : ['Porto'];
      },
    },
  })
  guide(country: string, city: string, detailed: boolean = false): string {
    return `${city}, ${country}${detailed ? ' (detailed)' : ''}`;
  }

  @McpResource('travel://{flag}')
  flagged(flag: boolean): string {
    return String(flag);
  }

  @McpResource('travel://about')
  about(): string {
    return 'About.';
  }

  @McpPrompt({
    complete: {
      broken() {
        throw new Error('the database is down, password hunter2');
      },
      odd: (() => [1, 2]) as never,
    },
  })
  fragile(broken: string, odd: string): string {
    return broken + odd;
  }

  @UseGuards(KeyGuard)
  @McpPrompt({ complete: { topic: ['secrets'] } })
  locked(topic: string): string {
    return topic;
  }
}

function refusalOf(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  return promise.then(
    () => {
      throw new Error('the request succeeded');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(McpError);
      return error as McpError;
    },
  );
}

describe.each(TRANSPORTS)("the showcase's completions over %s", (_transport, connect) => {
  let app: RunningApp;
  let client: Client;
  beforeAll(async () => {
    app = await startShowcase({ mcpServer: true });
    client = await connect(app.url);
  });
  afterAll(async () => {
    await client.close();
    await app.close();
  });

  it('declares the completions capability', () => {
    expect(client.getServerCapabilities()?.completions).toEqual({});
  });

  it("completes review_code's language from its list, by prefix and ignoring case", async () => {
    const ref = { type: 'ref/prompt', name: 'review_code' } as const;
    expect(await client.complete({ ref, argument: { name: 'language', value: 'py' } })).toEqual({
      completion: { values: ['Python'], total: 1, hasMore: false },
    });
    const javas = await client.complete({ ref, argument: { name: 'language', value: 'Java' } });
    expect(javas.completion.values).toEqual(['JavaScript', 'Java']);
    expect(await client.complete({ ref, argument: { name: 'code', value: '' } })).toEqual({
      completion: { values: [], total: 0, hasMore: false },
    });
  });

  it('completes the endpoint names of showcase://endpoints/{name}', async () => {
    const ref = { type: 'ref/resource', uri: 'showcase://endpoints/{name}' } as const;
    const { completion } = await client.complete({ ref, argument: { name: 'name', value: 'add' } });
    // The README's showcase table: `add` and `add_and_slice` start so.
    expect([...completion.values].sort()).toEqual(['add', 'add_and_slice']);
    const all = await client.complete({ ref, argument: { name: 'name', value: '' } });
    expect(all.completion.values).toEqual(expect.arrayContaining(['hello', 'add', 'multiply', 'count', 'spell']));
  });
});

describe('completions', () => {
  let app: RunningApp;
  let client: Client;
  let travel: Travel;
  beforeAll(async () => {
    app = await startGradioApp({ mcpServer: true }, [Travel]);
    travel = app.app.get(Travel);
    client = await connectStreamableHttp(app.url);
  });
  afterAll(async () => {
    await client.close();
    await app.close();
  });

  const plan = { type: 'ref/prompt', name: 'plan' } as const;

  it('filters a fixed list by the typed prefix', async () => {
    expect((await client.complete({ ref: plan, argument: { name: 'city', value: 'P' } })).completion).toEqual({
      values: ['Paris', 'Perth', 'Porto', 'Prague'],
      total: 4,
      hasMore: false,
    });
    expect((await client.complete({ ref: plan, argument: { name: 'city', value: 'pr' } })).completion.values).toEqual([
      'Prague',
    ]);
    expect((await client.complete({ ref: plan, argument: { name: 'city', value: 'x' } })).completion).toEqual({
      values: [],
      total: 0,
      hasMore: false,
    });
  });

  it("calls a function on the provider with the typed value and the client's other arguments", async () => {
    const result = await client.complete({
      ref: plan,
      argument: { name: 'seat', value: 'seat-14' },
      context: { arguments: { city: 'Paris' } },
    });
    expect(result.completion).toEqual({
      values: ['seat-14', 'seat-140', 'seat-141', 'seat-142', 'seat-143', 'seat-144', 'seat-145', 'seat-146'].concat([
        'seat-147',
        'seat-148',
        'seat-149',
      ]),
      total: 11,
      hasMore: false,
    });
    expect(travel.seen.at(-1)).toEqual({ value: 'seat-14', arguments: { city: 'Paris' } });
    await client.complete({ ref: plan, argument: { name: 'seat', value: '' } });
    expect(travel.seen.at(-1)).toEqual({ value: '', arguments: {} });
  });

  it('sends at most 100 values, with the total and hasMore', async () => {
    const { completion } = await client.complete({ ref: plan, argument: { name: 'seat', value: 'seat-' } });
    expect(completion.values).toHaveLength(100);
    expect(completion.values[0]).toBe('seat-1');
    expect(completion.total).toBe(150);
    expect(completion.hasMore).toBe(true);
  });

  it('completes literal and boolean types without a complete option', async () => {
    expect((await client.complete({ ref: plan, argument: { name: 'tone', value: '' } })).completion.values).toEqual([
      'formal',
      'casual',
    ]);
    const flag = { type: 'ref/resource', uri: 'travel://{flag}' } as const;
    expect((await client.complete({ ref: flag, argument: { name: 'flag', value: 't' } })).completion.values).toEqual([
      'true',
    ]);
  });

  it("completes a template variable from the template's other variables", async () => {
    const ref = { type: 'ref/resource', uri: 'travel://{country}/{city}' } as const;
    const french = await client.complete({
      ref,
      argument: { name: 'city', value: '' },
      context: { arguments: { country: 'fr' } },
    });
    expect(french.completion.values).toEqual(['Paris', 'Lyon']);
    expect(travel.seen.at(-1)).toEqual({ value: '', arguments: { country: 'fr' } });
    // A variable without completions has none; `detailed` is a parameter but not a variable of the template.
    expect((await client.complete({ ref, argument: { name: 'country', value: 'f' } })).completion.values).toEqual([]);
    const notAVariable = await refusalOf(client.complete({ ref, argument: { name: 'detailed', value: '' } }));
    expect(notAVariable.code).toBe(ErrorCode.InvalidParams);
    expect(notAVariable.message).toContain(
      'The resource template travel://{country}/{city} has no argument "detailed"; it has "country", "city".',
    );
  });

  it('answers an unknown prompt, template or argument with an invalid-params error', async () => {
    const noPrompt = await refusalOf(
      client.complete({ ref: { type: 'ref/prompt', name: 'nope' }, argument: { name: 'x', value: '' } }),
    );
    expect(noPrompt).toMatchObject({ code: ErrorCode.InvalidParams });
    expect(noPrompt.message).toContain('Unknown prompt: "nope".');

    const noTemplate = await refusalOf(
      client.complete({
        ref: { type: 'ref/resource', uri: 'travel://fr/Paris' },
        argument: { name: 'city', value: '' },
      }),
    );
    expect(noTemplate).toMatchObject({ code: ErrorCode.InvalidParams });
    expect(noTemplate.message).toContain('Unknown resource template: travel://fr/Paris');

    const noArgument = await refusalOf(client.complete({ ref: plan, argument: { name: 'budget', value: '' } }));
    expect(noArgument).toMatchObject({ code: ErrorCode.InvalidParams });
    expect(noArgument.message).toContain(
      'The prompt "plan" has no argument "budget"; it has "city", "seat", "tone", "notes".',
    );

    const fixed = await refusalOf(
      client.complete({ ref: { type: 'ref/resource', uri: 'travel://about' }, argument: { name: 'x', value: '' } }),
    );
    expect(fixed).toMatchObject({ code: ErrorCode.InvalidParams });
    expect(fixed.message).toContain('The resource template travel://about has no argument "x".');
  });

  it("hides a completion function's error unless showError, and refuses an answer that is not a list of strings", async () => {
    const fragile = { type: 'ref/prompt', name: 'fragile' } as const;
    const broken = await refusalOf(client.complete({ ref: fragile, argument: { name: 'broken', value: '' } }));
    expect(broken).toMatchObject({ code: ErrorCode.InternalError });
    expect(broken.message).toContain('The completion of "broken" for the prompt "fragile" failed.');
    expect(broken.message).not.toContain('hunter2');
    const odd = await refusalOf(client.complete({ ref: fragile, argument: { name: 'odd', value: '' } }));
    expect(odd).toMatchObject({ code: ErrorCode.InternalError });
    expect(odd.message).toContain('The completion of "odd" for the prompt "fragile" must return a list of strings.');
  });

  it("gives a prompt's completions only to callers its guards let through", async () => {
    const locked = { type: 'ref/prompt', name: 'locked' } as const;
    const refused = await refusalOf(client.complete({ ref: locked, argument: { name: 'topic', value: '' } }));
    expect(refused.code).toBe(ErrorCode.InvalidRequest);
    expect(refused.message).toContain('Forbidden resource');
    const holder = await connectStreamableHttp(app.url, { headers: { [KEY_HEADER]: 'open' } });
    try {
      expect(
        (await holder.complete({ ref: locked, argument: { name: 'topic', value: 's' } })).completion.values,
      ).toEqual(['secrets']);
    } finally {
      await holder.close();
    }
  });

  it('serves only the selected prompts under ?tools=', async () => {
    const selected = await connectStreamableHttp(app.url, { query: '?tools=fragile' });
    try {
      const refused = await refusalOf(selected.complete({ ref: plan, argument: { name: 'city', value: '' } }));
      expect(refused.message).toContain('Unknown prompt: "plan".');
    } finally {
      await selected.close();
    }
  });
});

describe('showError on', () => {
  it("shows a completion function's error message", async () => {
    const app = await startGradioApp({ mcpServer: true, showError: true }, [Travel]);
    const client = await connectStreamableHttp(app.url);
    try {
      const broken = await refusalOf(
        client.complete({ ref: { type: 'ref/prompt', name: 'fragile' }, argument: { name: 'broken', value: '' } }),
      );
      expect(broken.message).toContain('the database is down');
    } finally {
      await client.close();
      await app.close();
    }
  });
});
