/** Metadata keys written by the decorators and read at bootstrap by the endpoint explorer. */
export const GRADIO_API_METADATA = 'nest-gradio:api';
export const GRADIO_PARAMS_METADATA = 'nest-gradio:params';
/**
 * Static method the compiler plugin (`nest-gradio/plugin`) adds to a class with decorated methods. It returns, per
 * method, what the TypeScript types and JSDoc say; the endpoint factory reads it where run-time metadata falls short.
 */
export const GRADIO_PLUGIN_METADATA_FACTORY = '_GRADIO_METADATA_FACTORY';

/** DI token of the resolved module options. */
export const GRADIO_MODULE_OPTIONS = Symbol('GRADIO_MODULE_OPTIONS');

/** The Gradio release whose wire protocol we speak; clients read it from `/config.version` to pick features. */
export const GRADIO_COMPATIBLE_VERSION = '6.25.0';

/** All API routes live under this prefix (published as `config.api_prefix`). `/config` itself does not. */
export const API_PREFIX = '/gradio_api';

export const DEFAULT_PORT = 7860;
export const DEFAULT_HOST = '127.0.0.1';
