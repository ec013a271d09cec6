# One image for every Verdict app; the command picks the app:
#   node dist/apps/orchestrator/main.js | ingestion | reporter | notifier | mock-server | worker | verdict (CLI, all-in-one: "start")
# Build: docker build -t verdict:0.1.0 .
# Multi-stage: the build stage has the dev toolchain; the final stage has only production
# dependencies, the bundles, git (workers check out git sources) and runs as the non-root "node" user.

FROM node:20-bookworm-slim AS build
WORKDIR /src
# Manifests first, so dependency layers are cached until a package.json or the lock file changes.
COPY package.json package-lock.json ./
COPY apps/orchestrator/package.json apps/orchestrator/
COPY apps/worker/package.json apps/worker/
COPY apps/ingestion/package.json apps/ingestion/
COPY apps/verdict/package.json apps/verdict/
COPY apps/reporter/package.json apps/reporter/
COPY apps/notifier/package.json apps/notifier/
COPY apps/mock-server/package.json apps/mock-server/
COPY libs/auth/package.json libs/auth/
COPY libs/bus/package.json libs/bus/
COPY libs/config/package.json libs/config/
COPY libs/contracts/package.json libs/contracts/
COPY libs/db/package.json libs/db/
COPY libs/docstore/package.json libs/docstore/
COPY libs/http/package.json libs/http/
COPY libs/metrics/package.json libs/metrics/
COPY libs/platform/package.json libs/platform/
COPY libs/queue/package.json libs/queue/
COPY libs/report-formats/package.json libs/report-formats/
COPY libs/reports/package.json libs/reports/
COPY libs/notifications/package.json libs/notifications/
COPY libs/sources/package.json libs/sources/
COPY libs/testing/package.json libs/testing/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools tools
COPY apps apps
COPY libs libs
RUN for app in orchestrator worker ingestion reporter notifier mock-server verdict; do node tools/build-app.mjs "$app"; done
# Production dependencies only: the bundles carry Verdict's own libs, npm packages stay external.
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 VERDICT_DATA_DIR=/data
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist dist
COPY examples examples
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--", "node"]
CMD ["dist/apps/verdict/main.js", "start"]
