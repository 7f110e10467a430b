import { Injectable } from '@nestjs/common';

/** Where `setupGradioDocs()` served the Swagger UI, if it ran: the View API page links to it then. */
@Injectable()
export class DocsState {
  swaggerPath: string | undefined;
}
