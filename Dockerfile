# syntax=docker/dockerfile:1

# Build stage: compile TypeScript with the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build

# Runtime stage: production dependencies and the compiled code only, as an unprivileged user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
# No .env is baked in: pass the configuration with --env-file .env or -e.
# The same command as `npm start`, run directly (no npm, no shell) so SIGTERM reaches the bot itself
# and it shuts down gracefully.
CMD ["node", "dist/src/index.js"]
