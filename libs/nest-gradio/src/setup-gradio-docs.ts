import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { Module as ModuleWrapper } from '@nestjs/core/injector/module.js';
import { GRADIO_MODULE_OPTIONS } from './kernel/gradio.constants.js';
import { GradioModule } from './gradio.module.js';
import type { GradioDocsOptions, ResolvedGradioOptions } from './options/gradio-module-options.interface.js';
import { DocsState } from './docs/docs-state.js';
import { OpenApiBuilder, type OpenApiDocument } from './docs/openapi.builder.js';
import { importFastifyStatic, importSwagger, type SwaggerPackage } from './kernel/optional-package.js';

/** Tag of Gradio's own routes (`/config`, the queue, `/call`, `/run`, uploads…) in the document. */
export const GRADIO_PROTOCOL_TAG = 'Gradio protocol';
/** Tag of the per-endpoint operations (`POST /gradio_api/call/v2/<name>` and its result stream). */
export const GRADIO_ENDPOINTS_TAG = 'Gradio API';

const logger = new Logger('GradioDocs');

/**
 * Serves a Swagger UI of the whole application — its own controllers and Gradio's routes — at `/docs`, and the
 * OpenAPI document at `/openapi.json`, as Gradio's Server mode keeps FastAPI's `/docs` and `/openapi.json`. Built
 * with `@nestjs/swagger` from the app's routes; the UI's assets come from the installed `swagger-ui-dist`, never a
 * CDN. Each public Gradio endpoint gets its own documented `call/v2/<name>` operation (from the same model as
 * `/gradio_api/openapi.json`), so "Try it out" works per endpoint.
 *
 * `launch()` calls it. An application that creates itself with `NestFactory.create()` calls it before
 * `app.listen()` (routes added after the app started are never reached). Paths and title come from the module's
 * `docs` option, or from `options` here; `false` in either place turns the docs off. If a route of the
 * application already answers at one of the paths, that path is left to it.
 *
 * @returns whether the docs are served.
 * @publicApi
 */
export async function setupGradioDocs(app: INestApplication, options?: GradioDocsOptions | false): Promise<boolean> {
  const configured = gradioOptionsOf(app)?.docs ?? false;
  if (options === false || configured === false) return false;
  const docs = { ...configured, ...options };
  const swagger = await loadSwagger(options !== undefined);
  if (!swagger) return false;
  if (!(await canServeSwaggerUi(app, options !== undefined))) return false;

  const config = new swagger.DocumentBuilder()
    .setTitle(docs.title)
    .setDescription(
      `The HTTP API of ${docs.title}: the application's routes and Gradio's. Gradio's clients (Python ` +
        '`gradio_client`, JavaScript `@gradio/client`) call the endpoints tagged "Gradio API"; the page at ' +
        '`/?view=api` shows how.',
    )
    .addTag(GRADIO_ENDPOINTS_TAG, 'The API endpoints: queue a call with named arguments, then stream its result.')
    .addTag(GRADIO_PROTOCOL_TAG, "Gradio's wire protocol, used by its clients.")
    .build();
  let document: OpenApiDocument;
  let gradioRoutes: OpenApiDocument;
  try {
    document = swagger.SwaggerModule.createDocument(app, config) as unknown as OpenApiDocument;
    gradioRoutes = swagger.SwaggerModule.createDocument(app, config, {
      include: gradioModules(app),
    }) as unknown as OpenApiDocument;
  } catch (error) {
    // The app's own controllers may carry metadata @nestjs/swagger cannot read; that must not stop launch().
    if (options !== undefined) throw error;
    logger.warn(`The OpenAPI document could not be built, so ${docs.path} is not served: ${(error as Error).message}`);
    return false;
  }

  const userPaths = new Set(Object.keys(document.paths).filter((path) => !(path in gradioRoutes.paths)));
  const taken = (path: string | false): boolean => path !== false && userPaths.has(path);
  if (taken(docs.path)) {
    logger.warn(`The application already serves ${docs.path}; the Swagger UI is not set up.`);
    return false;
  }
  const jsonPath = taken(docs.jsonPath) ? false : docs.jsonPath;
  if (jsonPath === false && docs.jsonPath !== false) {
    logger.warn(
      `The application already serves ${docs.jsonPath}; the OpenAPI document is served at ${docs.path}-json only.`,
    );
  }

  // The endpoints are discovered when the app initialises, after this runs: they are merged in on first use.
  const openApi = app.get(OpenApiBuilder, { strict: false });
  let merged = false;
  const documentFactory = (): OpenApiDocument => {
    if (!merged) mergeGradioOperations(document, gradioRoutes, openApi.endpointPaths());
    merged = true;
    return document;
  };
  swagger.SwaggerModule.setup(docs.path, app, documentFactory as never, {
    jsonDocumentUrl: jsonPath === false ? undefined : jsonPath,
    raw: ['json'],
    customSiteTitle: `${docs.title} · Swagger UI`,
    swaggerOptions: { docExpansion: 'list', defaultModelsExpandDepth: 0 },
  });
  app.get(DocsState, { strict: false }).swaggerPath = docs.path;
  return true;
}

