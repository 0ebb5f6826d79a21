import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The demo towns' lists (filled in with the versioned lists). */
@Injectable()
export class DemoListsSeeder {
  async load(_em: EntityManager): Promise<void> {}
}
