import { Controller, Get, Inject, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { todayInChina } from '../../common/local-date.scalar.js';
import { sendPage } from '../html-response.js';
import { WebAssets } from '../web-assets.js';
import { WebErrorFilter } from '../web-error.filter.js';
import { HomePage } from './home.page.js';

/** The public portal: published data only, read through the same services as `/graphql`. */
@Controller()
@UseFilters(WebErrorFilter)
export class PortalController {
  constructor(
    private readonly assets: WebAssets,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
  ) {}

  private get publicCaching() {
    return { maxAgeSeconds: this.config.api.publicCacheSeconds };
  }

  @Get()
  home(@Res() res: Response) {
    sendPage(res, <HomePage assets={this.assets} today={todayInChina()} />, this.publicCaching);
  }
}
