# The one-window image: the same build runs the worker (`node dist/worker/main.js`) or the API
# (`node dist/api/main.js`). It connects to a Temporal cluster (TEMPORAL_ADDRESS); it runs no server.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The web console is a workspace of its own (web/package.json); its packages are build-time only.
COPY web/package.json web/
# --ignore-scripts: the Temporal binaries (postinstall) are for the embedded default, not needed here;
# the one patch to a package (patches/README.md) is applied on its own.
COPY patches patches
RUN npm ci --ignore-scripts --no-audit --no-fund && npx patch-package --error-on-fail
COPY tsconfig.json tsconfig.build.json ./
COPY domain domain
COPY workflows workflows
COPY activities activities
COPY worker worker
COPY api api
COPY operations operations
COPY temporal temporal
COPY tracing tracing
COPY config config
COPY db db
COPY simulation simulation
COPY scripts scripts
COPY web web
# Builds the service into dist/ and the console into web/dist/ (served by the API at /).
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
COPY config config
COPY db db
COPY simulation simulation
# Folders the services write as the unprivileged user (a named volume takes their owner on first use).
RUN mkdir -p /data /keys && chown node:node /data /keys
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
