import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Injectable } from '@nestjs/common';
import { projectFile } from '../common/project-files.js';

export interface WebAsset {
  /** The URL it is served at: `/assets/<name>.<hash>.<ext>`, so that it can be cached for good. */
  url: string;
  contentType: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/**
 * The pages' static files (src/web/assets), read once and served under a content-hashed name: a
 * page links to the current file, and a browser keeps it until it changes. Served by the app
 * itself, never a CDN.
 */
@Injectable()
export class WebAssets {
  private readonly byName = new Map<string, WebAsset>();
  private readonly byUrl = new Map<string, WebAsset>();

  constructor() {
    const dir = projectFile('src/web/assets');
    for (const file of fs.readdirSync(dir)) {
      const ext = file.slice(file.lastIndexOf('.') + 1);
      if (!TYPES[ext]) continue;
      const body = fs.readFileSync(`${dir}/${file}`);
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
      const asset = { url: `/assets/${file.slice(0, -ext.length - 1)}.${hash}.${ext}`, contentType: TYPES[ext], body };
      this.byName.set(file, asset);
      this.byUrl.set(asset.url, asset);
    }
  }

  /** The hashed URL of an asset by its file name (`site.css`). */
  url(file: string): string {
    const asset = this.byName.get(file);
    if (!asset) throw new Error(`web asset ${file} missing from src/web/assets`);
    return asset.url;
  }

  byPath(urlPath: string): WebAsset | undefined {
    return this.byUrl.get(urlPath);
  }
}
