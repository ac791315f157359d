# One image for ingest, projector and query. The default command runs all three
# (as `npm start` does); docker-compose.yml and deploy/kubernetes run one per container
# with `node dist/apps/<name>/src/main.js`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# the npm workspace (the runtrail CLI) must be present for npm ci
COPY apps/cli/package.json apps/cli/package.json
COPY apps/cli/bin apps/cli/bin
# --ignore-scripts: `prepare` builds, and the sources are not copied yet
RUN npm ci --ignore-scripts
COPY tsconfig.base.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY tools ./tools
# tsc + tsc-alias: dist/apps, dist/libs and dist/tools (ADR 0001).
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY apps/cli/package.json apps/cli/package.json
COPY apps/cli/bin apps/cli/bin
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8080 8081 8082
CMD ["node", "dist/tools/start.js"]
