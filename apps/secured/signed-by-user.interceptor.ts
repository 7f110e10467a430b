import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { map, type Observable } from 'rxjs';
import type { AccountUser } from './jwt.strategy.js';

/**
 * Names the signed-in user in the result. It runs inside the queue, and sees the same request passport's guard saw
 * when the call was queued.
 */
@Injectable()
export class SignedByUserInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const user = context.switchToHttp().getRequest<Request & { user?: AccountUser }>().user;
    return next.handle().pipe(map((value) => `${String(value)} (for ${user?.name ?? 'nobody'})`));
  }
}
