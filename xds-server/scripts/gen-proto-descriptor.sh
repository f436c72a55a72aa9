#!/usr/bin/env bash
# Regenerates xds-server/protos/descriptor.json from the .proto list in
# xds-server/src/proto/files.ts (Envoy API tree from @grpc/grpc-js-xds + xds-server/protos).
# The same test fails in CI when the committed file drifts from the sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
UPDATE_GOLDEN=1 npx jest xds-server/src/proto/descriptor.test.ts --selectProjects unit
