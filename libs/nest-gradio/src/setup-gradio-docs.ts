import type { INestApplication, Type } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { Module as ModuleWrapper } from '@nestjs/core/injector/module.js';
import { GRADIO_MODULE_OPTIONS, GRADIO_PUBLIC_ROUTE_METADATA } from './kernel/gradio.constants.js';
import { GradioModule } from './gradio.module.js';
import type { GradioDocsOptions, ResolvedGradioOptions } from './options/gradio-module-options.interface.js';
import { GradioAuthGuard } from './auth/gradio-auth.guard.js';
import {
  completeAppDocument,
  GRADIO_ENDPOINTS_TAG,
  GRADIO_PROTOCOL_TAG,
  type GradioRouteHandler,
} from './docs/app-document.js';
import { DocsState } from './docs/docs-state.js';
import { OpenApiBuilder, type OpenApiDocument } from './docs/openapi.builder.js';
import { ROUTE_DOC_METADATA, type RouteDoc } from './http/route-doc.js';
import { importFastifyStatic, importSwagger, type SwaggerPackage } from './kernel/optional-package.js';

export { GRADIO_ENDPOINTS_TAG, GRADIO_PROTOCOL_TAG };

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
  const gradioOptions = gradioOptionsOf(app);
  const configured = gradioOptions?.docs ?? false;
  if (options === false || !gradioOptions || configured === false) return false;
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
  const modules = gradioModules(app);
  try {
    document = swagger.SwaggerModule.createDocument(app, config) as unknown as OpenApiDocument;
    gradioRoutes = swagger.SwaggerModule.createDocument(app, config, {
      include: modules.map((wrapper) => wrapper.metatype),
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
    if (!merged) {
      const handlers = routeHandlers(modules);
      completeAppDocument(document, gradioRoutes.paths, handlers, openApi.endpointPaths(), gradioOptions);
    }
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
function gradioModules(app: INestApplication): ModuleWrapper[] {
  const modules = [...app.get(ModulesContainer).values()];
  const found = new Set<ModuleWrapper>();
  const visit = (wrapper: ModuleWrapper): void => {
    if (found.has(wrapper)) return;
    found.add(wrapper);
    for (const imported of wrapper.imports) visit(imported);
  };
  for (const wrapper of modules) if (wrapper.metatype === GradioModule) visit(wrapper);
  return [...found];
}

/** Every handler of the controllers of these modules, with what the document needs of it. */
function routeHandlers(modules: readonly ModuleWrapper[]): GradioRouteHandler[] {
  const handlers: GradioRouteHandler[] = [];
  for (const wrapper of modules) {
    for (const controller of wrapper.controllers.values()) {
      const type = controller.metatype as Type | null;
      if (!type) continue;
      for (const [name, method] of methodsOf(type)) {
        handlers.push({
          operationId: `${type.name}_${name}`,
          doc: Reflect.getMetadata(ROUTE_DOC_METADATA, method) as RouteDoc | undefined,
          loginRequired: asksForLogin(type, method),
        });
      }
    }
  }
  return handlers;
}

/** The methods of a controller class, its parents' included. */
function methodsOf(type: Type): Map<string, Function> {
  const methods = new Map<string, Function>();
  for (let prototype = type.prototype; prototype && prototype !== Object.prototype;) {
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const value = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (name !== 'constructor' && typeof value === 'function' && !methods.has(name)) methods.set(name, value);
    }
    prototype = Object.getPrototypeOf(prototype) as object;
  }
  return methods;
}

/** Whether `GradioAuthGuard` guards the handler, and the handler is not one of the routes it leaves open. */
function asksForLogin(type: Type, method: Function): boolean {
  const guards = [
    ...((Reflect.getMetadata(GUARDS_METADATA, type) as unknown[] | undefined) ?? []),
    ...((Reflect.getMetadata(GUARDS_METADATA, method) as unknown[] | undefined) ?? []),
  ];
  const open =
    (Reflect.getMetadata(GRADIO_PUBLIC_ROUTE_METADATA, method) ??
      Reflect.getMetadata(GRADIO_PUBLIC_ROUTE_METADATA, type)) === true;
  return guards.includes(GradioAuthGuard) && !open;
}
