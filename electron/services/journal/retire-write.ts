import type { CmRetireOutcome } from '../../../shared/domain/cm'
import {
  findAdoptableRetireRequest,
  openRequestIdsForCard,
  retireCard,
  type RetireClient,
} from '../cm/retire'
import type { Logger } from '../log'
import type { RetireJournalEntry } from './entry'
import type { WriteJournal } from './journal'

/**
 * Run (or resume) one journaled retire (cm-rest-api.md §5.6). The journal learns, durably and in order:
 * that a POST is about to be sent (before it is), the request id (the moment E05 returns). A retry of an
 * entry whose POST outcome is unknown first looks for the request on the server (never re-POSTs blindly).
 */
export async function runRetireWrite(
  cm: RetireClient,
  journal: WriteJournal,
  entry: RetireJournalEntry,
  log: Logger,
): Promise<CmRetireOutcome> {
  const { id } = entry
  const scid = entry.input.smartcardUuid
  let requestId = entry.progress.requestId ?? undefined
  if (requestId === undefined && entry.progress.createSent) {
    const adopted = await findAdoptableRetireRequest(cm, scid, entry.progress.priorOpenRequestIds)
    if (adopted) {
      requestId = adopted
      journal.updateKind(id, 'retire', (e) => {
        e.progress.requestId = adopted
        e.progress.adopted = true
      })
      log.info('journal: adopted the Retire request of an earlier unanswered POST', {
        writeId: id,
        requestId: adopted,
      })
    }
  }
  const input = {
    smartcardUuid: scid,
    requestId,
    comment: entry.input.comment,
    dataCollection: entry.input.dataCollection,
  }
  return retireCard(cm, input, log, {
    async beforeCreate() {
      const prior = await openRequestIdsForCard(cm, scid)
      // Throws when it cannot be saved: then nothing is posted (a POST the journal does not know of is
      // exactly the orphan this journal exists to prevent).
      journal.updateKind(id, 'retire', (e) => {
        e.progress.createSent = true
        e.progress.priorOpenRequestIds = prior
      })
    },
    onCreated(rid) {
      try {
        journal.updateKind(id, 'retire', (e) => {
          e.progress.requestId = rid
        })
      } catch {
        // Already logged by the journal. The request exists; carry on (the id stays in memory and is
        // saved with the next change; after a crash the adoption lookup finds it).
      }
    },
  })
}
