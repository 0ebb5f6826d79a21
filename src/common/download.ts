import type { Response } from 'express';

export interface Download {
  body: Buffer;
  contentType: string;
  /** The file name in ASCII, for clients that do not read `filename*`. */
  asciiName: string;
  /** The file name a clerk sees (Chinese), sent as RFC 5987 `filename*`. */
  fileName: string;
  cacheControl: string;
}

/** Sends a spreadsheet (or any file) as an attachment: one place for the headers every export door sets. */
export function sendDownload(res: Response, d: Download): void {
  res.setHeader('content-type', d.contentType);
  res.setHeader('content-disposition', `attachment; filename="${d.asciiName}"; filename*=UTF-8''${encodeURIComponent(d.fileName)}`);
  res.setHeader('content-length', String(d.body.length));
  res.setHeader('cache-control', d.cacheControl);
  res.setHeader('x-content-type-options', 'nosniff');
  res.end(d.body);
}
