import { Controller, Get, Res } from '@nestjs/common';
import { type HttpResponse, sendRaw } from '../../http/http-exchange.js';
import { VIEW_API_ASSETS, type ViewApiAsset } from './view-api.assets.js';

/** The View API page's script and stylesheet, served by the library itself: no CDN, no build step. */
@Controller('gradio_api/view_api')
export class ViewApiAssetsController {
  @Get('page.js')
  script(@Res() response: HttpResponse): void {
    send(response, VIEW_API_ASSETS.js);
  }

  @Get('page.css')
  styles(@Res() response: HttpResponse): void {
    send(response, VIEW_API_ASSETS.css);
  }
}

function send(response: HttpResponse, asset: ViewApiAsset): void {
  sendRaw(response, 200, asset.body, {
    'Content-Type': asset.contentType,
    // The page links them with ?v=<content hash>, so a cached copy is never stale for long.
    'Cache-Control': 'public, max-age=3600',
    ETag: `"${asset.version}"`,
    'X-Content-Type-Options': 'nosniff',
  });
}
