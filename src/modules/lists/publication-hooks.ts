import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../auth/actor.js';

/** What a listener learns of a publication: the version as published. */
export interface PublishedVersion {
  id: string;
  listId: string;
  regionCode: string;
  number: number;
  effectiveFrom: string;
}

export type PublicationListener = (em: EntityManager, actor: Actor, version: PublishedVersion) => Promise<void>;

/**
 * Modules that depend on lists (basis alerts) act on a publication inside its transaction without
 * the lists module depending on them: they register here, publishVersion runs them.
 */
@Injectable()
export class PublicationHooks {
  private readonly listeners: PublicationListener[] = [];

  onPublished(listener: PublicationListener): void {
    this.listeners.push(listener);
  }

  async published(em: EntityManager, actor: Actor, version: PublishedVersion): Promise<void> {
    for (const listener of this.listeners) await listener(em, actor, version);
  }
}
