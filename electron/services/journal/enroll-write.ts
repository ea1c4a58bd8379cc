import type { CmEnrollOutcome, CmRequest, RequestId } from '../../../shared/domain/cm'
import type { CmClient } from '../cm/client'
import type { Logger } from '../log'
import type { EnrollJournalEntry } from './entry'
import type { WriteJournal } from './journal'

/** The slice of the CM client an Enroll request creation needs (conventions §7); E06 recovers an unknown POST. */
export type EnrollClient = Pick<CmClient, 'createRequest' | 'listRequests'>

/**
 * Called with the request once it exists (created or adopted), before the entry is done: the enrollment service
 * checkpoints its enrollment here. If it throws, the entry stays open (with its request id) and is run again.
 */
export type EnrollHandover = (requestId: RequestId, entry: EnrollJournalEntry) => Promise<void>

// Request.Status names (decoded with the shared REQUEST_STATUS table) of a request CM may still carry out.
const OPEN_STATUS_NAMES = new Set(['Pending', 'Approved', 'Executing'])

/** An open Enroll request of `input`'s holder on its template, with no card bound yet (what our POST creates). */
function isCandidate(r: CmRequest, input: EnrollJournalEntry['input']): boolean {
  return (
    r.requestType.name === 'Enroll' &&
    r.targetUserUuid === input.holderUuid &&
    r.profileTemplateUuid === input.templateId &&
    r.newSmartcardUuid === null &&
    r.status.name !== undefined &&
    OPEN_STATUS_NAMES.has(r.status.name)
  )
}

/** Ids of the caller's open Enroll requests for the holder and template (E06), taken just before the POST. */
export async function openEnrollRequestIds(
  cm: EnrollClient,
  input: EnrollJournalEntry['input'],
): Promise<RequestId[]> {
  return (await cm.listRequests()).filter((r) => isCandidate(r, input)).map((r) => r.uuid)
}

/**
 * After a `POST /requests` whose outcome is unknown (a crash, a network drop, a timeout, a 5xx: the server may have
 * created the request), find the Enroll request it created, so a rerun adopts it instead of posting a second one.
 * Null when there is none (then posting again is safe).
 *
 * ASSUMPTION (cm-rest-api.md §4.3, OQ-13): E06 lists the caller's own requests, which include the on-behalf requests
 * this operator originated. A candidate is an Enroll request (by name: 1 is Observed) for the same holder and
 * template, still open, with no card bound, that was not already open before our POST; the newest wins. Another
 * station of the same operator creating one for the same holder and template in the same second is not told apart.
 */
export async function findAdoptableEnrollRequest(
  cm: EnrollClient,
  input: EnrollJournalEntry['input'],
  priorOpen: readonly RequestId[],
): Promise<RequestId | null> {
  const prior = new Set<string>(priorOpen)
  const candidates = (await cm.listRequests()).filter((r) => isCandidate(r, input) && !prior.has(r.uuid))
  candidates.sort((a, b) => (b.submitted ?? '').localeCompare(a.submitted ?? ''))
  return candidates[0]?.uuid ?? null
}

/**
 * Run (or resume) one journaled Enroll request creation (cm-rest-api.md §5.3 step 5). The journal learns, durably and
 * in order: that a POST is about to be sent (before it is, with the open requests it must not take for ours), and
 * the request id (the moment E05 returns, or when E06 finds it after an unanswered POST). Then `handover` gives the
 * request to the enrollment service; only after that is the entry done.
 */
export async function runEnrollWrite(
  cm: EnrollClient,
  journal: WriteJournal,
  entry: EnrollJournalEntry,
  log: Logger,
  handover: EnrollHandover | null,
): Promise<CmEnrollOutcome> {
  const { id, input } = entry
  let requestId = entry.progress.requestId
  let adopted = entry.progress.adopted
  if (requestId === null && entry.progress.createSent) {
    const found = await findAdoptableEnrollRequest(cm, input, entry.progress.priorOpenRequestIds)
    if (found) {
      requestId = found
      adopted = true
      journal.updateKind(id, 'enroll', (e) => {
        e.progress.requestId = found
        e.progress.adopted = true
      })
      log.info('journal: adopted the Enroll request of an earlier unanswered POST', {
        writeId: id,
        requestId,
      })
    }
  }
  if (requestId === null) {
    const prior = await openEnrollRequestIds(cm, input)
    // Throws when it cannot be saved: then nothing is posted (a POST the journal does not know of is the orphan
    // Enroll request this entry exists to prevent).
    journal.updateKind(id, 'enroll', (e) => {
      e.progress.createSent = true
      e.progress.priorOpenRequestIds = prior
    })
    const created = await cm.createRequest({
      type: 'Enroll',
      profileTemplateUuid: input.templateId,
      target: input.holderUuid,
      dataCollection: input.dataCollection,
      comment: input.comment,
    })
    requestId = created
    try {
      journal.updateKind(id, 'enroll', (e) => {
        e.progress.requestId = created
      })
    } catch {
      // Logged by the journal; the request exists and the E06 lookup of a rerun finds it.
    }
    log.info('journal: Enroll request created', {
      writeId: id,
      requestId,
      templateId: input.templateId,
      holderUuid: input.holderUuid,
    })
  }
  await handover?.(requestId, entry)
  return { requestId, adopted }
}
