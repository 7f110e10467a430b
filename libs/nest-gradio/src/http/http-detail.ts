import { HttpException } from '@nestjs/common';

/** An HTTP error with Gradio's (FastAPI's) body shape, `{"detail": …}`, which both clients read. */
export function httpDetail(status: number, detail: unknown): HttpException {
  return new HttpException({ detail }, status);
}

/** FastAPI's 422 for a missing required field, as Gradio answers it. */
export function missingField(location: 'body' | 'query', field: string, input: unknown): HttpException {
  return httpDetail(422, [{ type: 'missing', loc: [location, field], msg: 'Field required', input: input ?? null }]);
}

/**
 * FastAPI's 422 for a body field of the wrong kind, as Gradio's typed request models answer it: `text` must be a
 * non-empty string (an empty one names nothing), `integer` an integer or a string of digits (FastAPI's lax parsing).
 */
export function refuseInvalidField(body: Record<string, unknown>, field: string, kind: 'text' | 'integer'): void {
  const value = body[field];
  if (kind === 'text') {
    if (typeof value !== 'string') throw fieldProblem(field, 'string_type', 'Input should be a valid string', value);
    if (value.length === 0) {
      throw fieldProblem(field, 'string_too_short', 'String should have at least 1 character', value);
    }
  } else if (!Number.isInteger(value) && !(typeof value === 'string' && /^\d+$/.test(value))) {
    throw fieldProblem(field, 'int_type', 'Input should be a valid integer', value);
  }
}

function fieldProblem(field: string, type: string, msg: string, input: unknown): HttpException {
  return httpDetail(422, [{ type, loc: ['body', field], msg, input: input ?? null }]);
}
