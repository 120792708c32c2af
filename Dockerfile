# syntax=docker/dockerfile:1
# htek-dms server image. Build: docker build -t htek-dms .
# Run: docker run -p 8080:8080 -v htek-data:/var/lib/htek-dms htek-dms
# (embedded database), or set DATABASE_URL for Postgres (see docker-compose.yml).

ARG NODE_IMAGE=node:20-bookworm-slim

# Build stage: all dependencies, TypeScript compiled to dist/ (dist/src and dist/migrations).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

# Runtime stage: production dependencies only, no sources, tests or dev tools.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    HTEK_DMS_DATA_DIR=/var/lib/htek-dms/data \
    HTEK_DMS_LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY templates ./templates
COPY web ./web

# The embedded database (used when DATABASE_URL is unset) lives in the volume.
RUN mkdir -p /var/lib/htek-dms && chown node:node /var/lib/htek-dms
VOLUME ["/var/lib/htek-dms"]

# The node image's unprivileged user (uid 1000).
USER node
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/htek-dms.js"]
CMD ["serve"]
