import { createHash } from 'node:crypto';
import { VIEW_API_SCRIPT } from './view-api.script.js';
import { VIEW_API_STYLES } from './view-api.styles.js';

/** A static asset of the page, with a content hash the page's URLs carry so that caches refresh on change. */
export interface ViewApiAsset {
  readonly body: string;
  readonly contentType: string;
  readonly version: string;
}

function asset(body: string, contentType: string): ViewApiAsset {
  return { body, contentType, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

export const VIEW_API_ASSETS = {
  js: asset(VIEW_API_SCRIPT, 'text/javascript; charset=utf-8'),
  css: asset(VIEW_API_STYLES, 'text/css; charset=utf-8'),
} as const;
