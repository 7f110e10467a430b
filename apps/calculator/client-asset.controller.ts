import { createReadStream, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Controller, Get, NotFoundException, Param, StreamableFile } from '@nestjs/common';

/** Where the page imports the client from; relative to `/`, so it keeps working under a proxy path. */
export const CLIENT_ASSET_PATH = 'vendor/gradio-client';

/**
 * The folder of `@gradio/client`'s browser build, found the way Node resolves the package (through its `exports`
 * map), so it does not matter whether this file runs from dist/ or from the source tree, or where node_modules is.
 */
const CLIENT_DIST = dirname(createRequire(import.meta.url).resolve('@gradio/client/browser.js'));

/**
 * `browser.js` lazily imports sibling chunks (`./__vite-browser-external-<hash>.js`, whose hash changes between
 * versions), so every top-level `.js` file of that folder may be requested; names are matched against this list,
 * never joined blindly, so no other file can be read.
 */
const CLIENT_FILES = new Set(readdirSync(CLIENT_DIST).filter((name) => name.endsWith('.js')));

/** Serves `@gradio/client` to the browser from the app itself: no CDN, works offline. */
@Controller(CLIENT_ASSET_PATH)
export class ClientAssetController {
  @Get(':file')
  asset(@Param('file') file: string): StreamableFile {
    if (!CLIENT_FILES.has(file)) throw new NotFoundException();
    return new StreamableFile(createReadStream(join(CLIENT_DIST, file)), { type: 'text/javascript; charset=utf-8' });
  }
}
