// X-Stage → environment, decided once per request instead of once per route. Before routing, the
// HCM's early header mutation writes the selected environment into an internal header: the value
// of X-Stage, or RELEASE when X-Stage is absent or empty (Huawei: no header means RELEASE). Routes
// then match it exactly, where they used to match X-Stage with an RE2 regex `^(?:RELEASE)?$` per
// route (one compilation per route, the bulk of Envoy's route-table build at 10,000 Apis).
//
// The header is Turnpike's own: a caller's copy is removed first, the hygiene filter leaves this
// one in place (a Lua header change clears the route cache, and the route is chosen again from the
// headers: lua.ts), and the route configuration removes it before the request goes upstream.
import { RELEASE } from '../ir';
import { typed, type JsonObject } from './json';
import { STAGE_HEADER } from './lua';

/** HttpConnectionManager.early_header_mutation_extensions entry that sets STAGE_HEADER. */
export function stageNormalisation(): JsonObject {
  return {
    name: 'turnpike.stage',
    typed_config: typed('envoy.extensions.http.early_header_mutation.header_mutation.v3.HeaderMutation', {
      mutations: [
        { remove: STAGE_HEADER },
        // An absent or empty X-Stage formats as empty, and an empty value is not added...
        { append: { header: { key: STAGE_HEADER, value: '%REQ(x-stage)%' }, append_action: 'ADD_IF_ABSENT' } },
        // ...so RELEASE fills in.
        { append: { header: { key: STAGE_HEADER, value: RELEASE }, append_action: 'ADD_IF_ABSENT' } },
      ],
    }),
  };
}

/** The route's header matcher for its environment. */
export function stageMatcher(environment: string): JsonObject {
  return { name: STAGE_HEADER, string_match: { exact: environment } };
}
