import { OPERATION_TO_REQUEST_TYPE, POLICY_TYPES, matchVocabulary } from '../../../shared/cm/enums'
import type { WireWorkflowPolicy } from '../../../shared/cm/wire-types'
import { forbidden } from './errors'
import type { SimTemplate, SimUser } from './model'

/**
 * The simulator's permission model (cm-rest-api.md §7.3). CM's real ACL semantics are not in the API docs.
 */
// ASSUMPTION §7.3: rights are per user × template: Read, Initiate:<Type>, EnrollAgent, Execute, ViewAll, Approve.

/** Whether `user` holds `right` on `templateUuid` (grants may use "*" for templates or rights). */
export function hasRight(user: SimUser, templateUuid: string, right: string): boolean {
  const r = right.toLowerCase()
  const t = templateUuid.toLowerCase()
  return user.Grants.some(
    (g) =>
      (g.Templates.includes('*') || g.Templates.some((x) => x.toLowerCase() === t)) &&
      g.Rights.some((x) => x === '*' || x.toLowerCase() === r),
  )
}

/** Throw 403 unless the right is held. */
export function requireRight(user: SimUser, templateUuid: string, right: string): void {
  if (!hasRight(user, templateUuid, right))
    throw forbidden(`${user.Account} lacks ${right} on ${templateUuid}`)
}

/** Read an object owned by `ownerUuid`: own objects, or ViewAll / EnrollAgent on its template. */
export function canRead(user: SimUser, ownerUuids: readonly string[], templateUuid: string): boolean {
  return (
    ownerUuids.includes(user.Uuid) ||
    hasRight(user, templateUuid, 'ViewAll') ||
    hasRight(user, templateUuid, 'EnrollAgent')
  )
}

/** Throw 403 unless canRead. */
export function requireRead(user: SimUser, ownerUuids: readonly string[], templateUuid: string): void {
  if (!canRead(user, ownerUuids, templateUuid)) throw forbidden(`${user.Account} may not read this object`)
}

/** Execute card/certificate steps for a request targeting `targetUuid` (Execute, plus EnrollAgent for others). */
export function requireExecute(user: SimUser, targetUuid: string, templateUuid: string): void {
  requireRight(user, templateUuid, 'Execute')
  if (targetUuid !== user.Uuid) requireRight(user, templateUuid, 'EnrollAgent')
}

/** The policy for a request type (TemporaryCards uses the TemporaryEnroll policy, §4.3). */
export function policyFor(template: SimTemplate, requestType: string): WireWorkflowPolicy | undefined {
  const name = requestType.toLowerCase() === 'temporarycards' ? 'TemporaryEnroll' : requestType
  const canon = matchVocabulary(POLICY_TYPES, name)
  return canon ? template.Policies[canon] : undefined
}

/** Whether `user` may initiate `type` on `template` for `targetUuid` (rights + policy flags, §7.3). */
export function initiateDenial(
  user: SimUser,
  template: SimTemplate,
  type: string,
  targetUuid: string,
): string | null {
  const policy = policyFor(template, type)
  if (!policy || !policy.Enabled) return `${type} is not enabled on template ${template.Uuid}`
  if (!hasRight(user, template.Uuid, `Initiate:${type}`)) return `${user.Account} lacks Initiate:${type}`
  const agent = hasRight(user, template.Uuid, 'EnrollAgent')
  if (targetUuid !== user.Uuid && !agent) return `${user.Account} is not an enrollment agent`
  if (targetUuid === user.Uuid && !policy.SelfServiceEnabled && !agent)
    return `${type} self-service is disabled`
  return null
}

/** Canonical order of operation names in E18/E19 (consistent with FX-E18-1 and FX-E23-1). */
const OPERATION_ORDER = [
  'renew',
  'unblock',
  'retire',
  'disable',
  'recover',
  'recoveronbehalf',
  'revoke',
  'onlineupdate',
]

/** Operations a card or profile state allows before rights are considered. */
// ASSUMPTION SIM-P3: Active (card 3 / profile 2) allows everything; Assigned, Disabled, Suspended allow retire only.
function operationsForState(kind: 'card' | 'profile', status: number): readonly string[] {
  if ((kind === 'card' && status === 3) || (kind === 'profile' && status === 2)) return OPERATION_ORDER
  if (kind === 'card' && (status === 2 || status === 4 || status === 5)) return ['retire']
  return []
}

/** E18/E19: what the state, the enabled policies and the caller's rights all allow (SIM-P3). */
export function allowedOperations(
  user: SimUser,
  template: SimTemplate,
  kind: 'card' | 'profile',
  status: number,
  ownerUuid: string,
): string[] {
  return operationsForState(kind, status).filter((op) => {
    const type = OPERATION_TO_REQUEST_TYPE[op]
    if (type) return initiateDenial(user, template, type, ownerUuid) === null
    return template.Sim.ExtraOperations.includes(op) && hasRight(user, template.Uuid, 'Read')
  })
}
