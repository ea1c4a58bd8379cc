import type { CmRequestStatusOutcome } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import type { CmClient } from '../cm/client'
import type { Logger } from '../log'
import type { RequestStatusJournalEntry } from './entry'
import type { WriteJournal } from './journal'

/** The slice of the CM client a request-status write needs. */
export type RequestStatusClient = Pick<CmClient, 'getRequest' | 'setRequestStatus'>

// Request.Status numbers (cm-rest-api.md §4.2): 8 Completed (Observed); 4 Denied, 9 Failed, 17 Canceled (Documented).
const COMPLETED = 8
const DENIED = 4
const FAILED = 9
const CANCELED = 17

/**
 * Run (or resume) one journaled E08 `PUT /requests/{rid} {"status": …}` (cm-rest-api.md §5.3 step 21, §5.7).
 * E07 is read first: a request that already has the wanted outcome is adopted (the answer of an earlier PUT was
 * lost), never written twice. Completing a request CM has already closed otherwise is refused
 * (`request-not-executable`); canceling one that is closed in any way is already done.
 */
export async function runRequestStatusWrite(
  cm: RequestStatusClient,
  journal: WriteJournal,
  entry: RequestStatusJournalEntry,
  log: Logger,
): Promise<CmRequestStatusOutcome> {
  const { id, kind } = entry
  const { requestId, status } = entry.input
  const before = await cm.getRequest(requestId)
  if (!before) throw new StationError('request-not-found', {}, `${kind}: CM has no such request`)
  const raw = before.status.raw
  const closed = raw === COMPLETED || raw === DENIED || raw === FAILED || raw === CANCELED
  if (kind === 'complete' && raw === COMPLETED) return adopt(before.status)
  if (kind === 'cancel' && closed) {
    // ASSUMPTION OQ-10: "Abandoned" ends as 17 in the simulator; any closed status means nothing is left to cancel.
    if (raw === COMPLETED)
      throw new StationError('request-not-executable', {}, 'cancel: request is completed')
    return adopt(before.status)
  }
  if (closed) throw new StationError('request-not-executable', {}, `${kind}: request status ${raw}`)

  journal.updateKind(id, kind, (e) => {
    e.progress.sent = true
  })
  const after = await cm.setRequestStatus(requestId, status)
  try {
    journal.updateKind(id, kind, (e) => {
      e.progress.resultStatus = after.status.raw
    })
  } catch {
    // Logged by the journal; a rerun reads E07 and adopts the status.
  }
  log.info('journal: request status written', { writeId: id, requestId, status, result: after.status.raw })
  return { requestId, status: after.status }

  function adopt(current: CmRequestStatusOutcome['status']): CmRequestStatusOutcome {
    journal.updateKind(id, kind, (e) => {
      e.progress.resultStatus = current.raw
      e.progress.adopted = true
    })
    log.info('journal: request status adopted (already on the server)', {
      writeId: id,
      requestId,
      status: current.raw,
      afterUnansweredPut: entry.progress.sent,
    })
    return { requestId, status: current }
  }
}
