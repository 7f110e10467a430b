// The example app apps/secured (built in dist/), run by Node as a user runs it: @nestjs/throttler is CommonJS
// requiring Nest's ESM packages, which Node 20 loads and Jest's module system cannot.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { testAdapter } from './start-app.js';

export const JWT_SECRET = 'a-test-secret-of-reasonable-length';

/** An HS256 JSON Web Token, signed as any issuer would. */
export function signJwt(payload: Record<string, unknown>, secret = JWT_SECRET): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iat: Math.floor(Date.now() / 1000), ...payload })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** The `Authorization` header of a signed-in user. */
export function bearer(user: string): Record<string, string> {
  return { authorization: `Bearer ${signJwt({ sub: user })}` };
}

export interface SecuredApp {
  url: string;
  stop(): void;
}

/** Starts dist/apps/secured on a free port, on the tests' HTTP adapter, with `env` added (THROTTLE_LIMIT, …). */
export async function startSecuredApp(env: Record<string, string>): Promise<SecuredApp> {
  const child: ChildProcess = spawn(process.execPath, ['dist/apps/secured/main.js'], {
    env: { ...process.env, PORT: '0', JWT_SECRET, GRADIO_HTTP_ADAPTER: testAdapter(), ...env },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const found = /Running on local URL: +(http:\/\/\S+)/.exec(output);
      if (found) resolve(found[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`apps/secured exited with ${code}: ${output}`)));
  });
  return { url, stop: () => child.kill() };
}
