/** Cross-origin access to the app from browser pages on other origins. @publicApi */
export interface GradioCorsOptions {
  /**
   * Origins (exact `scheme://host[:port]` strings, or regular expressions) whose pages may call the app with the
   * user's cookies, besides pages on localhost and the app's own origin. `'*'` allows every origin.
   */
  allowedOrigins?: (string | RegExp)[] | '*';
  /**
   * Refuse `Origin: null` (sandboxed frames, `file://` pages), which can be used for cross-site request forgery.
   * Default true; false accepts it like a localhost origin (Gradio's `strict_cors=False`).
   */
  strict?: boolean;
}

export interface ResolvedCorsOptions {
  allowedOrigins: (string | RegExp)[] | '*';
  strict: boolean;
}

export function resolveCorsOptions(options: GradioCorsOptions | false | undefined): ResolvedCorsOptions | false {
  if (options === false) return false;
  const allowedOrigins = options?.allowedOrigins ?? [];
  const valid = (origin: unknown): boolean => typeof origin === 'string' || origin instanceof RegExp;
  if (allowedOrigins !== '*' && (!Array.isArray(allowedOrigins) || !allowedOrigins.every(valid))) {
    throw new Error(
      "GradioModule option cors.allowedOrigins must be '*' or a list of origins (strings or regular expressions).",
    );
  }
  const normalise = (origin: string | RegExp): string | RegExp =>
    typeof origin === 'string' ? origin.replace(/\/+$/, '').toLowerCase() : origin;
  return {
    allowedOrigins: allowedOrigins === '*' ? '*' : allowedOrigins.map(normalise),
    strict: options?.strict ?? true,
  };
}
