import { HttpException } from '@nestjs/common';
import { GradioError } from './gradio.error.js';

/** The message of a Nest HTTP exception, as a person should read it (the body's `message`, or the text). */
export function httpExceptionMessage(error: HttpException): string {
  const body = error.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return error.message;
}

/**
 * Nest's HTTP exceptions are meant for the caller (a pipe's `BadRequestException` lists what is wrong with the
 * arguments), so a failed event shows their message as it shows a `GradioError`'s; other errors stay as they are
 * (hidden unless `showError` is on).
 */
export function asClientError(error: unknown): unknown {
  if (!(error instanceof HttpException)) return error;
  return new GradioError(httpExceptionMessage(error), { printException: false });
}
