import { Controller, Get, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { badInput } from '../../common/domain-error.js';
import { RestErrorFilter } from '../import-export/rest-http.js';
import { PublicationFeedService } from './publication-feed.service.js';

/** `GET /feeds/regions/<code>.atom`: the Atom feed of a county's or a township's publications (public). */
@Controller('feeds')
@UseFilters(RestErrorFilter)
export class FeedController {
  constructor(
    private readonly feeds: PublicationFeedService,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
  ) {}

  @Get('regions/:file')
  async regionFeed(@Param('file') file: string, @Req() req: Request, @Res() res: Response) {
    const match = /^(\d{6,12})\.atom$/.exec(file);
    if (!match) throw badInput('regionCode', '订阅地址应为 /feeds/regions/<区划代码>.atom');
    const xml = await this.feeds.atom(match[1], `${req.protocol}://${req.get('host') ?? 'localhost'}`);
    res.setHeader('Content-Type', 'application/atom+xml; charset=utf-8');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', `public, max-age=${this.config.api.publicCacheSeconds}`);
    res.send(xml);
  }
}
