// What a gateway feature (app authentication, an ACL, throttling, mock answers, …) contributes to
// the Envoy translation beside its routes: its HTTP filters, the gateway-wide clusters and ECDS
// resources it needs, and the local-reply mappers of its refusals. Each feature declares one in
// its own file; features.ts lists them in the order their filters run. A feature's per-route part
// (typed_per_filter_config, route metadata, rate_limits) is in the same file, and routes.ts
// assembles a route from those parts.
import type { GatewayIR } from '../ir';
import type { JsonObject } from './json';

/** What the translation knows of the fleet beyond the IR. */
export interface FleetFacts {
  /** Envoys of the fleet connected now: each gets 1/envoys of every Fast limit (fast-throttle.ts). */
  readonly envoys: number;
}

/**
 * Where local-reply.ts places a feature's mappers. The first mapper that matches a reply wins, so
 * their order is by how specific the match is, not by filter position: replies a filter marks as
 * its own; replies a limit refused (before the mock answers, which are local replies too: rate
 * limits apply to mock Apis); mock answers; and refusals recognised by status and request facts
 * alone, once every flagged cause is ruled out, the more specific first.
 */
export type ReplyStage = 'marked' | 'limited' | 'mock' | 'refused' | 'refusedOtherwise';

export interface Feature {
  /** Its HTTP filters, in chain order; none when this gateway does not use the feature. */
  readonly httpFilters: (ir: GatewayIR) => readonly JsonObject[];
  /** Gateway-wide clusters it needs. */
  readonly clusters?: (ir: GatewayIR) => readonly JsonObject[];
  /** Filter configurations it serves over ECDS. */
  readonly extensionConfigs?: (ir: GatewayIR, fleet: FleetFacts) => readonly JsonObject[];
  /** Its local-reply mappers, by stage. */
  readonly replyMappers?: Partial<Readonly<Record<ReplyStage, readonly JsonObject[]>>>;
}