/** The resolved GradioModule options, or undefined when the app does not import GradioModule. */
function gradioOptionsOf(app: INestApplication): ResolvedGradioOptions | undefined {
  try {
    return app.get<ResolvedGradioOptions>(GRADIO_MODULE_OPTIONS, { strict: false });
  } catch {
    logger.warn('setupGradioDocs(): the application does not import GradioModule; no docs are set up.');
    return undefined;
  }
}

async function loadSwagger(explicit: boolean): Promise<SwaggerPackage | undefined> {
  try {
    return await importSwagger('The Swagger UI at /docs (GradioModule option docs)');
  } catch (error) {
    // Docs are on by default: without the package, launch() serves everything else and says how to get them.
    if (explicit) throw error;
    logger.warn(`${(error as Error).message}, or set the GradioModule option docs: false.`);
    return undefined;
  }
}

/**
 * On Fastify, @nestjs/swagger serves the UI's files with `@fastify/static`, and exits the process when it is missing;
 * say what to install instead.
 */
async function canServeSwaggerUi(app: INestApplication, explicit: boolean): Promise<boolean> {
  if (app.getHttpAdapter().getType() !== 'fastify') return true;
  try {
    await importFastifyStatic('The Swagger UI at /docs on Fastify (GradioModule option docs)');
    return true;
  } catch (error) {
    if (explicit) throw error;
    logger.warn(`${(error as Error).message}, or set the GradioModule option docs: false.`);
    return false;
  }
}

/** The modules that make up GradioModule (the protocol, API docs, MCP, files…), whose routes are Gradio's. */
function gradioModules(app: INestApplication): Function[] {
  const modules = [...app.get(ModulesContainer).values()];
  const found = new Set<ModuleWrapper>();
  const visit = (wrapper: ModuleWrapper): void => {
    if (found.has(wrapper)) return;
    found.add(wrapper);
    for (const imported of wrapper.imports) visit(imported);
  };
  for (const wrapper of modules) if (wrapper.metatype === GradioModule) visit(wrapper);
  return [...found].map((wrapper) => wrapper.metatype);
}

/** Routes that are not an API: the markers that order Gradio's routes, the View API page's own assets. */
const INTERNAL_PATHS = /__nest_gradio_routes_|^\/gradio_api\/view_api\//;

/**
 * Tags Gradio's routes, drops the internal ones (see route-precedence.ts), and adds one documented
 * operation per public endpoint next to the generic `call/v2/{apiName}` route.
 */
function mergeGradioOperations(
  document: OpenApiDocument,
  gradioRoutes: OpenApiDocument,
  endpointPaths: OpenApiDocument['paths'],
): void {
  for (const [path, item] of Object.entries(gradioRoutes.paths)) {
    if (INTERNAL_PATHS.test(path)) {
      delete document.paths[path];
      continue;
    }
    for (const method of Object.keys(item)) {
      const operation = document.paths[path]?.[method];
      if (operation) operation['tags'] = [GRADIO_PROTOCOL_TAG];
    }
  }
  for (const [path, item] of Object.entries(endpointPaths)) {
    const operations = Object.fromEntries(
      Object.entries(item).map(([method, operation]) => [method, { ...operation, tags: [GRADIO_ENDPOINTS_TAG] }]),
    );
    document.paths[path] = { ...document.paths[path], ...operations };
  }
}
