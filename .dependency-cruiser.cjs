// The library's folders form a chain of layers: a folder may import from the layers before it, never from its own
// layer's siblings nor from a later one, so that data flows one way and a change to a layer can only affect the
// layers after it. `npm run lint:deps` checks it (and `npm test` runs that); `npm run graph` prints the folder graph.
// Specs are left out on the importing side: a test may reach across layers, the shipped code may not.
const SRC = '^libs/nest-gradio/src/';

/** Earliest first. Folders in one inner list are siblings (neither imports the other); '(root)' is src/*.ts. */
const LAYERS = [
  ['kernel'], // constants, messages, errors, small shared helpers
  ['schema', 'plugin'], // type specs, JSON Schema, validation; the compiler plugin (build time, TypeScript only)
  ['options'], // the option interfaces users write, and their resolution
  ['decorators'], // record metadata only
  ['discovery'], // reads the metadata (GradioMetadataAccessor) and builds the endpoint models
  ['wire'], // message shapes and encoders of Gradio's wire protocol
  ['queue'], // the event queue; owns its ports (SESSION_STORE, EVENT_FILES, QUEUE_BACKEND)
  ['distributed'], // the queue and the session streams in Redis (BullMQ), for many processes
  ['http'], // request helpers shared by every HTTP feature
  ['auth', 'cors'],
  ['files'],
  ['protocol', 'docs', 'mcp'], // the HTTP features
  ['observability'], // metrics, traces and health checks of the queue and its surfaces
  ['(root)'], // GradioModule, launch(), setupGradioDocs(), index.ts
  ['testing'], // fixtures for specs (the 'nest-gradio/testing' entry point)
];

function target(folder) {
  return folder === '(root)' ? `${SRC}[^/]+$` : `${SRC}${folder}/`;
}

const layerRules = LAYERS.flatMap((layer, index) =>
  layer.flatMap((folder) => {
    const notAllowed = LAYERS.slice(index)
      .flat()
      .filter((other) => other !== folder);
    if (notAllowed.length === 0) return [];
    return {
      name: `layer-${folder.replace(/[()]/g, '')}`,
      severity: 'error',
      comment: `${folder} may import only from the layers before it: ${LAYERS.slice(0, index).flat().join(', ') || 'none'}.`,
      from: { path: target(folder), pathNot: '[.-]spec\\.ts$' },
      to: { path: notAllowed.map(target) },
    };
  }),
);

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files of the library must not import each other in a cycle.',
      from: { path: SRC, pathNot: '[.-]spec\\.ts$' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '[.-]spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
