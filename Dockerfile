# syntax=docker/dockerfile:1
# The Turnpike control-plane image. One Node.js program; the first argument picks the component:
#   operator (default) | standalone | demo-backend
# It also carries the authn filter, Envoy's native module (/app/dataplane/libturnpike_authn.so): the
# chart's Envoy pods copy it out with an init container (charts/turnpike/templates/envoy.yaml).
# Build with `make images` (IMAGE=…, CONTAINER_ENGINE=docker|podman). The module is built for the
# image's platform, so `docker buildx build --platform linux/amd64,linux/arm64 .` works as well
# (the arm64 module then builds under emulation).
# There is no container engine on the development machines: e2e/specs/helm/image.spec.ts checks
# this file's structure, replays the runtime stage's COPY lines into a directory and runs the
# result, so what the image contains is enough to start.

ARG NODE_VERSION=22
# RUST_TOOLCHAIN of versions.env (and dataplane/rust-toolchain.toml); the specs check they agree.
ARG RUST_VERSION=1.95.0

# 1. Compile the TypeScript (dev dependencies needed).
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
# Manifests first: this layer stays cached until package-lock.json changes.
COPY package.json package-lock.json ./
COPY xds-server/package.json xds-server/
COPY operator/package.json operator/
COPY sdk/js/package.json sdk/js/
COPY e2e/package.json e2e/
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json tsconfig.json ./
COPY crds crds
COPY xds-server xds-server
COPY sdk/js sdk/js
COPY operator operator
# Builds operator and what it references (xds-server, sdk/js); tests and maps are dropped.
RUN npx tsc -b operator \
 && find xds-server/dist operator/dist sdk/js/dist \
      \( -name '*.test.*' -o -name '*.map' -o -name '*.d.ts' -o -name testing \) -prune -exec rm -rf {} +

# 2. Production dependencies only (workspace packages become links to /app/<package>).
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /src
COPY package.json package-lock.json ./
COPY xds-server/package.json xds-server/
COPY operator/package.json operator/
COPY sdk/js/package.json sdk/js/
COPY e2e/package.json e2e/
# Type declarations, source maps and docs are dead weight at run time (a third of the size).
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
 && find node_modules \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.map' -o -name '*.md' \) -type f -delete

# 3. The authn module (dataplane/), as `make setup` builds it (hack/setup/authn.sh): the pinned
#    toolchain, Cargo.lock as is. Debian 12's glibc, which Envoy's Ubuntu-based image has or
#    exceeds. rust-toolchain.toml is left out: the image's toolchain is already the pinned one,
#    and the file would make rustup add clippy and rustfmt.
FROM rust:${RUST_VERSION}-slim-bookworm AS authn
WORKDIR /src/dataplane
COPY dataplane/Cargo.toml dataplane/Cargo.lock ./
COPY dataplane/apig-auth apig-auth
COPY dataplane/authn-module authn-module
RUN cargo build --locked --release -p authn-module

# 4. Runtime: distroless Node.js (no shell, no package manager), non-root (uid 65532).
#    crds/ is read at start-up (schema validation), xds-server/protos holds the proto descriptor.
FROM gcr.io/distroless/nodejs${NODE_VERSION}-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
# Fewer malloc arenas: less memory held by Node's threads (operator/src/heap.ts, LAUNCH_ENV).
ENV MALLOC_ARENA_MAX=2
COPY --from=deps /src/node_modules node_modules
COPY --from=build /src/package.json ./
COPY --from=build /src/crds crds
COPY --from=build /src/xds-server/package.json xds-server/
COPY --from=build /src/xds-server/protos xds-server/protos
COPY --from=build /src/xds-server/dist xds-server/dist
COPY --from=build /src/sdk/js/package.json sdk/js/
COPY --from=build /src/sdk/js/dist sdk/js/dist
COPY --from=build /src/operator/package.json operator/
COPY --from=build /src/operator/dist operator/dist
COPY --from=authn /src/dataplane/target/release/libturnpike_authn.so dataplane/libturnpike_authn.so
USER 65532:65532
# xDS, probes (--health-port in the chart).
EXPOSE 18000 8081
ENTRYPOINT ["/nodejs/bin/node", "--max-semi-space-size=8", "/app/operator/dist/cli.js"]
CMD ["operator"]
