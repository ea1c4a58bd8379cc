import type { CmBindOutcome } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import type { CmClient } from '../cm/client'
import type { Logger } from '../log'
import type { BindJournalEntry } from './entry'
import type { WriteJournal } from './journal'

/** The slice of the CM client a bind needs (conventions §7). */
export type BindClient = Pick<CmClient, 'assignSmartcard' | 'getRequest' | 'getSmartcard'>

// Request.Status numbers we branch on: Observed 3 (Approved) or Documented 18 (Executing), cm-rest-api.md §4.9.
const APPROVED = 3
const EXECUTING = 18

/**
 * Run (or resume) one journaled bind: E11 `POST /smartcards {requestid, cardid, atr}` (cm-rest-api.md §5.3 step 7).
 * Never posts blindly: E07 is read first, and a request that already carries a card is adopted when that card
 * (E13) has our CardID — which is exactly what a POST whose answer was lost leaves behind — or refused
 * (`request-not-executable`) when it is another card. The journal learns `sent` before the POST and the
 * smart-card Uuid the moment CM returns it.
 */
export async function runBindWrite(
  cm: BindClient,
  journal: WriteJournal,
  entry: BindJournalEntry,
  log: Logger,
): Promise<CmBindOutcome> {
  const { id } = entry
  const { requestId, cardId, atr } = entry.input
  if (entry.progress.smartcardUuid) {
    return { smartcardUuid: entry.progress.smartcardUuid, adopted: entry.progress.adopted }
  }
  const request = await cm.getRequest(requestId)
  if (!request) throw new StationError('request-not-found', {}, 'bind: CM has no such request')
  if (request.newSmartcardUuid) {
    const card = await cm.getSmartcard(request.newSmartcardUuid)
    if (card?.cardId !== cardId) {
      throw new StationError('request-not-executable', {}, 'bind: the request is bound to another card')
    }
    journal.updateKind(id, 'bind', (e) => {
      e.progress.smartcardUuid = card.uuid
      e.progress.adopted = true
    })
    log.info('journal: bind adopted (the card was already bound to the request)', {
      writeId: id,
      requestId,
      smartcardUuid: card.uuid,
      afterUnansweredPost: entry.progress.sent,
    })
    return { smartcardUuid: card.uuid, adopted: true }
  }
  const status = request.status.raw
  if (status !== APPROVED && status !== EXECUTING) {
    throw new StationError('request-not-executable', {}, `bind: request status ${status}`)
  }
  // Saved before the POST; if it cannot be saved, nothing is posted (the journal throws).
  journal.updateKind(id, 'bind', (e) => {
    e.progress.sent = true
  })
  const smartcardUuid = await cm.assignSmartcard({ requestId, cardId, ...(atr ? { atr } : {}) })
  try {
    journal.updateKind(id, 'bind', (e) => {
      e.progress.smartcardUuid = smartcardUuid
    })
  } catch {
    // Logged by the journal; the bind exists on the server and a rerun adopts it through E07.
  }
  log.info('journal: card bound', { writeId: id, requestId, smartcardUuid })
  return { smartcardUuid, adopted: false }
}
