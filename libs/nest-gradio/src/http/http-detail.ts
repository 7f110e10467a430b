import { HttpException } from '@nestjs/common';

/** An HTTP error with Gradio's (FastAPI's) body shape, `{"detail": …}`, which both clients read. */
export function httpDetail(status: number, detail: unknown): HttpException {
  return new HttpException({ detail }, status);
}

/** FastAPI's 422 for a missing required field, as Gradio answers it. */
export function missingField(location: 'body' | 'query', field: string, input: unknown): HttpException {
  return httpDetail(422, [{ type: 'missing', loc: [location, field], msg: 'Field required', input: input ?? null }]);
}
