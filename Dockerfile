# Tidehook image: the API, the delivery worker, the one-shot migration and the CLI all run from it, each with its
# own command (see docker-compose.yml: node dist/src/api-main.js, worker-main.js, migrate-main.js, cli.js).
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY dashboard ./dashboard
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

FROM node:20.20.2-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
# Not main.js: the embedded default needs the Temporal CLI, which the image does not carry.
CMD ["node", "dist/src/api-main.js"]
