import { Catch, Injectable, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { WebErrorFilter, wantsPage } from './web-error.filter.js';

/**
 * A path no route serves: the HTML 404 page for a browser asking for a page, Nest's JSON 404
 * for everyone else (API clients, scripts).
 */
@Catch(NotFoundException)
@Injectable()
export class UnknownPageFilter implements ExceptionFilter {
  constructor(private readonly pages: WebErrorFilter) {}

  catch(exception: NotFoundException, host: ArgumentsHost) {
    if (host.getType() !== 'http') return exception;
    const req = host.switchToHttp().getRequest<Request>();
    if (wantsPage(req)) return this.pages.catch(exception, host);
    host.switchToHttp().getResponse<Response>().status(404).json(exception.getResponse());
  }
}
