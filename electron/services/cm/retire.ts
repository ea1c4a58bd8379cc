import type { CmRequest, CmRetireOutcome, RequestId, SmartcardUuid } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import type { Logger } from '../log'
import type { CmClient } from './client'

/** The slice of the client a retire needs (conventions §7); E06 is for recovering an unknown POST outcome. */
export type RetireClient = Pick<
  CmClient,
  | 'getSmartcardOperations'
  | 'createRequest'
  | 'getRequest'
  | 'getSmartcard'
  | 'retireSmartcard'
  | 'completeRequest'
  | 'listRequests'
>

/** What to retire; `requestId` resumes an earlier Retire request. */
export interface RetireInput {
  smartcardUuid: SmartcardUuid
  requestId?: RequestId | undefined
  comment?: string | undefined
  /** The Retire policy's data items (E03 `PolicyDataCollection`), sent with E05. */
  dataCollection?: ReadonlyArray<{ name: string; value: string }> | undefined
}

/** Callbacks around the one non-idempotent call (E05), so a journal can record it durably. */
export interface RetireHooks {
  /** Right before `POST /requests`; if it throws, nothing is posted. */
  beforeCreate?(): Promise<void> | void
  /** The moment E05 returns the new request id (before any further call). */
  onCreated?(requestId: RequestId): void
}

// Request.Status numbers we branch on: Observed (3, 8) or Documented (16, 18) only (cm-rest-api.md §4.9).
const APPROVED = 3
const COMPLETED = 8
const PENDING = 16
const EXECUTING = 18
// Smartcard.Status 6 = Retired (Observed, FX-E17-1).
const RETIRED = 6

/**
 * Retire a card (cm-rest-api.md §5.6): check E18 offers "retire", create a Retire request (E05, `smartcard`
 * and no template, Q7), require it Approved, `PUT {"status":"Retired"}` (E17, Q1), complete it (E08).
 * Resumable: with `requestId`, finished steps (card already Retired, request Completed) are skipped.
 * The optional card-side wipe (§5.6 step 4) is not done here. `hooks` let the write journal record the POST.
 */
export async function retireCard(
  cm: RetireClient,
  input: RetireInput,
  log: Logger,
  hooks: RetireHooks = {},
): Promise<CmRetireOutcome> {
  const scid = input.smartcardUuid
  let rid = input.requestId
  if (rid === undefined) {
    // §5.7: what is allowed now comes from the server's operations list, never a client-side rule.
    const operations = await cm.getSmartcardOperations(scid)
    if (!operations.includes('retire')) {
      throw new StationError('forbidden', {}, 'E18 does not offer "retire" for this card')
    }
    await hooks.beforeCreate?.()
    rid = await cm.createRequest({
      type: 'Retire',
      smartcardUuid: scid,
      comment: input.comment ?? '',
      dataCollection: input.dataCollection ?? [],
    })
    hooks.onCreated?.(rid)
    log.info('cm: retire request created', { requestId: rid, smartcardUuid: scid })
  }
  const request = await cm.getRequest(rid)
  if (!request) throw new StationError('invalid-request', {}, 'retire: CM has no such request')
  const bound = [request.newSmartcardUuid, request.oldSmartcardUuid].filter((u) => u !== null)
  if (bound.length > 0 && !bound.includes(scid)) {
    throw new StationError('invalid-request', {}, 'retire: the request belongs to another card')
  }
  const status = request.status.raw
  if (status === PENDING) return { outcome: 'pending-approval', requestId: rid }
  if (status !== APPROVED && status !== EXECUTING && status !== COMPLETED) {
    // Denied, Canceled, Failed or unknown: CM will not run this request.
    throw new StationError('forbidden', {}, `retire: request status ${status} cannot proceed`)
  }
  let card = await cm.getSmartcard(scid)
  if (!card) throw new StationError('invalid-request', {}, 'retire: CM has no such card')
  if (card.status.raw !== RETIRED) card = await cm.retireSmartcard(rid, scid)
  if (status !== COMPLETED) await cm.completeRequest(rid)
  log.info('cm: card retired', { requestId: rid, smartcardUuid: scid })
  return { outcome: 'retired', requestId: rid, card }
}

// Request.Status names (decoded with the shared REQUEST_STATUS table) of a request CM may still carry out.
const OPEN_STATUS_NAMES = new Set(['Pending', 'Approved', 'Executing'])

function openForCard(request: CmRequest, scid: SmartcardUuid): boolean {
  const bound = request.newSmartcardUuid === scid || request.oldSmartcardUuid === scid
  return bound && request.status.name !== undefined && OPEN_STATUS_NAMES.has(request.status.name)
}

/** Ids of the caller's open requests bound to the card (E06), taken just before a Retire POST. */
export async function openRequestIdsForCard(cm: RetireClient, scid: SmartcardUuid): Promise<RequestId[]> {
  const requests = await cm.listRequests()
  return requests.filter((r) => openForCard(r, scid)).map((r) => r.uuid)
}

/**
 * After a `POST /requests` whose outcome is unknown (network drop, timeout, 5xx: the server may have
 * created the request), find the Retire request it may have created, so a retry adopts it instead of
 * posting a duplicate. Returns null when there is none (then posting again is safe).
 *
 * ASSUMPTION (cm-rest-api.md §4.3, OQ-08, OQ-13): E06 lists the caller's own requests, so it shows a
 * request this operator created. A candidate is open (Pending/Approved/Executing) and bound to the card
 * (`NewSmartcardUuid`/`OldSmartcardUuid`, as for Unblock, §5.6 [I]). Its type is `Retire` by NAME via
 * the shared enum tables (the simulator's placeholder 108); against a real server the Retire number is
 * unknown, so a request of unknown type counts only if it was not already open before our POST
 * (`priorOpen`, taken by `openRequestIdsForCard`). Known other types (Enroll, Unblock) never count.
 * Requests that appeared since our POST are preferred, then the newest.
 */
export async function findAdoptableRetireRequest(
  cm: RetireClient,
  scid: SmartcardUuid,
  priorOpen: readonly RequestId[],
): Promise<RequestId | null> {
  const prior = new Set<string>(priorOpen)
  const candidates = (await cm.listRequests()).filter((r) => {
    if (!openForCard(r, scid)) return false
    const type = r.requestType.name
    return type === 'Retire' || (type === undefined && !prior.has(r.uuid))
  })
  candidates.sort(
    (a, b) =>
      Number(prior.has(a.uuid)) - Number(prior.has(b.uuid)) ||
      (b.submitted ?? '').localeCompare(a.submitted ?? ''),
  )
  return candidates[0]?.uuid ?? null
}
