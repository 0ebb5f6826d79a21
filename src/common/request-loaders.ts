import type DataLoader from 'dataloader';

/**
 * Per-request DataLoaders, created lazily by key so each domain module owns its loaders
 * without the API layer knowing them. A new instance per request: nothing is cached across users.
 */
export class RequestLoaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(key: string, create: () => DataLoader<K, V>): DataLoader<K, V> {
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = create() as DataLoader<unknown, unknown>;
      this.loaders.set(key, loader);
    }
    return loader as DataLoader<K, V>;
  }
}
