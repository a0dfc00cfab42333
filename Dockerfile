# syntax=docker/dockerfile:1
# Scoreline worker image. Build: `docker build -t scoreline-worker .` (docker-compose.yml does it).
# Runs TypeScript through tsx, like `npm run worker`, so there is no separate compile step to drift.

# Node 20 (engines: >=20.19 <21), an exact patch so rebuilds are reproducible; bump it on purpose.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS deps
# The same npm major as developers and CI use, so `npm ci` reads the lockfile the same way.
ARG NPM_VERSION=11.19.1
# better-sqlite3 fetches a prebuilt binary when it can reach one and otherwise compiles with
# node-gyp (python3, make, g++), as on networks that reach only the npm registry. The
# toolchain stays in this stage only.
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
RUN npm install --global "npm@${NPM_VERSION}" && npm --version
WORKDIR /app
COPY package.json package-lock.json ./
# tsx is a runtime dependency, so production dependencies are all the worker needs.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
  SCORELINE_DATA_DIR=/app/.data \
  SCORELINE_METRICS_PORT=9464
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json package-lock.json tsconfig.json ./
# src/ is the product; the simulator/ and feedgen/ test doubles beside it stay out of the image
# (and out of the build context), which test/unit/import-graph.test.ts keeps safe: no module the
# worker runs imports them.
COPY --chown=root:root src ./src
# The workflow bundle built once here, not by webpack in every worker at start (about 100 MB
# of RSS the process would otherwise keep).
RUN node --import tsx src/worker/build-bundle.ts dist/workflow-bundle.js
ENV SCORELINE_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
# Code stays root-owned and read-only for the process; only the data dir (SQLite fallback,
# log file) is writable by the unprivileged `node` user the base image provides. USER is
# numeric so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
RUN mkdir -p /app/.data && chown 1000:1000 /app/.data
USER 1000:1000
EXPOSE 9464
# Healthy while the worker serves its Prometheus endpoint (started once it is connected).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.SCORELINE_METRICS_PORT || 9464) + '/metrics').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The heap bounds of src/worker/node-flags.ts: V8 would otherwise size the heap from the host's memory.
ENV NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=8"
# `node --import tsx` rather than `npx tsx`: one process, PID 1 receives SIGTERM directly and
# the Temporal worker's own signal handling drains in-flight tasks before exit.
CMD ["node", "--import", "tsx", "src/worker/main.ts"]
