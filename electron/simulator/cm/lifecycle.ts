import { EMPTY_GUID } from '../../../shared/cm/enums'
import type { SimRequest, SimSmartcard, SimState } from './model'

/** Request and card state-machine helpers (SIM-B1..B4). Numbers are the §4 values. */

/** Request statuses (§4.2). */
export const RS = {
  None: 0,
  Approved: 3,
  Denied: 4,
  Completed: 8,
  Failed: 9,
  Pending: 16,
  Canceled: 17,
  Executing: 18,
} as const

/** Smart card statuses (§4.1). */
export const CS = { None: 0, New: 1, Assigned: 2, Active: 3, Disabled: 4, Suspended: 5, Retired: 6 } as const

/** Profile statuses: only Active=2 is evidenced (§4.1b). */
// ASSUMPTION OQ-11: a card profile is 1 while the card is being issued, 2 when active, 6 when retired.
export const PS = { New: 1, Active: 2, Disabled: 4, Retired: 6 } as const

/** Request types that create a card through E11 (everything else acts on an existing card, Q7). */
export const CARD_CREATING_TYPES = new Set(['Enroll', 'Duplicate', 'TemporaryCards'])

/** Request types whose execution issues certificates through E09/E10. */
export const CERT_ISSUING_TYPES = new Set([
  'Enroll',
  'Duplicate',
  'TemporaryCards',
  'Renew',
  'Recover',
  'RecoverOnBehalf',
  'OnlineUpdate',
])

/** Types that only make sense for smart card templates. */
export const SMARTCARD_ONLY_TYPES = new Set(['Unblock', 'OfflineUnblock', 'Duplicate', 'TemporaryCards'])

/** Types that target an existing card on smart card templates (Q7). */
export const CARD_TARGETED_TYPES = new Set([
  'Unblock',
  'OfflineUnblock',
  'Retire',
  'Renew',
  'Recover',
  'RecoverOnBehalf',
  'Duplicate',
  'OnlineUpdate',
  'Reinstate',
  'Revoke',
])

/** Whether a request is bound to the card (New or Old smart card Uuid). */
export function boundTo(r: SimRequest, cardUuid: string): boolean {
  return r.NewSmartcardUuid === cardUuid || r.OldSmartcardUuid === cardUuid
}

/** Whether the request has a card bound. */
export function hasCard(r: SimRequest): boolean {
  return r.NewSmartcardUuid !== EMPTY_GUID
}

/** Set a card's status and keep its profile and certificates consistent. */
export function setCardStatus(state: SimState, card: SimSmartcard, status: number): void {
  card.Status = status
  const profile = state.Profiles.find((p) => p.Uuid === card.Sim.ProfileUuid)
  if (profile) {
    if (status === CS.Active) profile.Status = PS.Active
    else if (status === CS.Retired) profile.Status = PS.Retired
    else if (status === CS.Disabled) profile.Status = PS.Disabled
  }
  // cm-rest-api.md SIM-B7: E22 omits retired certificates; retiring the card retires them.
  if (status === CS.Retired) {
    for (const c of state.Certificates) if (c.Sim.SmartcardUuid === card.Uuid) c.Sim.Retired = true
  }
}

/** SDDL for requests without a seeded SecurityDescriptor: owner + world-read, NUL padded like the examples. */
// ASSUMPTION SIM-S2: the real ACL content is unknown; this mirrors the shape of FX-E07-1.
export function defaultSddl(originatorSid: string, targetSid: string | null): string {
  const aces = ['(A;;RC;;;WD)', `(A;;CCDCLCSWSDRC;;;${originatorSid})`]
  if (targetSid !== null && targetSid !== originatorSid) aces.push(`(A;;CCDCSW;;;${targetSid})`)
  return `O:${originatorSid}D:${aces.join('')}` + '\u0000'.repeat(6)
}
