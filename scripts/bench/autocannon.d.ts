// autocannon ships no types; the benchmark uses its programmatic API (instance events, thenable result).
declare module 'autocannon' {
  const autocannon: (options: Record<string, unknown>) => import('node:events').EventEmitter & PromiseLike<Record<string, any>>;
  export default autocannon;
}
