import { All, Controller, HttpStatus, MethodNotAllowedException, Req, Res, SetMetadata } from '@nestjs/common';
import { type HttpRequest, type HttpResponse, nodeResponseOf, requestPathOf, sendRaw } from '../http/http-exchange.js';
import { methodNotAllowedMessage } from '../kernel/gradio.messages.js';

/**
 * The routes that the OpenAPI document describes answer any other method with 405 and an `Allow` header (RFC 9110),
 * not the 404 of an unknown path: the path exists, and a client (or a fuzzer checking the document) learns which
 * methods it takes. Registered after the real routes of the same paths, so only the methods they leave reach it; the
 * application's own routes still come first. `OPTIONS` gets the `Allow` header with 204 (CORS preflights are answered
 * earlier, by the CORS middleware).
 */
@Controller('gradio_api')
// @nestjs/swagger's ApiExcludeController(), without importing the optional package: these routes are not operations.
@SetMetadata('swagger/apiExcludeController', [true])
export class MethodNotAllowedController {
  @All('upload')
  upload(@Req() request: HttpRequest, @Res() response: HttpResponse): void {
    refuseMethod(request, response, ['POST']);
  }

  @All(['call/:apiName', 'call/v2/:apiName'])
  call(@Req() request: HttpRequest, @Res() response: HttpResponse): void {
    refuseMethod(request, response, ['POST']);
  }

  @All(['call/:apiName/:eventId', 'call/v2/:apiName/:eventId'])
  stream(@Req() request: HttpRequest, @Res() response: HttpResponse): void {
    refuseMethod(request, response, ['GET', 'HEAD']);
  }
}

/** Answers 405 with the `Allow` header (204 to `OPTIONS`). */
export function refuseMethod(request: HttpRequest, response: HttpResponse, allowed: readonly string[]): void {
  const allow = [...allowed, 'OPTIONS'].join(', ');
  if (request.method === 'OPTIONS') {
    sendRaw(response, HttpStatus.NO_CONTENT, undefined, { Allow: allow });
    return;
  }
  // On the Node response, so that it stays on the error response the adapter sends.
  nodeResponseOf(response).setHeader('Allow', allow);
  throw new MethodNotAllowedException(
    methodNotAllowedMessage(request.method ?? 'GET', requestPathOf(request), allowed),
  );
}
