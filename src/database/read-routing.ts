import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { DataSource, QueryRunner, ReplicationMode } from 'typeorm';

/**
 * Where the reads of the current request go when read replicas are configured
 * (DATABASE_REPLICA_URLS, TypeORM `replication`): 'replica' for the public endpoint, whose
 * answers come from published versions; 'primary' everywhere else (the admin endpoint, the CLI,
 * start-up, tests), so that an editor always reads what was just written.
 *
 * The rule is applied in one place, on the data source itself (installReadRouting), so services
 * need not know about replicas:
 * - TypeORM sends query-builder and repository reads outside a transaction to a replica
 *   ('slave') by default; outside a replica-routed request they are sent to the primary instead;
 * - raw `dataSource.query()` (read paths such as the ranked search and the item pages) goes to
 *   the primary by default; inside a replica-routed request it is sent to a replica;
 * - transactions (every write) always run on the primary, and once a request has opened one,
 *   every later read of that request stays on the primary too (read-after-write).
 */
export type ReadTarget = 'replica' | 'primary';

interface RoutingState {
  target: ReadTarget;
}

const routing = new AsyncLocalStorage<RoutingState>();

const currentReadTarget = (): ReadTarget => routing.getStore()?.target ?? 'primary';

/** Express middleware for the public endpoint: its reads go to the replicas. */
export function publicReadsToReplicas(_req: Request, _res: Response, next: NextFunction): void {
  routing.run({ target: 'replica' }, next);
}

/** Installs the routing on a data source configured with `replication`; a no-op without it. */
export function installReadRouting(dataSource: DataSource): void {
  if (!('replication' in dataSource.options) || !dataSource.options.replication) return;
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  const query = dataSource.query.bind(dataSource);

  dataSource.createQueryRunner = (mode: ReplicationMode = 'master'): QueryRunner => {
    const state = routing.getStore();
    let chosen = mode;
    if (mode === 'slave' && state?.target !== 'replica') chosen = 'master';
    const runner = createQueryRunner(chosen);
    if (chosen === 'master' && state?.target === 'replica') {
      // A runner on the primary inside a replica-routed request is a transaction (a write) or an
      // explicit primary read: from the moment a transaction starts, the request sticks to the primary.
      const startTransaction = runner.startTransaction.bind(runner);
      runner.startTransaction = async (...args: Parameters<QueryRunner['startTransaction']>) => {
        state.target = 'primary';
        return startTransaction(...args);
      };
    }
    return runner;
  };

  dataSource.query = async <T = any>(sql: string, parameters?: any[], queryRunner?: QueryRunner): Promise<T> => {
    if (queryRunner || currentReadTarget() !== 'replica') return query(sql, parameters, queryRunner);
    const runner = dataSource.createQueryRunner('slave');
    try {
      return await runner.query(sql, parameters);
    } finally {
      await runner.release();
    }
  };
}
