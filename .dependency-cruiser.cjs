/**
 * Layers that point one way (`npm run lint:layers`, run by .ci/run): the domain modules and auth
 * know nothing of the GraphQL API layer, the web pages or the first-start seed; the API, the web
 * layer, the seed and the CLI sit on top of them.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-not-api',
      comment: 'Domain modules must not import from src/api/ (shared GraphQL types live in src/common/).',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/(api|web)/' },
    },
    {
      name: 'domain-not-seed',
      comment: 'Domain modules must not import from src/seed/ (the seed uses the domain, not the other way).',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/seed/' },
    },
    {
      name: 'auth-not-api',
      comment: 'auth/ must not reach into api/ (or the web layer).',
      severity: 'error',
      from: { path: '^src/auth/' },
      to: { path: '^src/(api|web)/' },
    },
    {
      name: 'common-beneath-all',
      comment: 'common/ and config/ are beneath everything: they import no module, API, web, seed or CLI code.',
      severity: 'error',
      from: { path: '^src/(common|config)/' },
      to: { path: '^src/(api|web|seed|cli|modules)/' },
    },
    {
      name: 'src-not-tools',
      comment: 'The application does not depend on tests or tools (the CLI loads the benchmark dataset generator at run time only).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/commands\\.ts$' },
      to: { path: '^(test|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/modules/regions/data/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
