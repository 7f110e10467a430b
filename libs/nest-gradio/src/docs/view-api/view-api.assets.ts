import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A static asset of the page, with a content hash the page's URLs carry so that caches refresh on change. */
export interface ViewApiAsset {
  readonly body: string;
  readonly contentType: string;
  readonly version: string;
}

/**
 * The package's `assets/` folder. This module sits at the same depth under `src/` (specs, ts-jest) as under
 * `dist/` (the built package), so one relative path finds it from both.
 */
const ASSETS_DIR = new URL('../../../assets/', import.meta.url);

function asset(fileName: string, contentType: string): ViewApiAsset {
  const body = readFileSync(fileURLToPath(new URL(fileName, ASSETS_DIR)), 'utf8');
  return { body, contentType, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

/** Read once, when the library loads: a missing file fails the start-up, not the first page view. */
export const VIEW_API_ASSETS = {
  js: asset('view-api.js', 'text/javascript; charset=utf-8'),
  css: asset('view-api.css', 'text/css; charset=utf-8'),
} as const;
