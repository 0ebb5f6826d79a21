import { parentPort } from 'node:worker_threads';
import { DomainError } from '../../common/domain-error.js';
import { parseSheetFile, type ImportLimits } from './sheet-file.js';
import { SheetReadError } from './sheet-readers.js';

/** One file to read, posted by SheetParsers (sheet-parsers.ts). */
export interface SheetParseRequest {
  fileName: string;
  content: Uint8Array;
  limits: ImportLimits;
  /** The scans give up after this long; the parent ends the worker a little later in any case. */
  timeoutMs: number;
}

/** What the parent rebuilds into the error the caller would have had in its own thread. */
export type SheetParseFailure =
  | { kind: 'domain'; code: DomainError['code']; message: string; details: DomainError['details'] }
  | { kind: 'sheet'; message: string; row: number | null }
  | { kind: 'internal'; message: string };

// The worker thread that reads uploaded spreadsheets (one file at a time), so that no file, however
// crafted, occupies the thread that answers requests.
parentPort!.on('message', async (request: SheetParseRequest) => {
  // The parent's deadline runs from here: loading this worker's modules is not the file's time.
  parentPort!.postMessage({ started: true });
  const content = Buffer.from(request.content.buffer, request.content.byteOffset, request.content.byteLength);
  try {
    parentPort!.postMessage({ ok: true, file: await parseSheetFile(request.fileName, content, request.limits, request.timeoutMs) });
  } catch (e) {
    let failure: SheetParseFailure;
    if (e instanceof DomainError) failure = { kind: 'domain', code: e.code, message: e.message, details: e.details };
    else if (e instanceof SheetReadError) failure = { kind: 'sheet', message: e.message, row: e.row };
    else failure = { kind: 'internal', message: (e as Error)?.stack ?? String(e) };
    parentPort!.postMessage({ ok: false, failure });
  }
});
