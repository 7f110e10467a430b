import { IsEmail, IsInt, Min } from 'class-validator';
import { Arg } from '../decorators/arg.decorator.js';
import { GradioApi } from '../decorators/gradio-api.decorator.js';
import { GradioError } from '../kernel/gradio.error.js';
import { Int, nullable } from '../schema/type-spec.js';
import { endpointNamed, registryOf } from '../testing/endpoint-fixtures.js';
import { bindArguments } from './argument.binder.js';

class Quantity {
  @IsInt() @Min(1) amount!: number;
}

class Contact {
  @IsEmail() email!: string;
}

class Handlers {
  @GradioApi()
  add(a: Int, b: Int): Int {
    return a + b;
  }
  @GradioApi()
  greet(
    name: string,
    punctuation = '!',
    @Arg({ type: nullable(String), default: 'x' }) suffix?: string | null,
  ): string {
    return `${name}${punctuation}${suffix}`;
  }
  @GradioApi()
  order(quantity: Quantity): number {
    return quantity.amount;
  }
  @GradioApi()
  contact(contact: Contact): string {
    return contact.email;
  }
}

const registry = registryOf(new Handlers());

async function failure(name: string, data: unknown[]): Promise<GradioError> {
  try {
    await bindArguments(endpointNamed(registry, name), data);
  } catch (error) {
    return error as GradioError;
  }
  throw new Error('binding did not fail');
}

describe('bindArguments', () => {
  it('passes valid values through and ignores extra ones (like Gradio), at once when no parameter is a DTO', () => {
    expect(bindArguments(endpointNamed(registry, 'add'), [3, 5, 'extra'])).toEqual([3, 5]);
  });

  it('fails a missing required argument with a user-facing error naming it', async () => {
    const error = await failure('add', [3]);
    expect(error).toBeInstanceOf(GradioError);
    expect(error.message).toBe('No value provided for required argument: b (endpoint /add).');
  });

  it('fails a wrong type with a user-facing error naming the parameter', async () => {
    const error = await failure('add', [3, 'five']);
    expect(error).toBeInstanceOf(GradioError);
    expect(error.message).toBe('Invalid argument for /add: b must be an integer, got "five".');
    expect(error.title).toBe('Invalid input');
  });

  it('types an un-annotated parameter by its literal default', () => {
    expect(endpointNamed(registry, 'greet').parameters[1]?.schema).toEqual({ type: 'string' });
  });

  it('fills defaults for missing values, and for null where null is not allowed', () => {
    expect(bindArguments(endpointNamed(registry, 'greet'), ['Ann'])).toEqual(['Ann', '!', 'x']);
    expect(bindArguments(endpointNamed(registry, 'greet'), ['Ann', null, null])).toEqual(['Ann', '!', null]);
  });

  it('builds and validates class-validator DTOs', async () => {
    // class-validator validates asynchronously.
    const bound = bindArguments(endpointNamed(registry, 'order'), [{ amount: 2 }]);
    expect(bound).toBeInstanceOf(Promise);
    const [quantity] = await bound;
    expect(quantity).toBeInstanceOf(Quantity);
    // Constraints JSON Schema can express are checked with our messages; the rest by class-validator itself.
    expect((await failure('order', [{ amount: 0 }])).message).toBe(
      'Invalid argument for /order: quantity.amount must be at least 1, got 0.',
    );
    expect((await failure('contact', [{ email: 'nope' }])).message).toBe(
      'Invalid argument for /contact: contact: email must be an email.',
    );
  });
});
