/**
 * @kubernetes/client-node 1.x is ESM-only. Node 20.19+ require()s ESM natively, but Jest's module
 * system only does so on Node 24.9+, so under Jest each spec swaps the package for the genuine
 * library loaded by Node's own loader:
 *
 *   jest.mock('@kubernetes/client-node', () => jest.requireActual<NativeClient>('./native-client').load());
 *
 * Nothing is faked: it is the real client talking to the real API server. (The clean fix is a
 * Jest transform or Node 24; see the operator-k8s report.) This file must import nothing that
 * imports the client, or loading it would recurse into the mock factory.
 */
import Module from 'node:module';

interface NodeLoader {
  _load(request: string, parent: null, isMain: boolean): unknown;
}

export interface NativeClient {
  load(): unknown;
}

export function load(): unknown {
  // Jest hands out a copy of the Module class whose static _load is still Node's own loader.
  const loader = Module as unknown as NodeLoader;
  return loader._load(require.resolve('@kubernetes/client-node'), null, false);
}
