# Quanze on Node 20. Build: install everything and compile with SWC; run: production
# dependencies, the compiled code, and the data files read at run time (region extract, demo county).
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY .swcrc tsconfig.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts/build-start.mjs ./scripts/
# Also builds the embedded engine's first-start images into node_modules/.cache (~15 s), which the
# runtime stage copies with node_modules: a first start without DATABASE_URL takes seconds.
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    QUANZE_DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time from the project tree (src/modules/regions/region-extract.ts, src/seed/demo-files.ts,
# src/modules/accountability/concept-lexicon.ts).
COPY --from=build /app/src/modules/regions/data ./src/modules/regions/data
COPY --from=build /app/src/modules/accountability/data ./src/modules/accountability/data
COPY --from=build /app/src/seed/demo ./src/seed/demo
COPY --from=build /app/src/web/assets ./src/web/assets
# Only used without DATABASE_URL (embedded engine); mount a volume there to keep it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A larger young generation: imports and answers allocate many short-lived strings (docs/performance.md).
CMD ["node", "--max-semi-space-size=32", "dist/src/main.js"]
