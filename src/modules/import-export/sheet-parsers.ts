import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { badInput, DomainError } from '../../common/domain-error.js';
import { parseTimeout, type ImportLimits, type SheetFile } from './sheet-file.js';
import { SheetReadError } from './sheet-readers.js';
import type { SheetParseFailure, SheetParseRequest } from './sheet-parse.worker.js';

/**
 * The worker's script. Built, it sits beside this module; run from the TypeScript sources (jest),
 * the build of the same file in dist/ is used (the tests' global setup compiles src/ first).
 */
function workerScript(): URL {
  const url = new URL('./sheet-parse.worker.js', import.meta.url);
  return import.meta.url.endsWith('.ts') ? new URL(url.href.replace(/\/src\/(?!.*\/src\/)/, '/dist/src/')) : url;
}

type Reply = { started: true } | { ok: true; file: SheetFile } | { ok: false; failure: SheetParseFailure };

interface Job {
  request: SheetParseRequest;
  resolve(file: SheetFile): void;
  reject(error: unknown): void;
}

/** The ceiling of one reading's heap: a file past it is refused, the process is not at risk. */
const WORKER_HEAP_MB = 1024;
/** How long a new worker may take to load its modules (~0.25 s unloaded) before the file is refused. */
const WORKER_START_MS = 30_000;

/**
 * Uploaded spreadsheets are read in worker threads: the event loop that answers every request
 * (`/health` included) never runs a parser, and a reading that outlasts IMPORT_PARSE_TIMEOUT_SECONDS
 * is ended (its worker terminated) and refused. Workers are kept between files (loading exceljs
 * takes ~0.25 s); at most one fewer than the cores read at once (at least one), the others wait.
 */
@Injectable()
export class SheetParsers implements OnApplicationShutdown {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private running = 0;
  private readonly size = Math.max(1, Math.min(4, os.availableParallelism() - 1));

  constructor(@Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig) {}

  /** Files being read right now. */
  get inFlight(): number {
    return this.running;
  }

  parse(fileName: string, content: Buffer, limits: ImportLimits): Promise<SheetFile> {
    const timeoutMs = this.config.importParseTimeoutSeconds * 1000;
    return new Promise<SheetFile>((resolve, reject) => {
      this.queue.push({ request: { fileName, content, limits, timeoutMs }, resolve, reject });
      this.next();
    });
  }

  onApplicationShutdown(): Promise<unknown> {
    return Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }

  private next(): void {
    while (this.running < this.size && this.queue.length) {
      const job = this.queue.shift()!;
      this.running++;
      this.run(job).finally(() => {
        this.running--;
        this.next();
      });
    }
  }

  private spawn(): Worker {
    const worker = new Worker(workerScript(), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    // An idle worker that dies is dropped; the job's own listeners report what happens during a job.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return worker;
  }

  private run(job: Job): Promise<void> {
    const worker = this.idle.pop() ?? this.spawn();
    worker.ref();
    const seconds = this.config.importParseTimeoutSeconds;
    return new Promise<void>((done) => {
      const finish = (keepWorker: boolean, settle: () => void) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (keepWorker) {
          worker.unref(); // an idle reader does not keep the process (the CLI) alive
          this.idle.push(worker);
        } else void worker.terminate();
        settle();
        done();
      };
      const onMessage = (reply: Reply) => {
        if ('started' in reply) return void (timer = deadline(job.request.timeoutMs + 1000)); // counted from the start of the reading
        finish(true, () => (reply.ok ? job.resolve(reply.file) : job.reject(rebuild(reply.failure))));
      };
      const onError = (e: Error & { code?: string }) =>
        finish(false, () =>
          job.reject(
            e.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? badInput('file', '读取该文件所需的内存超过上限：文件过大或结构异常，请检查文件内容，或拆分后分别导入')
              : e,
          ),
        );
      const onExit = (code: number) => finish(false, () => job.reject(new Error(`the spreadsheet reader stopped (exit code ${code})`)));
      // The scans inside give up at the deadline themselves; this ends whatever does not (a parser's own
      // loops), a second later. Until the worker says it started, its start is bounded on its own.
      let timer: NodeJS.Timeout | undefined;
      const deadline = (ms: number) => {
        clearTimeout(timer);
        return setTimeout(() => finish(false, () => job.reject(parseTimeout(seconds))), ms);
      };
      timer = deadline(WORKER_START_MS);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage(job.request);
    });
  }
}

function rebuild(failure: SheetParseFailure): Error {
  if (failure.kind === 'domain') return new DomainError(failure.code, failure.message, failure.details);
  if (failure.kind === 'sheet') return new SheetReadError(failure.message, failure.row);
  return new Error(`the spreadsheet reader failed: ${failure.message}`);
}
