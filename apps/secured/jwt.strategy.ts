import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

/** The signed-in user, as passport puts it on the request. */
export interface AccountUser {
  name: string;
}

/** Accepts `Authorization: Bearer <HS256 token>` signed with `JWT_SECRET`; the token's `sub` names the user. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: process.env.JWT_SECRET ?? 'change-me',
    });
  }

  validate(payload: { sub: string }): AccountUser {
    return { name: payload.sub };
  }
}
