# syntax=docker/dockerfile:1

# Build stage: compile TypeScript and the native SQLite driver, then drop the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies and the compiled code only, as an unprivileged user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Conversations live in SQLite under DATA_DIR unless REDIS_URL is set; mount a volume here.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
# No .env is baked in: pass the configuration with --env-file .env or -e.
# The same command as `npm start`, run directly (no npm, no shell) so SIGTERM reaches the bot itself
# and it shuts down gracefully. For several shards: CMD ["node", "dist/src/sharded.js"].
# `docker stop` sends SIGTERM and SIGKILLs 10 s later unless `--stop-timeout` (Compose:
# stop_grace_period) says otherwise. SHUTDOWN_GRACE_MS defaults to 7000 so that running answers end,
# with their notices, before that; raise the stop timeout with it. The sharded manager allows its
# shards 10 s more than the grace: give it --stop-timeout 20 or more.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/index.js"]
