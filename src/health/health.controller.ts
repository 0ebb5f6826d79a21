import { Controller, Get, Inject, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { DATABASE_ENGINE, type DatabaseEngine } from '../database/database.module.js';

@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_ENGINE) private readonly engine: DatabaseEngine,
  ) {}

  /** 200 when the database answers, 503 otherwise; never waits long. */
  @Get()
  async health(@Res() res: Response) {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000))),
      ]);
      res.status(200).json({ status: 'ok', database: { engine: this.engine, status: 'up', latencyMs: Date.now() - started } });
    } catch {
      res.status(503).json({ status: 'error', database: { engine: this.engine, status: 'down' } });
    } finally {
      clearTimeout(timer);
    }
  }
}
