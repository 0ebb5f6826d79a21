import { createHash } from 'node:crypto';

/** The fields of an event that its hash covers, in a fixed shape. */
export interface ChainedEvent {
  seq: number;
  at: string;
  actor: string;
  actorRole: string | null;
  actorRegion: string | null;
  action: string;
  entityType: string;
  entityId: string;
  regionCode: string | null;
  before: unknown;
  after: unknown;
  prevHash: string | null;
}

/** JSON with object keys sorted at every level: the same data always serialises the same way. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const eventHash = (e: ChainedEvent) => createHash('sha256').update(canonicalJson(e)).digest('hex');

export interface ChainBreak {
  seq: number;
  problem: 'MISSING' | 'HASH_MISMATCH' | 'PREVIOUS_HASH_MISMATCH';
}

/**
 * Walks events in seq order and returns the first break: a gap (a deleted row), a row whose
 * content no longer matches its hash (edited), or a row that does not follow its predecessor
 * (reordered or replaced).
 */
export function verifyChain(events: Iterable<ChainedEvent & { hash: string }>, start: { seq: number; hash: string | null } = { seq: 0, hash: null }): { head: { seq: number; hash: string | null }; broken: ChainBreak | null } {
  let expectedSeq = start.seq + 1;
  let prevHash = start.hash;
  for (const e of events) {
    if (e.seq !== expectedSeq) return { head: { seq: expectedSeq - 1, hash: prevHash }, broken: { seq: expectedSeq, problem: 'MISSING' } };
    if ((e.prevHash ?? null) !== prevHash) return { head: { seq: expectedSeq - 1, hash: prevHash }, broken: { seq: e.seq, problem: 'PREVIOUS_HASH_MISMATCH' } };
    const { hash, ...content } = e;
    if (eventHash(content) !== hash) return { head: { seq: expectedSeq - 1, hash: prevHash }, broken: { seq: e.seq, problem: 'HASH_MISMATCH' } };
    prevHash = hash;
    expectedSeq++;
  }
  return { head: { seq: expectedSeq - 1, hash: prevHash }, broken: null };
}
