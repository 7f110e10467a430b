import { validate } from 'class-validator';
import type { Endpoint, EndpointParameter } from '../discovery/endpoint.interface.js';
import { GradioError } from '../kernel/gradio.error.js';
import { invalidArgumentMessage, missingArgumentMessage } from '../kernel/gradio.messages.js';

/**
 * Turns the wire `data` list of one event into the handler's arguments: fills defaults, validates every value
 * against its parameter's schema (and class-validator DTO), and fails with a `GradioError` that names the
 * parameter — so a wrong call fails only its own event, with a message the caller can act on.
 * Extra values are ignored, as Gradio does. Synchronous unless a parameter is a DTO (class-validator's validation
 * is asynchronous): most endpoints have none, and their events start without waiting here.
 */
export function bindArguments(endpoint: Endpoint, data: readonly unknown[]): unknown[] | Promise<unknown[]> {
  const args = new Array<unknown>(endpoint.parameters.length);
  const { parameters } = endpoint;
  for (let index = 0; index < parameters.length; index++) {
    const parameter = parameters[index] as EndpointParameter;
    const value = checkedArgument(endpoint, parameter, data[parameter.position]);
    if (parameter.dto && value !== undefined) return bindFromDto(endpoint, data, args, index, value);
    args[parameter.position] = value;
  }
  return args;
}

/** From the first DTO parameter on, one argument after the other: each DTO is validated before the next is checked. */
async function bindFromDto(
  endpoint: Endpoint,
  data: readonly unknown[],
  args: unknown[],
  first: number,
  firstValue: unknown,
): Promise<unknown[]> {
  const { parameters } = endpoint;
  for (let index = first; index < parameters.length; index++) {
    const parameter = parameters[index] as EndpointParameter;
    const value = index === first ? firstValue : checkedArgument(endpoint, parameter, data[parameter.position]);
    args[parameter.position] =
      parameter.dto && value !== undefined ? await toValidatedDto(endpoint, parameter, value) : value;
  }
  return args;
}

/** The received value (or the default) once its parameter's schema accepts it; undefined for a default left to JavaScript. */
function checkedArgument(endpoint: Endpoint, parameter: EndpointParameter, received: unknown): unknown {
  let value = received;
  if (value === undefined || (value === null && parameter.hasDefault && parameter.check(null, '') !== undefined)) {
    if (!parameter.hasDefault) throw invalidInput(missingArgumentMessage(parameter.name, endpoint.apiName));
    // A default written in the source but not readable as a literal is applied by JavaScript itself.
    value = parameter.defaultValue ?? undefined;
    if (value === undefined) return undefined;
  }
  const problem = parameter.check(value, parameter.name);
  if (problem !== undefined) throw invalidInput(invalidArgumentMessage(problem, endpoint.apiName));
  return value;
}

async function toValidatedDto(endpoint: Endpoint, parameter: EndpointParameter, value: unknown): Promise<unknown> {
  const Dto = parameter.dto as unknown as new () => object;
  const instance = Object.assign(new Dto(), value);
  const [first] = await validate(instance, { forbidUnknownValues: false });
  if (first) {
    const reason = Object.values(first.constraints ?? {})[0] ?? `${first.property} is invalid`;
    throw invalidInput(invalidArgumentMessage(`${parameter.name}: ${reason}`, endpoint.apiName));
  }
  return instance;
}

function invalidInput(message: string): GradioError {
  return new GradioError(message, { title: 'Invalid input', printException: false });
}
