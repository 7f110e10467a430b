import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { detailResponse, jsonResponse, type OpenApiObject, parameter, type RouteDoc } from '../http/route-doc.js';

// The operations of the login routes in the application's OpenAPI document (see `DocumentedRoute`).

/** Whether the app asks for a login at all (`auth` or `authDependency`), as `GradioAuthService.enabled`. */
function requiresLogin(options: ResolvedGradioOptions): boolean {
  return options.auth.verify !== undefined || options.auth.dependency !== undefined;
}

function redirectResponse(description: string): OpenApiObject {
  return {
    description,
    headers: { Location: { description: "The app's root URL", schema: { type: 'string' } } },
  };
}

const LOGIN_FORM = {
  type: 'object',
  properties: { username: { type: 'string' }, password: { type: 'string' } },
  required: ['username', 'password'],
};

export const LOGIN_DOC: RouteDoc = (options) =>
  options.auth.verify === undefined
    ? {
        summary: 'Log in (this app has no password login)',
        description: 'Without the `auth` option there is nothing to log in to: the route sends the client home.',
        responses: { '302': redirectResponse("To the app's root") },
      }
    : {
        summary: 'Log in',
        description:
          'Checks the username and password; on success, sets the session cookies that both Gradio clients send back.',
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': { schema: LOGIN_FORM },
            'multipart/form-data': { schema: LOGIN_FORM },
          },
        },
        responses: {
          '200': {
            ...jsonResponse('Logged in', {
              type: 'object',
              properties: { success: { type: 'boolean', enum: [true] } },
              required: ['success'],
            }),
            headers: { 'Set-Cookie': { description: 'The session cookies', schema: { type: 'string' } } },
          },
          '400': detailResponse('Incorrect credentials'),
          '422': detailResponse('username or password missing: a list of the problems'),
        },
      };

export const LOGOUT_DOC: RouteDoc = {
  summary: 'Log out',
  description: 'Ends the session (by default every session of the user), clears the cookies and sends the client home.',
  parameters: [
    parameter(
      'all_session',
      'query',
      '`false`, `0`, `no` or `off` ends only this session; anything else (or nothing) every session of the user',
      { type: 'string' },
      false,
    ),
  ],
  responses: { '302': redirectResponse("To the app's root, with expired session cookies") },
};

export const LOGIN_CHECK_DOC: RouteDoc = (options) => ({
  summary: 'Whether the request may use the API',
  responses: {
    '200': jsonResponse('It may: JSON `null`', { type: 'object', nullable: true, enum: [null] }),
    ...(requiresLogin(options)
      ? { '401': detailResponse('It may not: `{"detail": {"error": "Not authenticated", "auth_message": …}}`') }
      : {}),
  },
});

export const USER_DOC: RouteDoc = {
  summary: 'The logged-in user',
  responses: { '200': jsonResponse('The username, or `null`', { type: 'string', nullable: true }) },
};

export const TOKEN_DOC: RouteDoc = {
  summary: "The request's session token and user",
  responses: {
    '200': jsonResponse('The token and the user, each `null` when there is none', {
      type: 'object',
      properties: { token: { type: 'string', nullable: true }, user: { type: 'string', nullable: true } },
      required: ['token', 'user'],
    }),
  },
};
