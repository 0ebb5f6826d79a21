import { RESPONSE_CACHE_MAX_BYTES, ReadCache } from '../../src/common/read-cache.js';
import type { QuanzeConfig } from '../../src/config/config.js';

const cacheOf = (entries: number) => new ReadCache({ readCacheEntries: entries } as QuanzeConfig);

describe('read cache', () => {
  it('keeps at most READ_CACHE_ENTRIES per space, dropping the least recently used', () => {
    const cache = cacheOf(2);
    cache.set('answers', 'a', 1);
    cache.set('answers', 'b', 2);
    expect(cache.peek('answers', 'a')).toBe(1); // a is now the most recent
    cache.set('answers', 'c', 3);
    expect(cache.peek('answers', 'b')).toBeUndefined();
    expect(cache.peek('answers', 'a')).toBe(1);
    expect(cache.peek('answers', 'c')).toBe(3);
  });

  it('bounds whole responses by size too', () => {
    const cache = cacheOf(1000);
    const third = Math.floor(RESPONSE_CACHE_MAX_BYTES / 3);
    for (const key of ['a', 'b', 'c', 'd']) cache.set('responses', key, key, third);
    expect(cache.peek('responses', 'a')).toBeUndefined();
    expect(['b', 'c', 'd'].map((k) => cache.peek('responses', k))).toEqual(['b', 'c', 'd']);
    cache.set('responses', 'b', 'b2', third); // replacing an entry does not count it twice
    expect(cache.peek('responses', 'c')).toBe('c');
  });

  it('does not keep a value loaded across an invalidation', async () => {
    const cache = cacheOf(10);
    let release!: () => void;
    const loading = cache.get('inForce', 'k', () => new Promise<string>((r) => (release = () => r('old'))));
    cache.invalidate('inForce'); // a publication commits while the value is being read
    release();
    expect(await loading).toBe('old');
    expect(cache.peek('inForce', 'k')).toBeUndefined();
    const generation = cache.generation;
    cache.keepIfCurrent(generation, 'responses', 'r', 'value', 10);
    expect(cache.peek('responses', 'r')).toBe('value');
    cache.invalidate('answers');
    cache.keepIfCurrent(generation, 'responses', 'r2', 'late', 10);
    expect(cache.peek('responses', 'r2')).toBeUndefined();
  });

  it('is off with READ_CACHE_ENTRIES=0', async () => {
    const cache = cacheOf(0);
    cache.set('answers', 'a', 1);
    expect(cache.peek('answers', 'a')).toBeUndefined();
    let loads = 0;
    await cache.get('answers', 'a', async () => ++loads);
    await cache.get('answers', 'a', async () => ++loads);
    expect(loads).toBe(2);
  });
});
