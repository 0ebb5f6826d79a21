import type { Request } from 'express';
import type { Actor } from '../auth/actor.js';
import { RequestLoaders } from './request-loaders.js';

export type Endpoint = 'public' | 'admin';

/** The GraphQL context of one request. `actor` is set by the auth guard on the admin endpoint. */
export interface GraphQLRequestContext {
  req: Request;
  endpoint: Endpoint;
  actor: Actor;
  /** This request's DataLoaders, created on first use. */
  loaders: RequestLoaders;
  /** `whoIsAccountable` answers computed in this request on the public endpoint (for the question log). */
  answeredQuestions?: { question: string; regionCode: string; asOf: string | null; first: number | null; answered: Promise<unknown> }[];
}
