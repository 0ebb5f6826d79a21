import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { WebAssets } from './web-assets.js';

/** The pages' stylesheet and scripts, under content-hashed names: cached for a year. */
@Controller('assets')
export class AssetsController {
  constructor(private readonly assets: WebAssets) {}

  @Get(':file')
  asset(@Req() req: Request, @Res() res: Response) {
    const asset = this.assets.byPath(req.path);
    if (!asset) throw new NotFoundException();
    res.setHeader('Content-Type', asset.contentType);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(asset.body);
  }
}
