import * as fs from 'node:fs';
import { buildRootFromProtos, DESCRIPTOR_PATH, loadCommittedRoot, serializeDescriptor } from './descriptor';

describe('committed protobuf descriptor', () => {
  it('matches what PROTO_FILES generate (drift check; UPDATE_GOLDEN=1 rewrites it)', () => {
    const generated = serializeDescriptor(buildRootFromProtos());
    if (process.env['UPDATE_GOLDEN'] === '1') fs.writeFileSync(DESCRIPTOR_PATH, generated);
    const committed = fs.existsSync(DESCRIPTOR_PATH) ? fs.readFileSync(DESCRIPTOR_PATH, 'utf8') : '';
    // Compare as booleans so a drift prints one line, not a multi-megabyte diff.
    expect({ upToDate: committed === generated, hint: 'run xds-server/scripts/gen-proto-descriptor.sh' })
      .toEqual({ upToDate: true, hint: 'run xds-server/scripts/gen-proto-descriptor.sh' });
  });

  it('loads and resolves every resource type the server serves', () => {
    const root = loadCommittedRoot();
    for (const name of [
      'envoy.config.listener.v3.Listener', 'envoy.config.route.v3.RouteConfiguration',
      'envoy.config.cluster.v3.Cluster', 'envoy.config.endpoint.v3.ClusterLoadAssignment',
      'envoy.extensions.transport_sockets.tls.v3.Secret', 'ratelimit.config.ratelimit.v3.RateLimitConfig',
      'envoy.service.discovery.v3.DeltaDiscoveryResponse',
    ]) {
      expect(root.lookupType(name).fullName).toBe(`.${name}`);
    }
  });
});
