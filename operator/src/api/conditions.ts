/**
 * Condition types and the closed list of reasons every Turnpike resource reports in
 * status.conditions. The list is closed on purpose: users and tools match on reasons, so a new
 * reason is an API change (add it here, to docs/reference/conditions.md and to the tests).
 */

/** The three condition types, in the order they are evaluated. */
export const ConditionType = {
  /** The spec is valid (the CRD schema passed and the operator's own checks passed). */
  Accepted: 'Accepted',
  /** Every object the spec references (groups, Secrets, Services, Apps, keys, targets) exists. */
  ResolvedRefs: 'ResolvedRefs',
  /** The Envoy fleet ACKed the configuration that carries the object. */
  Programmed: 'Programmed',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

/** Every reason a Turnpike condition may carry. */
export const ConditionReason = {
  // Accepted
  /** Accepted=True: the spec is valid. */
  Accepted: 'Accepted',
  /** Accepted=False: the operator rejected the spec; the message says which field and why. */
  Invalid: 'Invalid',
  /** Accepted=False: another object already claims the same thing (domain, method + path). */
  Conflicted: 'Conflicted',

  // ResolvedRefs
  /** ResolvedRefs=True: every reference resolved. */
  ResolvedRefs: 'ResolvedRefs',
  /** ResolvedRefs=False: spec.groupRef (or a grant/target of kind ApiGroup) names no ApiGroup. */
  GroupNotFound: 'GroupNotFound',
  /** ResolvedRefs=False: a referenced Secret is missing or lacks a required key. */
  SecretNotFound: 'SecretNotFound',
  /** ResolvedRefs=False: a referenced Secret exists but a value has the wrong format. */
  InvalidSecret: 'InvalidSecret',
  /** ResolvedRefs=False: backend.service names no Service, or the Service lacks the port. */
  ServiceNotFound: 'ServiceNotFound',
  /** ResolvedRefs=False: backend.signatureKeyRef names no SignatureKey. */
  SignatureKeyNotFound: 'SignatureKeyNotFound',
  /** ResolvedRefs=False: a specialApps or apps entry names no App. */
  AppNotFound: 'AppNotFound',
  /** ResolvedRefs=False: a targetRefs or grants entry names no Api or ApiGroup. */
  TargetNotFound: 'TargetNotFound',
  /** ResolvedRefs=False: an environment is not defined by the group, or a #Name# variable is missing in it. */
  EnvironmentNotFound: 'EnvironmentNotFound',

  // Programmed
  /** Programmed=True: every Envoy of the fleet ACKed a snapshot that carries the object. */
  Programmed: 'Programmed',
  /** Programmed=Unknown: the snapshot was sent and not yet ACKed by every Envoy. */
  Pending: 'Pending',
  /** Programmed=False: Envoy NACKed the snapshot; the message is Envoy's error detail. */
  Rejected: 'Rejected',
  /** Programmed=False: not translated because Accepted or ResolvedRefs is False. */
  NotAccepted: 'NotAccepted',
} as const;
export type ConditionReason = (typeof ConditionReason)[keyof typeof ConditionReason];

/** Which reasons are valid for which condition type (anything else is a bug in the operator). */
export const reasonsByType: Readonly<Record<ConditionType, readonly ConditionReason[]>> = {
  Accepted: [ConditionReason.Accepted, ConditionReason.Invalid, ConditionReason.Conflicted],
  ResolvedRefs: [
    ConditionReason.ResolvedRefs,
    ConditionReason.GroupNotFound,
    ConditionReason.SecretNotFound,
    ConditionReason.InvalidSecret,
    ConditionReason.ServiceNotFound,
    ConditionReason.SignatureKeyNotFound,
    ConditionReason.AppNotFound,
    ConditionReason.TargetNotFound,
    ConditionReason.EnvironmentNotFound,
  ],
  Programmed: [
    ConditionReason.Programmed,
    ConditionReason.Pending,
    ConditionReason.Rejected,
    ConditionReason.NotAccepted,
  ],
};

/** True when `reason` belongs to the closed list for `type`. */
export function isReasonFor(type: ConditionType, reason: string): reason is ConditionReason {
  return (reasonsByType[type] as readonly string[]).includes(reason);
}
