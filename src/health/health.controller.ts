import { Controller, Get, Inject, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { DATABASE_ENGINE, type DatabaseEngine } from '../database/database.module.js';

@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_ENGINE) private readonly engine: DatabaseEngine,
  ) {}

  /** The primary's connection pool (pg), to see whether every connection is taken. */
  private get pool(): Pool | undefined {
    return (this.dataSource.driver as unknown as { master?: Pool }).master;
  }

  /**
   * Every connection checked out by requests in flight (the embedded engine has one: an import
   * holds it for seconds). /health then answers from the process, "busy", rather than queue behind
   * them and report the database down.
   */
  private allConnectionsBusy(): boolean {
    const pool = this.pool;
    return !!pool && pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? Infinity);
  }

  /** 200 when the database answers (or is busy serving requests), 503 when it does not; never waits long. */
  @Get()
  async health(@Res() res: Response) {
    const busy = () => res.status(200).json({ status: 'ok', database: { engine: this.engine, status: 'busy' } });
    if (this.allConnectionsBusy()) return busy();
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000))),
      ]);
      res.status(200).json({ status: 'ok', database: { engine: this.engine, status: 'up', latencyMs: Date.now() - started } });
    } catch (e) {
      if ((e as Error).message === 'timeout' && this.allConnectionsBusy()) return busy();
      res.status(503).json({ status: 'error', database: { engine: this.engine, status: 'down' } });
    } finally {
      clearTimeout(timer);
    }
  }
}
