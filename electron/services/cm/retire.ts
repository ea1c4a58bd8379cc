import type { CmRetireOutcome, RequestId, SmartcardUuid } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import type { Logger } from '../log'
import type { CmClient } from './client'

/** The slice of the client a retire needs (conventions §7). */
export type RetireClient = Pick<
  CmClient,
  | 'getSmartcardOperations'
  | 'createRequest'
  | 'getRequest'
  | 'getSmartcard'
  | 'retireSmartcard'
  | 'completeRequest'
>

/** What to retire; `requestId` resumes an earlier Retire request. */
export interface RetireInput {
  smartcardUuid: SmartcardUuid
  requestId?: RequestId | undefined
  comment?: string | undefined
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
 * The optional card-side wipe (§5.6 step 4) is not done here.
 */
export async function retireCard(
  cm: RetireClient,
  input: RetireInput,
  log: Logger,
): Promise<CmRetireOutcome> {
  const scid = input.smartcardUuid
  let rid = input.requestId
  if (rid === undefined) {
    // §5.7: what is allowed now comes from the server's operations list, never a client-side rule.
    const operations = await cm.getSmartcardOperations(scid)
    if (!operations.includes('retire')) {
      throw new StationError('forbidden', {}, 'E18 does not offer "retire" for this card')
    }
    rid = await cm.createRequest({ type: 'Retire', smartcardUuid: scid, comment: input.comment ?? '' })
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
