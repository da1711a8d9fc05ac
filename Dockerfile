# syntax=docker/dockerfile:1

# Node 24, an LTS line supported until April 2028 (Node 20's support ended in April 2026); better-sqlite3
# and the other dependencies support Node 20 to 26. The code still runs on Node 20.19+ ("engines"), as
# on our machines and in CI. Another LTS image: `docker build --build-arg NODE_IMAGE=node:22-bookworm-slim .`
ARG NODE_IMAGE=node:24-bookworm-slim

# Build stage: compile TypeScript and the native SQLite driver, pack the package, drop dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary for this Node and platform, or else compiles one (node-gyp).
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
# `npm pack` builds (prepack) and keeps exactly what the published package holds ("files" in
# package.json): the image runs what test/e2e/package.test.ts installs and starts from a tarball.
RUN npm pack --pack-destination /tmp \
  && mkdir /package \
  && tar -xzf /tmp/streamcord-*.tgz -C /package --strip-components=1 \
  && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: the package and its production dependencies, run as the unprivileged `node` user.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /package ./
COPY --from=build /app/node_modules ./node_modules
# Conversations live in SQLite under DATA_DIR unless REDIS_URL is set; mount a volume here.
ENV DATA_DIR=/app/data
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
# The health and metrics server (/healthz, /readyz, /metrics) is on in the image. It listens on every
# interface of the container, so that a published port (`-p 127.0.0.1:9464:9464`) or Prometheus in
# another container reaches it; nothing outside sees it unless the port is published.
ENV METRICS_PORT=9464
ENV METRICS_HOST=0.0.0.0
EXPOSE 9464
USER node
# No .env is baked in: pass the configuration with --env-file .env or -e.
# Liveness from inside the container, where 127.0.0.1 reaches the server (slim images have no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.METRICS_PORT || 9464) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `docker stop` sends SIGTERM and SIGKILLs 10 s later unless `--stop-timeout` (Compose:
# stop_grace_period) says otherwise. On SIGTERM running answers get SHUTDOWN_GRACE_MS (default 7000)
# to finish, the rest end with a notice, then the bot disconnects: keep the stop timeout a few seconds
# above the grace (compose.yaml: 15 s) and raise both together. The sharded manager allows its shards
# 10 s more than the grace: give it --stop-timeout 20 or more. For several shards:
# CMD ["node", "dist/src/sharded.js"].
STOPSIGNAL SIGTERM
# The same command as `npm start` after its build, run directly (no npm, no shell), so SIGTERM
# reaches the bot itself and it shuts down gracefully.
CMD ["node", "dist/src/index.js"]
