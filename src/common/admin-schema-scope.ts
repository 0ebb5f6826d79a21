import { Module } from '@nestjs/common';

/**
 * An empty leaf module that admin-only GraphQL types name in `registerIn`, so that they are
 * built into the admin schema only and never leak into the public one.
 */
@Module({})
export class AdminSchemaScope {}
