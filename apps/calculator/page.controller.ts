import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Header } from '@nestjs/common';

/**
 * tsc does not copy `public/index.html` into dist/, so the page is always read from the source tree, relative to
 * the project root: the nearest folder above this file that holds a package.json. That is the same folder whether
 * this runs as apps/calculator/page.controller.ts (tests) or dist/apps/calculator/page.controller.js
 * (`npm run start:calculator`), and needs no build step. Read once at startup, so a missing file fails fast.
 */
const PAGE = readFileSync(join(projectRoot(), 'apps', 'calculator', 'public', 'index.html'), 'utf8');

/** `GET /`: the calculator page. An app's own `GET /` takes precedence over the library's API page. */
@Controller()
export class PageController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }
}

function projectRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory)
      throw new Error('Calculator: no package.json above the app, cannot find public/index.html.');
    directory = parent;
  }
  return directory;
}
