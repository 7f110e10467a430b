import { importOptional, loadMcpSdk, Server, WebStandardStreamableHTTPServerTransport } from './optional-package.js';

describe('importOptional', () => {
  const pkg = { name: 'nest-gradio-absent-package', with: ['its-peer'], feature: 'The frobnicator (option frob)' };

  it('names the feature, the package and the install command when the package is missing', async () => {
    const specifier: string = pkg.name; // not a literal: the compiler must not look for it
    await expect(importOptional(() => import(specifier), pkg)).rejects.toThrow(
      'The frobnicator (option frob) needs the package nest-gradio-absent-package, which is not installed ' +
        '(an optional peer dependency of nest-gradio). Install it: npm install nest-gradio-absent-package its-peer',
    );
  });

  it('names a missing peer of the package too', async () => {
    const missingPeer = Object.assign(new Error("Cannot find package 'zod' imported from /app/node_modules/x.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await expect(importOptional(() => Promise.reject(missingPeer), pkg)).rejects.toThrow(
      'needs the package nest-gradio-absent-package and its peer zod, which is not installed',
    );
  });

  it('passes any other failure of the package through unchanged', async () => {
    const broken = new SyntaxError('Unexpected token');
    await expect(importOptional(() => Promise.reject(broken), pkg)).rejects.toBe(broken);
  });

  it('returns the module when it is installed', async () => {
    const path = await importOptional(() => import('node:path'), pkg);
    expect(path.posix.join('a', 'b')).toBe('a/b');
  });
});

describe('loadMcpSdk', () => {
  it('binds the SDK for the modules that import it from here', async () => {
    await loadMcpSdk();
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    const server = new Server({ name: 't', version: '1' }, { capabilities: {} });
    await server.connect(transport);
    await server.close();
  });
});
